"""Learning events: upcoming and past lists, the event page, an .ics per event and the iCalendar feed."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.training.catalogue_helpers import make_event, make_resource

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_upcoming_and_past_lists(client, django_assert_max_num_queries):
    """Guards against a query per event (the list reads one table; counts are one query each)."""
    for days in (3, 10, 20, 30):
        make_event(title=f"Coming in {days} days", days_from_now=days)
    make_event(title="Last month", days_from_now=-30)
    make_event(title="Draft", days_from_now=5, published_at=None)

    with django_assert_max_num_queries(4):
        response = client.get(reverse("training:event-list"))
    titles = [event.title for event in response.context["events"]]
    assert titles == ["Coming in 3 days", "Coming in 10 days", "Coming in 20 days", "Coming in 30 days"]
    assert b"4 upcoming events" in response.content

    response = client.get(reverse("training:event-past"))
    assert [event.title for event in response.context["events"]] == ["Last month"]


def test_an_event_in_progress_is_still_upcoming(client):
    make_event(title="Happening now", days_from_now=0, hours=2)
    response = client.get(reverse("training:event-list"))
    assert [event.title for event in response.context["events"]] == ["Happening now"]


def test_event_page_shows_london_time_venue_and_booking(client):
    event = make_event(
        starts_at=datetime(2031, 7, 1, 10, 0, tzinfo=LONDON),
        ends_at=datetime(2031, 7, 1, 11, 30, tzinfo=LONDON),
        online=False,
        venue="Stirling Court Hotel",
        speakers="Ann Example, housing manager\nBen Example, tenant adviser",
        booking_url="https://example.org/book",
    )
    response = client.get(reverse("training:event-detail", args=[event.slug]))
    content = response.content.decode()
    assert "10:00 a.m. to 11:30 a.m. (UK time)" in content
    assert "Tuesday 1 July 2031" in content
    assert "Stirling Court Hotel" in content
    assert "Ben Example, tenant adviser" in content
    assert "https://example.org/book" in content
    assert reverse("training:event-ics", args=[event.slug]) in content


def test_past_event_page_shows_recording_transcript_and_resources(client, django_assert_max_num_queries):
    """Guards the N+1 on the event's resources and their levels."""
    event = make_event(
        days_from_now=-10,
        recording_url="https://example.org/recording",
        recording_transcript="**Chair:** welcome",
        booking_url="https://example.org/book",
    )
    event.resources.set([make_resource(title=f"Slides {n}") for n in range(4)] + [make_resource(published=False)])
    with django_assert_max_num_queries(4):
        response = client.get(reverse("training:event-detail", args=[event.slug]))
    content = response.content.decode()
    assert "https://example.org/recording" in content
    assert "<strong>Chair:</strong> welcome" in content
    assert "Slides 3" in content
    assert "Resource " not in content  # the draft is not listed
    assert "Book a place" not in content  # booking closes once it is over


def test_unpublished_event_is_not_found(client):
    event = make_event(published_at=None)
    assert client.get(reverse("training:event-detail", args=[event.slug])).status_code == 404
    assert client.get(reverse("training:event-ics", args=[event.slug])).status_code == 404


def test_ics_download_has_the_event_in_london_time(client):
    event = make_event(
        title="Deep dive: housing",
        starts_at=datetime(2031, 7, 1, 10, 0, tzinfo=LONDON),
        ends_at=datetime(2031, 7, 1, 11, 0, tzinfo=LONDON),
        online=True,
        booking_url="https://example.org/book",
    )
    response = client.get(reverse("training:event-ics", args=[event.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    assert f'filename="{event.slug}.ics"' in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    [entry] = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Deep dive: housing"
    assert entry.decoded("DTSTART") == datetime(2031, 7, 1, 10, 0, tzinfo=LONDON)
    assert entry["DTSTART"].params["TZID"] == "Europe/London"
    assert entry.decoded("DTEND").astimezone(LONDON).hour == 11
    assert str(entry["LOCATION"]) == "Online"
    assert "https://example.org/book" in str(entry["DESCRIPTION"])
    assert calendar.walk("VTIMEZONE"), "the calendar carries the Europe/London time zone"


def test_feed_lists_only_upcoming_published_events(client):
    make_event(title="Soon", days_from_now=2)
    make_event(title="Later", days_from_now=40, online=False, venue="Dundee")
    make_event(title="Over", days_from_now=-2)
    make_event(title="Hidden", days_from_now=3, published_at=None)
    response = client.get(reverse("training:event-feed"))
    calendar = Calendar.from_ical(response.content)
    summaries = [str(entry["SUMMARY"]) for entry in calendar.walk("VEVENT")]
    assert summaries == ["Soon", "Later"]
    assert {str(entry["UID"]) for entry in calendar.walk("VEVENT")}.__len__() == 2
    assert str(calendar.walk("VEVENT")[1]["LOCATION"]) == "Dundee"


def test_event_uids_and_links_come_from_site_url_not_the_host_asked(client, settings):
    """A calendar app keys events by UID: the same event fetched under two names must keep one UID, or subscribers
    see it twice."""
    settings.SITE_URL = "https://portal.example.scot"
    settings.ALLOWED_HOSTS = ["portal.example.scot", "other-name.example.org"]
    event = make_event(title="Soon", days_from_now=2)

    uids, urls = set(), set()
    for host in ("portal.example.scot", "other-name.example.org"):
        for url in (reverse("training:event-feed"), reverse("training:event-ics", args=[event.slug])):
            [entry] = Calendar.from_ical(client.get(url, HTTP_HOST=host).content).walk("VEVENT")
            uids.add(str(entry["UID"]))
            urls.add(str(entry["URL"]))

    assert uids == {f"training-event-{event.pk}@portal.example.scot"}
    assert urls == {"https://portal.example.scot" + reverse("training:event-detail", args=[event.slug])}
