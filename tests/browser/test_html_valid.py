"""Every page in pages.py, and every HTML email, is valid HTML as the Nu Html Checker (the W3C validator's engine)
reads it.

axe-core checks what a browser made of a page; the checker reads the markup as served and finds what a browser
quietly repairs but assistive technology may not: a `role` that stops a heading being a heading, duplicate ids that
`for` and `aria-*` attributes then point at the wrong element, elements nested where they may not be.

The pages are fetched through the test client (the same middleware and templates as the live server, without a
browser), signed out and signed in as in test_axe.py, and everything is checked in ONE run of the checker: starting
Java costs seconds, so it starts once, not once per page. Without Java the test is skipped and says how to get it;
.ci/run installs `default-jre-headless`, so CI always runs it.
"""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.test import Client

from portal.notifications.registry import all_kinds
from tests.browser.conftest import REPO_ROOT
from tests.browser.pages import scan_cases

VNU_JAR = REPO_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
NO_JAVA = (
    "No `java` on PATH: the Nu Html Checker (node_modules/vnu-jar) needs Java 17 or later. Install a JRE (for "
    "example `apt-get install default-jre-headless`, as .ci/run does) to check the pages' HTML."
)
# What fails: errors, warnings, and files the checker could not read. Plain information ("info" without the
# "warning" subtype, such as where a duplicate id first appeared) only explains an error already reported.
FAILING = {("error", None), ("info", "warning"), ("non-document-error", None), ("non-document-error", "io")}


@dataclass(frozen=True)
class Finding:
    document: str  # a page's test id ("home-signed-out") or an email's ("email-pledges.confirm")
    line: int
    kind: str  # "error", "warning" or "non-document-error"
    message: str
    extract: str  # the markup around the problem, as the checker quotes it

    def __str__(self) -> str:
        extract = " ".join(self.extract.split())
        return f"{self.document}, line {self.line}: {self.kind}: {self.message}\n    {extract}"


@dataclass(frozen=True)
class KnownException:
    """Markup the checker flags that the portal keeps on purpose: the exact message and a piece of the flagged markup
    that names the element, on every page (the site header is on all of them). Never a pattern that could hide a new
    problem elsewhere."""

    message: str
    markup: str
    reason: str

    def matches(self, finding: Finding) -> bool:
        return finding.message == self.message and self.markup in finding.extract


LABEL_ARIA_CONTROLS = (
    "The “aria-controls” attribute must not be used on any “label” element that is associated with a labelable element."
)
KNOWN_EXCEPTIONS = [
    KnownException(
        message=LABEL_ARIA_CONTROLS,
        markup='<label aria-controls="mobile-navigation" class="ds_site-header__control js-toggle-menu" for="menu">',
        reason=(
            "The Scottish Government Design System's site header (templates/includes/site_header.html): without "
            "JavaScript the menu toggle is a <label> for a hidden checkbox; the design system's site-navigation "
            "script replaces it with a <button> and copies the label's `aria-controls` onto it to find the menu, so "
            "the attribute must be in the served markup. In the browser it only ever sits on the button."
        ),
    ),
    KnownException(
        message="The “banner” role is unnecessary for element “header”.",
        markup='<header class="ds_site-header" role="banner">',
        reason=(
            "The design system's site header markup, as it ships: a warning, not an error. The role repeats what a "
            "top-level <header> already means; it is harmless and kept so the header matches the design system."
        ),
    ),
]

