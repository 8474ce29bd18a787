"""The public pages of the pledge: signing, confirming, the register, its open data, feed and summary."""

import gzip
import json
import mimetypes
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.dateformat import format as date_format
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views import View
from django.views.generic import TemplateView

from pledges import exports, selectors, services, tokens
from pledges.forms import (
    PledgeSignForm,
)
from pledges.models import ACTION_GROUPS, COMMITMENTS, Pledge, PledgeStatus
from pledges.permissions import (
    organisation_get_for_user,
)
from portal import file_cache
from portal.cache import cached
from portal.charts import bar_chart
from portal.notifications.services import absolute_url
from portal.ratelimits import rate_limit

SIGNED_SESSION_KEY = "pledges_signed"
# Per address, on signing and on asking for a management link: far more than any organisation needs.
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
RATE = "5/h"


# --- Signing ----------------------------------------------------------------------------------------------------


class LandingView(TemplateView):
    template_name = "pledges/landing.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "commitments": COMMITMENTS,
            "action_groups": ACTION_GROUPS,
            "total": selectors.register_total(),
        }


@method_decorator(rate_limit(group="pledges:sign", rate=RATE), name="post")
class PledgeSignView(View):
    template_name = "pledges/pledge_sign.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": PledgeSignForm(), "commitments": COMMITMENTS})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PledgeSignForm(request.POST, request.FILES)
        if form.is_bot():
            # Say the same as for a person, so the form-filler learns nothing; keep nothing.
            request.session[SIGNED_SESSION_KEY] = None
            return redirect("pledges:pledge-sent")
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "commitments": COMMITMENTS}, status=400)
        pledge = services.pledge_sign(**form.service_kwargs())
        request.session[SIGNED_SESSION_KEY] = pledge.pk
        return redirect("pledges:pledge-sent")


class PledgeSentView(View):
    """Straight after signing: check your email, and what happens next."""

    def get(self, request: HttpRequest) -> HttpResponse:
        pk = request.session.get(SIGNED_SESSION_KEY)
        pledge = Pledge.objects.select_related("possible_duplicate_of").filter(pk=pk).first() if pk else None
        if SIGNED_SESSION_KEY not in request.session:
            return redirect("pledges:pledge-sign")
        # Only a match on the public register is mentioned: this page is public, and an unpublished pledge is not.
        duplicate = pledge.possible_duplicate_of if pledge else None
        if duplicate is not None and not duplicate.is_public:
            duplicate = None
        return render(
            request,
            "pledges/pledge_sent.html",
            {"pledge": pledge, "duplicate": duplicate, "status": PledgeStatus.AWAITING_CONFIRMATION},
        )


class PledgeConfirmView(View):
    """The link in the confirmation email. GET asks; POST confirms, so link-scanning mail filters change nothing."""

    def dispatch(self, request: HttpRequest, token: str) -> HttpResponseBase:
        try:
            self.pledge = selectors.pledge_from_link(token, salt=tokens.CONFIRM_SALT, max_age=tokens.CONFIRM_MAX_AGE)
        except tokens.LinkExpired:
            return render(request, "pledges/link_expired.html", {"confirm": True}, status=410)
        except tokens.LinkSuperseded:
            return render(request, "pledges/link_expired.html", {"confirm": True, "superseded": True}, status=410)
        return super().dispatch(request, token)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return render(request, "pledges/pledge_confirm.html", {"pledge": self.pledge})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        if not services.pledge_confirm(pledge=self.pledge):
            # Already confirmed: this week-long link must not hand out a management link (those last a day).
            self.pledge.refresh_from_db(fields=["status"])
            return render(request, "pledges/pledge_confirm.html", {"pledge": self.pledge})
        messages.success(request, "Thank you: your email address is confirmed.")
        return redirect(services.manage_path(self.pledge))


# --- The public register ----------------------------------------------------------------------------------------


class _CountedPaginator(Paginator):
    """A paginator told its count: the whole register's total is cached, so it is not counted a second time."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property: this is its value


class RegisterListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = selectors.register_filter(request.GET)
        filtered = any(value for key, value in request.GET.items() if key not in {"page", "sort"})
        total = selectors.register_total()
        if filtered or not filterset.is_valid():
            paginator = Paginator(filterset.qs, selectors.REGISTER_PAGE_SIZE)
        else:
            paginator = _CountedPaginator(filterset.qs, selectors.REGISTER_PAGE_SIZE, count=total)
        page = paginator.get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        # A search too long to use is refused with a message; an unknown filter value is simply ignored.
        search_error = "q" in filterset.form.errors
        return render(
            request,
            "pledges/register_list.html",
            {
                "filter": filterset,
                "page": page,
                "query_string": params.urlencode(),
                "total": total,
                "filtered": filtered,
                "search_error": search_error,
            },
            status=400 if search_error else 200,
        )


class OrganisationDetailView(View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        pledge = organisation_get_for_user(slug=slug, user=request.user)
        return render(request, "pledges/organisation_detail.html", {"pledge": pledge})


def _logo_response(pledge: Pledge, *, cache_control: str) -> FileResponse:
    """The pledge's logo as an image, or 404 when there is none (or it is not one of the images signing accepts)."""
    name = pledge.logo.name
    if not name:  # what `not pledge.logo` asks
        raise Http404("No logo")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type not in {"image/png", "image/jpeg"}:
        raise Http404("No logo")
    response = FileResponse(pledge.logo.open("rb"), content_type=content_type)
    response["Cache-Control"] = cache_control
    return response


