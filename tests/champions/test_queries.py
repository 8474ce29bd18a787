"""Query counts for the champions pages stay flat as data grows: each page is asked for at a small size and again
after more rows of every kind it shows were added, and must make the same number of queries both times."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from champions.models import PlanRating
from champions.services import local, programme
from portal.models import ServiceArea
from tests.champions.helpers import (
    make_champion,
    make_delivery,
    make_plan,
    make_session,
    make_shared_file,
    make_support_log,
)

pytestmark = pytest.mark.django_db


def grow(network: dict, n: int) -> None:
    """Add `n` more of everything: champions in my cohort and other areas, sessions with attendance and notes,
    shared files, plans with ratings, training with areas of work, and one-to-one records with their reads."""
    admin, mine, me = network["admin"], network["mine"], network["me"]
    champions = [
        make_champion(by=admin, areas=("fife", "angus"), public_listed=True, public_email=f"p{i}@x.org")
        for i in range(n)
    ]
    programme.cohort_members_add(cohort=mine, champions=champions)
    for i in range(n):
        session = make_session(cohort=mine, days=3 + i, theme=f"Theme {i}")
        programme.attendance_record(session=session, statuses={c.pk: "present" for c in [me, *champions]}, by=admin)
        programme.session_note_create(session=session, audience="cohort", body=f"Note {i}", author=admin)
        programme.session_note_create(session=network["my_session"], audience="cohort", body=f"Note {i}", author=admin)
        make_shared_file(cohort=mine, by=admin)
        plan = make_plan(area="fife", by=admin)
        local.plan_rate(plan=plan, rating=2, comment="", by=admin)
        local.plan_rate(plan=network["plan"], rating=3, comment="", by=admin)
        delivery = make_delivery(champion=me, by=admin, days_ago=i)
        delivery.service_areas.set(ServiceArea.objects.all()[:3])
        make_support_log(champion=me, by=admin)
    programme.attendance_record(
        session=network["my_session"], statuses={c.pk: "apologies" for c in champions}, by=admin
    )


@pytest.fixture
def network_with_plan(network):
    network["plan"] = make_plan(area="fife", by=network["admin"])
    network["log"] = make_support_log(champion=network["me"], by=network["admin"])
    return network


def count(client, url: str) -> int:
    client.get(url)  # the first request of a page may fill per-process caches (the shell, the header's counts)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def assert_flat(client, network: dict, urls: Callable[[dict], list[str]]) -> None:
    grow(network, 2)
    small = {url: count(client, url) for url in urls(network)}
    grow(network, 8)
    large = {url: count(client, url) for url in urls(network)}
    assert large == small, f"query counts grew with the data: {small} -> {large}"
    assert PlanRating.objects.count() > 10  # the data really grew


def test_admin_pages_are_flat(client, network_with_plan):
    """Guards the N+1s on each champion's areas and board, each cohort's counts, each session's attendance and
    notes, each shared resource's catalogue entry, each one-to-one record's actions, each plan's latest rating and
    each training record's areas of work."""
    client.force_login(network_with_plan["admin"])

    def urls(w: dict) -> list[str]:
        return [
            reverse("champions:admin-champion-list"),
            reverse("champions:admin-champion-list") + "?area=fife&status=active",
            reverse("champions:admin-champion-detail", args=[w["me"].pk]),
            reverse("champions:admin-cohort-list"),
            reverse("champions:admin-cohort-detail", args=[w["mine"].pk]),
            reverse("champions:admin-session-detail", args=[w["my_session"].pk]),
            reverse("champions:admin-support-list", args=[w["me"].pk]),
            reverse("champions:admin-support-detail", args=[w["log"].pk]),
            reverse("champions:admin-support-access"),
            reverse("champions:admin-plan-list"),
            reverse("champions:admin-plan-detail", args=[w["plan"].pk]),
            reverse("champions:admin-training-list"),
        ]

    assert_flat(client, network_with_plan, urls)


def test_champion_pages_are_flat(client, network_with_plan):
    """Guards the N+1s on fellow members, upcoming sessions' cohorts, notes' sessions, shared resources, plans'
    ratings and training records' areas of work in a champion's space, and on sessions in the calendar feed."""
    client.force_login(network_with_plan["me_user"])

    def urls(w: dict) -> list[str]:
        return [
            reverse("champions:space"),
            reverse("champions:space-session", args=[w["my_session"].pk]),
            reverse("champions:space-plans"),
            reverse("champions:space-plan", args=[w["plan"].pk]),
            reverse("champions:space-training"),
            reverse("champions:calendar-feed", args=[w["me"].calendar_token]),
        ]

    assert_flat(client, network_with_plan, urls)


def test_public_find_is_flat(client, network_with_plan):
    """Guards the N+1 on each listed champion's council areas."""

    def urls(w: dict) -> list[str]:
        return [
            reverse("champions:find") + "?area=fife",
            reverse("champions:find") + "?board=nhs-fife",
            reverse("champions:find") + "?hscp=fife-health-and-social-care-partnership",
            reverse("champions:landing"),
        ]

    assert_flat(client, network_with_plan, urls)
