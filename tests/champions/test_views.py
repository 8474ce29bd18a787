"""The champions pages through the test client: what each person sees, what a form refuses and what it saves."""

import datetime
import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from champions.models import Attendance, Champion, SupportLogAccess
from tests.champions.helpers import make_champion, make_support_log
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_find_shows_only_listed_active_champions_and_their_public_fields(client, is_admin):
    make_champion(
        by=is_admin,
        areas=("fife",),
        name="Listed Lena",
        public_listed=True,
        public_email="lena.public@example.org",
        phone="0131 999 9999",
        notes="Private IS note",
    )
    make_champion(by=is_admin, areas=("fife",), name="Unlisted Una")
    left = make_champion(by=is_admin, areas=("fife",), name="Left Leo", public_listed=True, public_email="l@x.org")
    Champion.objects.filter(pk=left.pk).update(status="stepped_down")
    text = client.get(reverse("champions:find"), {"area": "fife"}).content.decode()
    assert "Listed Lena" in text and "lena.public@example.org" in text
    assert "Unlisted Una" not in text and "Left Leo" not in text
    assert "0131 999 9999" not in text and "Private IS note" not in text and "@council.example.org" not in text
    # The same champion is found through the NHS board and the HSCP that cover Fife
    for query in ({"board": "nhs-fife"}, {"hscp": "fife-health-and-social-care-partnership"}):
        assert "Listed Lena" in client.get(reverse("champions:find"), query).content.decode(), query


def test_find_for_an_unknown_place_says_so_kindly(client):
    response = client.get(reverse("champions:find"), {"area": "atlantis"})
    assert response.status_code == 200 and "We could not find that place" in response.content.decode()


def test_landing_explains_the_network_and_offers_the_search(client):
    text = client.get(reverse("champions:landing")).content.decode()
    assert "action learning" in text and 'name="area"' in text and 'name="board"' in text and 'name="hscp"' in text


def test_invitation_journey_signed_out_then_signed_in(client, is_admin, mailoutbox, django_capture_on_commit_callbacks):
    champion = make_champion(by=is_admin)
    client.force_login(is_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("champions:admin-champion-invite", args=[champion.pk]))
    assert response.status_code == 302
    path = re.search(r"https?://[^/\s]+(/champions/join/\S+/)", mailoutbox[-1].body).group(1)
    client.logout()
    page = client.get(path).content.decode()
    assert "Create an account" in page and "Connect this account</button>" not in page
    user = UserFactory(email=champion.email.upper())  # the address it was sent to, whatever its case
    client.force_login(user)
    assert "Connect this account</button>" in client.get(path).content.decode()
    assert Champion.objects.get(pk=champion.pk).user is None  # GET changes nothing
    response = client.post(path)
    assert response["Location"] == reverse("champions:space")
    assert Champion.objects.get(pk=champion.pk).user == user
    again = client.get(path)
    assert again.status_code == 400 and "replaced by a newer invitation" in again.content.decode()


def test_a_broken_invitation_link_is_explained(client):
    response = client.get(reverse("champions:invitation-accept", args=["not-a-real-token"]))
    assert response.status_code == 400 and "not complete" in response.content.decode()


def test_the_champion_space_shows_my_cohort_and_not_theirs(client, network):
    client.force_login(network["me_user"])
    text = client.get(reverse("champions:space")).content.decode()
    assert "Mine" in text and network["my_session"].theme in text
    assert "Oliver Other" not in text and "Theirs" not in text
    assert reverse("champions:session-ics", args=[network["my_session"].pk]) in text


