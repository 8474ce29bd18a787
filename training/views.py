"""Catalogue, practice levels, case studies, learning events and the editors' figures.

Views are thin: they check access, bind a form, call a selector or a service and render.
"""

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST, require_safe
from icalendar import Calendar, Event

from portal import uploads
from portal.member_pages import member_page
from portal.notifications.services import absolute_url, notifications_mark_seen
from portal.permissions import staff_page
from portal.ratelimits import rate_limit
from portal.spreadsheets import csv_response
from training import exports, files, selectors, services
from training.forms import FeedbackForm, LevelFinderForm, LevelInterestForm
from training.learning.selectors import LEARNING_CACHE
from training.models import LearningEvent, Resource
from training.permissions import EDITORS, can_preview, resource_get_for_user
from training.selectors import CATALOGUE_CACHE

LONDON = ZoneInfo("Europe/London")


@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/landing.html",
        {
            "levels": selectors.level_list(),
            "latest": selectors.resource_latest(limit=3),
            "events": list(selectors.event_upcoming()[:2]),
            "case_studies": selectors.case_study_latest(limit=2),
        },
    )


# --- Resources ----------------------------------------------------------------------------------------------------


@require_safe
def resource_list(request: HttpRequest) -> HttpResponse:
    results = selectors.resource_catalogue(data=request.GET)
    return render(request, "training/resource_list.html", {"results": results, "form": results.filterset.form})


def _render_resource(
    request: HttpRequest, resource: Resource, *, feedback_form: FeedbackForm, preview: bool, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "training/resource_detail.html",
        {
            "resource": resource,
            "feedback_form": feedback_form,
            "preview": preview,
            "is_video": resource.format in ("video", "webinar"),
            "continue_query": "?continue=1" + ("&preview=1" if preview else ""),
        },
        status=status,
    )


@require_safe
def resource_detail(request: HttpRequest, slug: str) -> HttpResponseBase:
    preview = _wants_preview(request)
    resource = resource_get_for_user(slug=slug, user=request.user, preview=preview)
    if resource.content_warning and request.GET.get("continue") != "1":
        # Before distressing material: say what is in it, and let the person choose to go on, go back or get support.
        return render(
            request,
            "training/resource_warning.html",
            {"resource": resource, "continue_query": "?continue=1" + ("&preview=1" if preview else "")},
        )
    if not preview and request.method == "GET":  # a HEAD from a link checker is not someone reading it
        services.resource_view_count(resource=resource)
    notifications_mark_seen(user=request.user, subject_object=resource)
    if preview:
        return _render_resource(request, resource, feedback_form=FeedbackForm(), preview=preview)
    return _resource_page(request, slug, resource=resource)


@member_page(CATALOGUE_CACHE, "reference", personal_namespaces=(LEARNING_CACHE,))
def _resource_page(request: HttpRequest, slug: str, *, resource: Resource) -> HttpResponse:
    """The published resource's page: kept for a signed-in reader until the catalogue, their learning record or their
    account changes, or they post anything (portal/member_pages.py). Counting the view and marking its news seen
    happen before, on every visit."""
    return _render_resource(request, resource, feedback_form=FeedbackForm(), preview=False)


def _wants_preview(request: HttpRequest) -> bool:
    """Asked for a preview by someone allowed one: the rule lives in training.permissions.can_preview."""
    return request.GET.get("preview") == "1" and can_preview(request.user)


def _file_response(response: FileResponse, *, preview: bool) -> FileResponse:
    # Never run as a page, whatever a browser makes of it: no sniffing, no scripts, no plugins, its own origin.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if preview:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=3600)
    return response


@require_safe
def resource_document(request: HttpRequest, slug: str) -> FileResponse:
    """The resource's PDF, always as a download. Only for a published resource (or a staff preview of a draft)."""
    preview = _wants_preview(request)
    resource = resource_get_for_user(slug=slug, user=request.user, preview=preview)
    if not resource.document or not uploads.is_pdf(resource.document):
        raise Http404("No document for this resource")
    response = FileResponse(
        resource.document.open("rb"),
        as_attachment=True,
        filename=f"{resource.slug}.pdf",
        content_type="application/pdf",
    )
    return _file_response(response, preview=preview)


@require_safe
def resource_image(request: HttpRequest, slug: str) -> FileResponse:
    """The resource's picture, served only as the PNG, JPEG or WebP it really is."""
    preview = _wants_preview(request)
    resource = resource_get_for_user(slug=slug, user=request.user, preview=preview)
    found = files.image_format(resource.image) if resource.image else None
    if found is None:
        raise Http404("No image for this resource")
    response = FileResponse(resource.image.open("rb"), content_type=uploads.IMAGE_TYPES[found])
    return _file_response(response, preview=preview)


