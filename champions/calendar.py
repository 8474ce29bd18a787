"""iCalendar files for sessions: one session's .ics, and a champion's personal feed. UIDs come from SITE_URL (never
the request's Host), so a calendar app keys each session the same however the portal was reached."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from champions.models import Session
from portal.notifications.services import absolute_url

LONDON = ZoneInfo("Europe/London")


def session_uid(session: Session) -> str:
    return f"champions-session-{session.pk}@{urlsplit(settings.SITE_URL).hostname}"


def _event(session: Session, stamp: datetime) -> Event:
    entry = Event()
    entry.add("uid", session_uid(session))
    entry.add("dtstamp", stamp)
    entry.add("sequence", session.sequence)
    entry.add("dtstart", session.starts_at.astimezone(LONDON))
    entry.add("dtend", session.ends_at.astimezone(LONDON))
    entry.add("summary", f"{session.cohort.name}: {session.theme}")
    page = absolute_url(reverse("champions:space-session", args=[session.pk]))
    description = (session.description + "\n\n" if session.description else "") + "Details: " + page
    if session.online_url:
        description += "\nJoin online: " + session.online_url
    entry.add("description", description)
    entry.add("location", session.venue.replace("\n", ", ") if session.venue else "Online")
    entry.add("url", page)
    if session.cancelled_at:
        entry.add("status", "CANCELLED")
    return entry


def calendar_response(sessions: Iterable[Session], *, name: str, filename: str, inline: bool = False) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PORTAL_NAME}//Trauma champions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    stamp = timezone.now()
    for session in sessions:
        calendar.add_component(_event(session, stamp))
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