# Checked in the same run: proof that the checker read the files (it lists only documents with messages, so a run
# that checked nothing would pass) and that a known exception excuses only its own element.
CANARY = "harness-canary"
CANARY_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Canary</title></head>
<body><main><h1>Canary</h1>
<h2 role="status">A heading that is not a heading any more</h2>
<label aria-controls="somewhere-else" for="canary">Not the design system's menu toggle</label>
<input id="canary" type="checkbox">
</main></body></html>
"""
CANARY_EXPECTED = {
    (4, "Bad value “status” for attribute “role” on element “h2”."),
    (5, LABEL_ARIA_CONTROLS),
}


@pytest.fixture(scope="session")
def java() -> str:
    """The system Java that runs the checker (never the JRE vnu-jar's own installer can download)."""
    path = shutil.which("java")
    if path is None:
        pytest.skip(NO_JAVA)
    return path


def check_html(documents: dict[str, str], directory: Path, *, java: str) -> list[Finding]:
    """Check every document in one run of the Nu Html Checker; return what fails, by document name."""
    if not VNU_JAR.is_file():
        raise FileNotFoundError(f"The Nu Html Checker is missing at {VNU_JAR}: run `npm ci` in {REPO_ROOT}.")
    names = {}
    for name, html in documents.items():
        path = directory / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = name
    # --no-langdetect: every page declares its language; guessing it from short pages only gives false warnings.
    # --stdout: the report alone on standard output; the JVM may write notes of its own to standard error.
    options = ["--format", "json", "--stdout", "--exit-zero-always", "--no-langdetect"]
    command = [java, "-jar", str(VNU_JAR), *options, *(str(directory / file_name) for file_name in names)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, f"The checker failed to run ({result.returncode}):\n{result.stderr}"
    findings = []
    for message in json.loads(result.stdout)["messages"]:
        kind = (message["type"], message.get("subType"))
        if kind not in FAILING:
            continue
        # The checker names each file by its URL (file:/tmp/.../home-signed-out.html).
        url = message.get("url", "")
        findings.append(
            Finding(
                document=names.get(url.rsplit("/", 1)[-1], url),
                line=message.get("lastLine", 0),
                kind="warning" if kind == ("info", "warning") else message["type"],
                message=message["message"],
                extract=message.get("extract", ""),
            )
        )
    return findings


def registered_pages(signed_out: Client, signed_in: Client) -> dict[str, str]:
    """The HTML of every page in pages.py as the portal serves it, by the same test ids as test_axe.py."""
    documents = {}
    for entry, is_signed_in in scan_cases():
        path = entry.path()
        response = (signed_in if is_signed_in else signed_out).get(path)
        # The check must be of the page itself, not of a redirect to somewhere else.
        assert response.status_code == entry.status, f"{path} answered {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), f"{path} is not HTML"
        documents[f"{entry.label}-{'signed-in' if is_signed_in else 'signed-out'}"] = response.content.decode()
    return documents


def html_emails() -> dict[str, str]:
    """The HTML part of every kind of email, rendered with what render_email gives it plus every detail the templates
    use (the details fill in text, not markup; a digest has one item, so its list has a row)."""
    context = {
        "recipient": SimpleNamespace(display_name="Morag MacLeod"),
        "site_url": "https://portal.example",
        "url": "https://portal.example/training/",
        "unsubscribe_url": "https://portal.example/notifications/unsubscribe/token/",
        "preferences_url": "https://portal.example/notifications/preferences/",
        "items": [SimpleNamespace(display_title="A new resource", event=SimpleNamespace(url="/training/"))],
        "subject": "Confirm your email address",
        "body": "Follow this link to confirm: https://portal.example/accounts/confirm-email/key/\n\nThank you.",
        "headline": "Your password was changed",
        "message": "Someone changed your password.\nIf it was not you, reset it now.",
        "contact_name": "Morag MacLeod",
        "new_contact_name": "Euan Grant",
        "organisation": "Kinloch Firth Council",
        "years": 2,
        "resource_title": "Opening doors",
        "resource_summary": "A short film about first contacts.",
        "level_names": "Trauma informed, Trauma skilled",
        "duration": "20 minutes",
    }
    emails = {
        f"email-{kind.name}": render_to_string(f"{kind.template}.html", {**context, "kind": kind})
        for kind in all_kinds()
    }
    # Account emails (allauth's text, in the portal's layout).
    emails["email-account-wrapped"] = render_to_string("portal/email/wrapped.html", context)
    return emails


def test_every_page_and_email_is_valid_html(java, member_client, tmp_path):
    documents = {**registered_pages(Client(), member_client), **html_emails()}
    assert CANARY not in documents

    findings = check_html({**documents, CANARY: CANARY_HTML}, tmp_path, java=java)

    canary = [finding for finding in findings if finding.document == CANARY]
    reported = {(finding.line, finding.message) for finding in canary}
    assert reported >= CANARY_EXPECTED, f"The checker did not report the canary's known errors: {reported}"
    excused = [finding for finding in canary for known in KNOWN_EXCEPTIONS if known.matches(finding)]
    assert not excused, f"A known exception excuses markup that is not the design system's: {excused}"
    findings = [finding for finding in findings if finding.document != CANARY]
    problems = [finding for finding in findings if not any(known.matches(finding) for known in KNOWN_EXCEPTIONS)]
    assert not problems, f"The Nu Html Checker found {len(problems)} problems:\n" + "\n".join(map(str, problems))
    # A known exception no page needs any more is removed, so the list only ever excuses what is really there.
    unused = [known.markup for known in KNOWN_EXCEPTIONS if not any(known.matches(finding) for finding in findings)]
    assert not unused, f"Known exceptions that no page needs any more (remove them): {unused}"