@require_POST
@rate_limit(group="training:resource-feedback", rate="10/m")
def resource_feedback(request: HttpRequest, slug: str) -> HttpResponse:
    resource = resource_get_for_user(slug=slug, user=request.user)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.resource_feedback_create(
                resource=resource, useful=form.cleaned_data["useful"] == "yes", comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            form.add_error("comment", error)
        else:
            messages.success(request, "Thank you for your feedback. It helps us make the training better.")
            return redirect(f"{resource.get_absolute_url()}?continue=1#feedback")
    return _render_resource(request, resource, feedback_form=form, preview=False, status=400)


# --- Levels -------------------------------------------------------------------------------------------------------


@require_safe
def level_finder(request: HttpRequest) -> HttpResponse:
    """A plain GET form, so the answer page can be bookmarked and nothing is stored."""
    form = LevelFinderForm(request.GET if "contact" in request.GET or "submitted" in request.GET else None)
    recommended = None
    if form.is_bound and form.is_valid():
        recommended = selectors.level_get(slug=form.recommended_slug())
    return render(
        request,
        "training/level_finder.html",
        {
            "form": form,
            "recommended": recommended,
            "below": selectors.level_below(level=recommended) if recommended else [],
            "pathways": list(selectors.level_pathways(level=recommended)) if recommended else [],
        },
    )


@require_safe
def level_detail(request: HttpRequest, slug: str) -> HttpResponse:
    level = selectors.level_get(slug=slug)
    following = selectors.level_interest_exists(user=request.user, level=level)
    return render(
        request,
        "training/level_detail.html",
        {
            "level": level,
            "below": selectors.level_below(level=level),
            "resources": selectors.level_resources(level=level),
            "pathways": selectors.level_pathways(level=level),
            "following": following,
            "interest_form": LevelInterestForm(initial={"wanted": following}),
        },
    )


@login_required
@require_POST
def level_interest(request: HttpRequest, slug: str) -> HttpResponse:
    level = selectors.level_get(slug=slug)
    form = LevelInterestForm(request.POST)
    form.is_valid()  # a single optional checkbox: always valid
    wanted = bool(form.cleaned_data.get("wanted"))
    services.level_interest_set(user=request.user, level=level, wanted=wanted)
    if wanted:
        messages.success(request, f"We will email you when a new {level.name} resource is added.")
    else:
        messages.success(request, f"You will not hear about new {level.name} resources.")
    return redirect(reverse("training:level-detail", args=[level.slug]) + "#follow")


# --- Case studies -------------------------------------------------------------------------------------------------


@require_safe
def case_study_list(request: HttpRequest) -> HttpResponse:
    return render(request, "training/case_study_list.html", {"results": selectors.case_study_list(data=request.GET)})


@require_safe
def case_study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "training/case_study_detail.html", {"case_study": selectors.case_study_get(slug=slug)})


# --- Events -------------------------------------------------------------------------------------------------------


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/event_list.html",
        {"events": selectors.event_upcoming(), "past": False, "other_count": selectors.event_past().count()},
    )


@require_safe
def event_past(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/event_list.html",
        {"events": selectors.event_past(), "past": True, "other_count": selectors.event_upcoming().count()},
    )


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get(slug=slug)
    return render(
        request,
        "training/event_detail.html",
        {
            "event": event,
            "is_past": event.ends_at < timezone.now(),
            "speakers": [line.strip() for line in event.speakers.splitlines() if line.strip()],
        },
    )


def _ics_event(event: LearningEvent, stamp: datetime) -> Event:
    entry = Event()
    # From SITE_URL, never the request's Host: a calendar app keys events by UID, so the portal reached under a
    # second name would otherwise give its subscribers every event twice.
    entry.add("uid", f"training-event-{event.pk}@{urlsplit(settings.SITE_URL).hostname}")
    entry.add("dtstamp", stamp)
    entry.add("dtstart", event.starts_at.astimezone(LONDON))
    entry.add("dtend", event.ends_at.astimezone(LONDON))
    entry.add("summary", event.title)
    page = absolute_url(reverse("training:event-detail", args=[event.slug]))
    description = event.summary + "\n\nDetails: " + page
    if event.booking_url:
        description += "\nBook a place: " + event.booking_url
    entry.add("description", description)
    entry.add("location", "Online" if event.online else event.venue)
    entry.add("url", page)
    return entry


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PORTAL_NAME}//Training events//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    return calendar


def _ics_response(calendar: Calendar, filename: str) -> HttpResponse:
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get(slug=slug)
    calendar = _calendar(event.title)
    calendar.add_component(_ics_event(event, timezone.now()))
    return _ics_response(calendar, f"{event.slug}.ics")


@require_safe
def event_feed(request: HttpRequest) -> HttpResponse:
    """An iCalendar feed of upcoming events that people can subscribe to in their calendar app."""
    calendar = _calendar("Trauma training events")
    stamp = timezone.now()
    for event in selectors.event_upcoming():
        calendar.add_component(_ics_event(event, stamp))
    response = _ics_response(calendar, "training-events.ics")
    response["Content-Disposition"] = 'inline; filename="training-events.ics"'
    return response


# --- Editors' figures ---------------------------------------------------------------------------------------------


def _figure_rows(resources) -> list[dict]:
    rows = []
    for resource in resources:
        rate = round(100 * resource.completions / resource.starts) if resource.starts else None
        useful = round(100 * resource.feedback_useful / resource.feedback_total) if resource.feedback_total else None
        change = round(resource.confidence_change, 1) if resource.confidence_change is not None else None
        rows.append(
            {
                "resource": resource,
                "views": resource.view_count,
                "starts": resource.starts,
                "completions": resource.completions,
                "completion_rate": rate,
                "feedback_total": resource.feedback_total,
                "useful_share": useful,
                "confidence_change": change,
            }
        )
    return rows


@require_safe
@staff_page(*EDITORS)
def resource_figures(request: HttpRequest) -> HttpResponse:
    return render(request, "training/resource_figures.html", {"rows": _figure_rows(selectors.resource_figures())})


@require_safe
@staff_page(*EDITORS)
def resource_figures_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    rows = _figure_rows(selectors.resource_figures())
    return csv_response(exports.RESOURCE_FIGURES.csv_lines(rows), filename="training-figures.csv")
