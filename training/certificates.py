"""PDFs: a module certificate and the learning record for a CPD portfolio, drawn by WeasyPrint from HTML templates.

WeasyPrint reads fonts and images from files, never over the network: `base_url` is the project folder and the
Roboto files come from node_modules (the same font the site uses). It has no JavaScript, so the templates are plain.
Its URL fetcher only opens files under the font folder and static/ (local_files_only): whatever ends up in a
template, the PDF cannot be made to read other files on the server or fetch addresses on its network. Links (<a
href>) are not fetched: they become link annotations a reader can follow.

Tables: WeasyPrint tags them (TH, TD, and /Headers from each data cell to its header cells) but leaves out the
/IDTree those headers need; add_id_tree puts it in. Header cells say scope="col" or scope="row", which WeasyPrint
reads to tell row headers from column headers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from training.models import Certificate


def _font_path() -> Path:
    return settings.BASE_DIR / "node_modules" / "@fontsource" / "roboto" / "files"


def _font_dir() -> str:
    return _font_path().as_uri()


def allowed_roots() -> list[Path]:
    return [_font_path().resolve(), (settings.BASE_DIR / "static").resolve()]


def _weasyprint():
    """WeasyPrint, imported only when a PDF is made (it loads Pango, which only PDF requests need).

    Importing it turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process, so a broken upload (a pledge logo)
    would then be accepted half-drawn. Pillow's default is put back: PDFs draw only the portal's own files."""
    import weasyprint
    import weasyprint.urls  # for URLFetcher
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


def local_files_only():
    """A WeasyPrint URL fetcher that opens file:// URLs under allowed_roots() and refuses everything else (http,
    https, data, ftp, and files anywhere else, `..` included). WeasyPrint leaves out what it is refused."""
    URLFetcher: Any = _weasyprint().urls.URLFetcher  # WeasyPrint is untyped

    roots = allowed_roots()

    class LocalFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
                raise ValueError(f"Not fetched for a PDF: {url}")
            path = Path(url2pathname(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in roots):
                raise ValueError(f"Not fetched for a PDF: {url}")
            return super().fetch(url, headers)

    return LocalFilesOnly(allowed_protocols={"file"}, allow_redirects=False)


def add_id_tree(document, pdf) -> None:
    """A WeasyPrint finisher: give the structure tree the /IDTree its table cells point into.

    WeasyPrint tags every table header cell with an /ID and every data cell with /Headers naming those IDs (so a
    screen reader can say "Completed: 3 May 2025"), but it does not write the /IDTree that ISO 32000-1 14.7.2 says
    a structure tree with IDs must have; validators then call the PDF broken and readers cannot follow /Headers.
    This adds it: a name tree (keys sorted, as name trees must be) from each ID to its structure element.
    """
    import pydyf

    root = None
    ids = []
    for item in pdf.objects:
        if not isinstance(item, pydyf.Dictionary):
            continue
        if item.get("Type") == "/StructTreeRoot":
            root = item
        elif item.get("Type") == "/StructElem" and "ID" in item:
            ids.append((item["ID"], item.reference))
    if root is None or not ids:
        return
    names = pydyf.Array()
    for key, reference in sorted(ids, key=lambda pair: str(pair[0].string).encode()):
        names.extend([key, reference])
    id_tree = pydyf.Dictionary({"Names": names})
    pdf.add_object(id_tree)
    root["IDTree"] = id_tree.reference


def _render(template: str, context: dict) -> bytes:
    HTML = _weasyprint().HTML

    html = render_to_string(template, {**context, "font_dir": _font_dir(), "PORTAL_NAME": settings_portal_name()})
    # PDF/UA-1: a tagged PDF (headings, paragraphs, tables and reading order for screen readers), with the
    # document's language from <html lang> and its <title> shown as the window title.
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=local_files_only()).write_pdf(
        pdf_variant="pdf/ua-1", finisher=add_id_tree
    )


def settings_portal_name() -> str:
    return getattr(settings, "PORTAL_NAME", "Trauma-informed workforce portal")


def certificate_pdf(*, certificate: Certificate, site_url: str) -> bytes:
    """The certificate: learner's name, module, level, completion date, the code (in groups of four, as the check
    page accepts it) and the check page's address as a link."""
    verify_url = site_url.rstrip("/") + reverse("training:certificate-verify", args=[certificate.code])
    return _render("training/certificate_pdf.html", {"certificate": certificate, "verify_url": verify_url})


def learning_record_pdf(*, record, user, site_url: str, today) -> bytes:
    """The learning record for a CPD portfolio: whose it is (their name, or their email if they have not given a
    name), completed modules, certificates, learning done elsewhere and the hours at each practice level."""
    return _render(
        "training/my_learning_record_pdf.html",
        {
            "record": record,
            "learner_name": user.display_name or user.email,
            "site_url": site_url.rstrip("/"),
            "today": today,
        },
    )