class OrganisationLogoView(View):
    """Logos are served from here, not from MEDIA_URL, so only a published pledge's logo is ever public."""

    def get(self, request: HttpRequest, slug: str) -> FileResponse:
        return _logo_response(
            organisation_get_for_user(slug=slug, user=request.user), cache_control="public, max-age=3600"
        )


class OpenDataView(TemplateView):
    template_name = "pledges/open_data.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "columns": selectors.OPEN_DATA_COLUMNS}


def open_data_json(rows: list[dict]) -> bytes:
    """Only the declared columns (exports.REGISTER) reach the file. Escaping <, > and & keeps the JSON inert even if
    something shows it as HTML; it decodes to the same text."""
    records = list(exports.REGISTER.records(rows))
    return (
        json.dumps({"count": len(records), "organisations": records}, ensure_ascii=False, indent=1)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .encode()
    )


def _open_data(request: HttpRequest, name: str, render, content_type: str) -> HttpResponseBase:
    """The register in one format, built once per change to the register (it is the same for everyone), and kept
    gzipped too: the file is megabytes, and public, so compressing it gives nothing away (unlike a page with a
    CSRF token, which is why the portal has no GZipMiddleware).

    Both are served from files on this server's disk (portal/file_cache.py), so gunicorn sends them with sendfile:
    a client that asks for no compression (a script, a probe) gets 3.7 MB for 5,000 pledges, which Python copying
    it into the socket made the slowest answer the portal gave. The bytes come from the shared cache, built once."""

    def build() -> tuple[bytes, bytes]:
        body = render(selectors.open_data_rows(site_url=settings.SITE_URL))
        return body, gzip.compress(body, compresslevel=6, mtime=0)

    def variant(index: int) -> bytes:
        return cached(selectors.REGISTER_AND_REFERENCE, f"open-data.{name}", build)[index]

    compressed = bool(_ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    file_name = f"register.{name}{'.gz' if compressed else ''}"
    etag = f'"{file_cache.version_tag(selectors.REGISTER_AND_REFERENCE, file_name)}"'
    response: HttpResponseBase | None = get_conditional_response(request, etag=etag)
    if response is None:
        path = file_cache.cached_file(selectors.REGISTER_AND_REFERENCE, file_name, lambda: variant(int(compressed)))
        try:
            response = FileResponse(path.open("rb"), content_type=content_type)
        except FileNotFoundError:  # replaced by a newer version between the two lines above: send it from memory
            response = HttpResponse(variant(int(compressed)), content_type=content_type)
    if compressed and response.status_code == 200:
        response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


class RegisterCsvView(View):
    def get(self, request: HttpRequest) -> HttpResponseBase:
        response = _open_data(request, "csv", exports.REGISTER.csv_bytes, "text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="leadership-pledge-register.csv"'
        return response


class RegisterJsonView(View):
    def get(self, request: HttpRequest) -> HttpResponseBase:
        return _open_data(request, "json", open_data_json, "application/json; charset=utf-8")


class NewSignatoriesFeed(Feed):
    """Links are absolute from SITE_URL: left relative, Django would complete them with the Site record's domain (a
    development address unless someone edits it), and the entries' ids with them.
    """

    feed_type = Atom1Feed
    title = "New signatories of the leadership pledge"
    subtitle = "Organisations that have joined the register of Scotland's trauma-informed leadership pledge."
    # RFC 4287 needs an author on the feed or on every entry: the portal publishes the register.
    author_name = settings.PORTAL_NAME

    def link(self) -> str:
        return absolute_url(reverse("pledges:register-list"))

    def feed_url(self) -> str:
        return absolute_url(reverse("pledges:register-feed"))

    def author_link(self) -> str:
        return absolute_url(reverse("portal:home"))

    def items(self):
        return selectors.newest_signatories()

    def item_title(self, item: Pledge) -> str:
        return item.organisation_name

    def item_description(self, item: Pledge) -> str:
        # Atom summaries are read as HTML: escape the plain text so markup in a statement arrives as text.
        return escape(item.statement)

    def item_link(self, item: Pledge) -> str:
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item: Pledge):
        return item.signed_at

    def item_updateddate(self, item: Pledge):
        return item.signed_at


class SummaryView(TemplateView):
    template_name = "pledges/summary.html"

    def get_context_data(self, **kwargs):
        figures = selectors.summary()
        return {
            **super().get_context_data(**kwargs),
            "chart": bar_chart(
                [(date_format(m.month, "F Y"), date_format(m.month, "M Y"), m.count) for m in figures.months],
                html_id="chart",
                title="organisations signing each month",
                caption="Each bar is one month.",
                label_heading="Month",
                value_heading="Organisations",
            ),
            "per_type": figures.per_type,
            "areas": figures.areas,
            "scotland_wide": figures.scotland_wide,
            "total": figures.total,
        }