def test_session_ics_and_calendar_feed(client, network, settings):
    settings.SITE_URL = "https://portal.example.scot"
    client.force_login(network["me_user"])
    session = network["my_session"]
    response = client.get(reverse("champions:session-ics", args=[session.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert str(event["uid"]) == f"champions-session-{session.pk}@portal.example.scot"
    assert "https://meet.example.org/room" in str(event["description"])
    client.logout()
    feed = client.get(reverse("champions:calendar-feed", args=[network["me"].calendar_token]))
    uids = [str(e["uid"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert uids == [f"champions-session-{session.pk}@portal.example.scot"]
    assert client.get(reverse("champions:calendar-feed", args=["guessed"])).status_code == 404


def test_a_champion_keeps_their_details_and_a_mistake_changes_nothing(client, network):
    client.force_login(network["me_user"])
    url = reverse("champions:space-details")
    bad = client.post(url, {"organisation_name": "", "public_listed": "on"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "<title>Error: " in text and text.count("Error: ") == 1 and "There is a problem" in text
    assert Champion.objects.get(pk=network["me"].pk).organisation_name == "Kingdom Council"
    response = client.post(url, {"organisation_name": "Fife Council", "phone": "01592 000000"})
    assert response.status_code == 302
    me = Champion.objects.get(pk=network["me"].pk)
    assert (me.organisation_name, me.phone) == ("Fife Council", "01592 000000")
    assert me.history.first().history_change_reason == "Updated by the champion"


def test_attendance_is_taken_in_one_form(client, network):
    client.force_login(network["admin"])
    session, me = network["my_session"], network["me"]
    page = client.get(reverse("champions:admin-session-detail", args=[session.pk])).content.decode()
    assert f'name="c{me.pk}"' in page
    response = client.post(reverse("champions:admin-session-attendance", args=[session.pk]), {f"c{me.pk}": "present"})
    assert response.status_code == 302
    assert Attendance.objects.get(session=session, champion=me).status == "present"


def test_every_read_of_the_confidential_log_is_recorded(client, network):
    admin, me = network["admin"], network["me"]
    log = make_support_log(champion=me, by=admin)
    client.force_login(admin)
    before = SupportLogAccess.objects.count()
    assert "Confidential worries" in client.get(reverse("champions:admin-support-list", args=[me.pk])).content.decode()
    client.get(reverse("champions:admin-support-detail", args=[log.pk]))
    reads = list(SupportLogAccess.objects.order_by("pk").values_list("action", "user_id")[before:])
    assert reads == [("viewed_list", admin.pk), ("viewed", admin.pk)]
    access = client.get(reverse("champions:admin-support-access")).content.decode()
    assert "Read a record" in access and "Confidential worries" not in access
    response = client.get(reverse("champions:admin-support-detail", args=[log.pk]))
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_the_confidential_log_is_not_found_for_the_champion_it_is_about(client, network):
    log = make_support_log(champion=network["me"], by=network["admin"])
    client.force_login(network["me_user"])
    assert client.get(reverse("champions:admin-support-detail", args=[log.pk])).status_code == 404
    assert SupportLogAccess.objects.filter(user=network["me_user"]).count() == 0


def test_admin_adds_a_champion_and_sees_the_history(client, is_admin):
    client.force_login(is_admin)
    data = {
        "name": "New Nina",
        "email": "nina@example.org",
        "organisation_name": "Angus Council",
        "organisation_type": "local_authority",
        "date_joined": "2026-01-10",
        "council_areas": [],
    }
    response = client.post(reverse("champions:admin-champion-create"), data)
    assert response.status_code == 302
    nina = Champion.objects.get(email="nina@example.org")
    duplicate = client.post(reverse("champions:admin-champion-create"), {**data, "email": "NINA@example.org"})
    assert duplicate.status_code == 400 and "Another champion" in duplicate.content.decode()
    client.post(
        reverse("champions:admin-champion-status", args=[nina.pk]),
        {"status": "on_leave", "since": "2026-02-01", "expected_return_on": "2026-05-01", "reason": "Secondment"},
    )
    page = client.get(reverse("champions:admin-champion-detail", args=[nina.pk])).content.decode()
    assert "Status: on leave (Secondment)" in page and "Added" in page
    nina.refresh_from_db()
    assert nina.expected_return_on == datetime.date(2026, 5, 1)


def test_admin_champion_list_filters_and_pages(client, is_admin):
    for n in range(5):
        make_champion(by=is_admin, areas=("fife",) if n % 2 else ("angus",), name=f"Person {n}")
    client.force_login(is_admin)
    text = client.get(reverse("champions:admin-champion-list"), {"area": "fife"}).content.decode()
    assert "Person 1" in text and "Person 3" in text and "Person 0" not in text
    from champions import selectors

    first = selectors.champion_list(size=2)
    second = selectors.champion_list(size=2, cursor=first.next_cursor)
    assert [c.name for c in first.items] == ["Person 0", "Person 1"]
    assert [c.name for c in second.items] == ["Person 2", "Person 3"]


def test_a_cancelled_session_leaves_the_space_and_shows_cancelled_in_the_feed(client, network):
    session = network["my_session"]
    client.force_login(network["admin"])
    client.post(reverse("champions:admin-session-cancel", args=[session.pk]))
    session.refresh_from_db()
    assert session.cancelled_at is not None and session.sequence == 1
    client.force_login(network["me_user"])
    assert session.theme not in client.get(reverse("champions:space")).content.decode()
    ics = client.get(reverse("champions:session-ics", args=[session.pk]))
    assert "STATUS:CANCELLED" in ics.content.decode()


def test_the_landing_page_points_a_champion_to_their_space(client, network):
    assert reverse("champions:space") not in client.get(reverse("champions:landing")).content.decode()
    client.force_login(network["me_user"])
    assert reverse("champions:space") in client.get(reverse("champions:landing")).content.decode()


def test_a_champion_makes_a_new_calendar_address_and_the_old_one_stops(client, network):
    old = network["me"].calendar_token
    client.force_login(network["me_user"])
    assert client.post(reverse("champions:space-calendar-renew")).status_code == 302
    new = Champion.objects.get(pk=network["me"].pk).calendar_token
    assert new != old
    assert client.get(reverse("champions:calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("champions:calendar-feed", args=[new])).status_code == 200
