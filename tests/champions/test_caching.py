"""The finder (signed out) and the IS dashboard's figures come from the cache, and every service that changes what
they show makes them fresh at once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from champions.services import people, programme
from tests.champions.helpers import make_champion, make_delivery, make_session

pytestmark = pytest.mark.django_db


def _find(client) -> str:
    return client.get(reverse("champions:find"), {"area": "fife"}).content.decode()


def test_the_finder_is_cached_for_people_signed_out_and_fresh_after_a_change(client, is_admin):
    lena = make_champion(by=is_admin, areas=("fife",), name="Listed Lena", public_listed=True, public_email="l@x.org")
    assert "Listed Lena" in _find(client)
    with CaptureQueriesContext(connection) as queries:
        assert "Listed Lena" in _find(client)
    assert len(queries) == 0  # the whole page came from the cache
    people.champion_update(
        champion=lena, data={"name": "Listed Lena Renamed"}, council_areas=lena.council_areas.all(), by=is_admin
    )
    assert "Listed Lena Renamed" in _find(client)
    people.champion_change_status(champion=lena, status="stepped_down", since=datetime.date(2026, 1, 1), by=is_admin)
    assert "Listed Lena" not in _find(client)


def test_a_change_to_public_details_shows_at_once(client, is_admin):
    user_champion = make_champion(by=is_admin, areas=("fife",), name="Morag", public_listed=True)
    assert "Morag" in _find(client)
    people.champion_update(
        champion=user_champion,
        data={"public_statement": "Ask me about letters"},
        council_areas=user_champion.council_areas.all(),
        by=is_admin,
    )
    assert "Ask me about letters" in _find(client)


def test_the_dashboard_figures_follow_every_change(client, network):
    admin = network["admin"]
    client.force_login(admin)
    url = reverse("champions:admin-dashboard")
    first = client.get(url).content.decode()
    assert "Listening to lived experience" in first
    session = make_session(cohort=network["mine"], days=3, theme="A brand new theme")
    assert "A brand new theme" in client.get(url).content.decode()
    programme.session_cancel(session=session)
    assert "A brand new theme" not in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    # Coverage changes when the only champion for Angus steps down
    before = client.get(url).content.decode()
    people.champion_change_status(
        champion=network["other"], status="stepped_down", since=datetime.date(2026, 1, 1), by=admin
    )
    after = client.get(url).content.decode()
    assert before != after
    make_delivery(champion=network["me"], by=admin)
    with_training = client.get(url).content.decode()
    assert with_training != after
    # Warm, the figures come from the cache: only the page's own reads remain (the overdue follow-ups, the shell)
    assert not any("champions_attendance" in q["sql"] for q in warm.captured_queries)


def test_an_ended_session_drops_off_the_kept_list(network):
    from django.utils import timezone

    from champions.selectors.dashboard import network_figures

    figures = network_figures()
    assert network["my_session"] in figures.upcoming
    later = timezone.now() + datetime.timedelta(days=30)
    assert network["my_session"] not in network_figures(now=later).upcoming


def test_a_champions_space_is_fresh_after_every_change_to_their_cohort(client, network):
    admin, me = network["admin"], network["me"]
    client.force_login(network["me_user"])
    url = reverse("champions:space")
    assert "Listening to lived experience" in client.get(url).content.decode()
    programme.session_note_create(session=network["my_session"], audience="cohort", body="Bring a letter", author=admin)
    assert "Bring a letter" in client.get(url).content.decode()
    newcomer = make_champion(by=admin, name="Nina Newcomer")
    programme.cohort_members_add(cohort=network["mine"], champions=[newcomer])
    assert "Nina Newcomer" in client.get(url).content.decode()
    people.champion_update(
        champion=newcomer, data={"name": "Nina Renamed"}, council_areas=newcomer.council_areas.all(), by=admin
    )
    assert "Nina Renamed" in client.get(url).content.decode()
    make_session(cohort=network["mine"], days=2, theme="A session added later")
    assert "A session added later" in client.get(url).content.decode()
    # Another champion of the same cohort shares the kept entry, and sees the same
    other_user = network["other_user"]
    programme.cohort_members_add(cohort=network["mine"], champions=[network["other"]])
    client.force_login(other_user)
    assert "Bring a letter" in client.get(url).content.decode()
    assert me.name in client.get(url).content.decode()


def test_a_champions_space_is_kept_for_them_until_something_changes(client, network):
    from unittest import mock

    from champions.views import space

    client.force_login(network["me_user"])
    url = reverse("champions:space")
    with mock.patch.object(space.SpaceView, "get", autospec=True, side_effect=space.SpaceView.get) as built:
        client.get(url)
        again = client.get(url)
        assert built.call_count == 1 and "Listening to lived experience" in again.content.decode()
        make_session(cohort=network["mine"], days=3, theme="Kept pages go stale")
        assert "Kept pages go stale" in client.get(url).content.decode()
        assert built.call_count == 2
