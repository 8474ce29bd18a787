"""The IS admins' network dashboard and training totals: what they count, and that they cost the same number of
queries with 10 champions or 1,000 and 10,000 attendance rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from champions.models import (
    Attendance,
    Champion,
    Cohort,
    CohortMembership,
    Session,
    SupportLog,
    TrainingDelivery,
)
from champions.selectors import dashboard, totals
from champions.services import people, programme
from portal.models import CouncilArea, HealthAndSocialCarePartnership, HealthBoard, PracticeLevel
from tests.champions.helpers import make_champion, make_cohort, make_delivery, make_session, make_support_log

pytestmark = pytest.mark.django_db


def _coverage(kind):
    return {c.key: c for c in dashboard.network_coverage()}[kind]


def test_coverage_counts_active_champions_and_lists_every_gap(is_admin):
    fife, board = CouncilArea.objects.get(slug="fife"), HealthBoard.objects.get(slug="nhs-fife")
    make_champion(by=is_admin, areas=("fife", "angus"), health_board=board)
    on_leave = make_champion(by=is_admin, areas=("highland",))
    people.champion_change_status(champion=on_leave, status="on_leave", since=timezone.localdate(), by=is_admin)

    areas = _coverage("area")
    assert len(areas.items) == 32 and areas.covered_count == 2
    assert {item.name for item in areas.items if item.covered} == {fife.name, "Angus"}
    assert "Highland" in {item.name for item in areas.gaps}  # on leave is not active
    boards = _coverage("board")
    assert len(boards.items) == 14 and [item.name for item in boards.items if item.covered] == [board.name]
    assert len(_coverage("hscp").items) == 31 and _coverage("hscp").covered_count == 0


def test_overdue_follow_ups_are_past_their_date_and_not_done(is_admin):
    champion = make_champion(by=is_admin)
    overdue = make_support_log(champion=champion, by=is_admin)
    SupportLog.objects.filter(pk=overdue.pk).update(follow_up_on=timezone.localdate() - datetime.timedelta(days=3))
    done = make_support_log(champion=champion, by=is_admin)
    SupportLog.objects.filter(pk=done.pk).update(
        follow_up_on=timezone.localdate() - datetime.timedelta(days=3), follow_up_done_at=timezone.now()
    )
    make_support_log(champion=champion, by=is_admin)  # due in a fortnight

    found = dashboard.overdue_follow_ups()

    assert [log.pk for log in found.logs] == [overdue.pk] and found.total == 1
    assert found.logs[0].open_actions == 1


def test_attendance_rate_per_cohort(is_admin):
    members = [make_champion(by=is_admin) for _ in range(4)]
    cohort = make_cohort(members=members)
    empty = make_cohort(members=[])
    session = make_session(cohort=cohort)
    programme.attendance_record(
        session=session,
        statuses={
            members[0].pk: "present",
            members[1].pk: "present",
            members[2].pk: "apologies",
            members[3].pk: "absent",
        },
        by=is_admin,
    )

    rows = {row.pk: row for row in dashboard.attendance_by_cohort()}

    assert (rows[cohort.pk].present, rows[cohort.pk].recorded, rows[cohort.pk].rate) == (2, 4, 50)
    assert rows[empty.pk].rate is None


def test_training_totals_by_level_area_and_period(is_admin):
    champion = make_champion(by=is_admin, areas=("fife",))
    make_delivery(champion=champion, by=is_admin, days_ago=3)
    make_delivery(champion=champion, by=is_admin, days_ago=400)
    other = make_delivery(champion=make_champion(by=is_admin, areas=("angus",)), by=is_admin)
    other.practice_level = PracticeLevel.objects.get(slug="trauma-skilled")
    other.save()

    everything = totals.training_totals(period="year")
    assert [(t.name, t.sessions, t.attendees) for t in everything.by_level] == [
        ("Trauma Informed", 2, 24),
        ("Trauma Skilled", 1, 12),
    ]
    assert {t.label: t.sessions for t in everything.by_area} == {"Angus": 1, "Fife": 2}
    assert len(everything.by_period) == 2 and everything.overall.sessions == 3
    assert everything.overall.hours == 4.5

    recent = totals.training_totals(area="fife", since=timezone.localdate() - datetime.timedelta(days=30))
    assert recent.overall.sessions == 1 and [t.label for t in recent.by_area] == ["Fife"]


def test_the_dashboard_shows_coverage_as_a_grid_and_a_table(client, is_admin):
    make_champion(by=is_admin, areas=("fife",))
    client.force_login(is_admin)

    response = client.get(reverse("champions:admin-dashboard"))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Council areas: 1 of 32 have an active champion" in text
    assert text.count("portal-coverage-tile--gap") == 31 + 14 + 31
    # Gaps say so in words as well as with the dashed outline: not colour alone.
    assert text.count("No active champion</span>") == 31 + 14 + 31
    # Every table (the coverage ones too, inside their disclosures) scrolls in its own region on a small screen,
    # which the keyboard can reach, rather than pushing the whole page sideways.
    assert '<summary class="ds_details__summary">NHS boards as a table</summary>' in text
    assert text.count("<table") == text.count('<div class="ds_table-wrapper portal-table-scroll" tabindex="0"')
    assert 'role="region" aria-label="Council areas and their active champions"' in text


def test_the_totals_page_filters_and_ignores_what_does_not_parse(client, is_admin):
    make_delivery(champion=make_champion(by=is_admin, areas=("fife",)), by=is_admin)
    client.force_login(is_admin)

    response = client.get(reverse("champions:admin-training-totals"), {"area": "fife", "since": "not a date"})

    text = response.content.decode()
    assert response.status_code == 200
    assert "Bar chart of training sessions delivered locally, by practice level" in text
    # The date that does not parse is said kindly and ignored; the area filter still applies.
    assert "<title>Error: Training totals" in text
    assert "We could not read this date, so the totals leave it out." in text
    assert '<th scope="row">Fife</th>' in text


# --- Query counts at two sizes -----------------------------------------------------------------------------------


def _network(*, champions: int, attendance: int, admin, tag: str = "a") -> None:
    """`champions` champions spread over the areas, boards and partnerships, 10 cohorts, 100 sessions (some to
    come), one-to-one records with overdue follow-ups, training records, and `attendance` attendance rows: all made
    with bulk_create, as a year of the network's life would leave them."""
    areas = list(CouncilArea.objects.all())
    boards = list(HealthBoard.objects.all())
    partnerships = list(HealthAndSocialCarePartnership.objects.all())
    made = Champion.objects.bulk_create(
        [
            Champion(
                name=f"Bulk Champion {tag}{n:05d}",
                email=f"bulk{tag}{n}@example.org",
                organisation_name="Council",
                organisation_type="local_authority",
                health_board=boards[n % len(boards)],
                partnership=partnerships[n % len(partnerships)],
                status="active" if n % 5 else "on_leave",
            )
            for n in range(champions)
        ]
    )
    Champion.council_areas.through.objects.bulk_create(
        [Champion.council_areas.through(champion=c, councilarea=areas[i % len(areas)]) for i, c in enumerate(made)]
    )
    cohorts = Cohort.objects.bulk_create(
        [Cohort(name=f"Bulk cohort {tag}{n}", starts_on=datetime.date(2025, 1, 1)) for n in range(10)]
    )
    CohortMembership.objects.bulk_create(
        [CohortMembership(cohort=cohorts[i % 10], champion=c) for i, c in enumerate(made)]
    )
    now = timezone.now()
    sessions = Session.objects.bulk_create(
        [
            Session(
                cohort=cohorts[n % 10],
                theme=f"Theme {n}",
                starts_at=now + datetime.timedelta(days=n - 80),
                ends_at=now + datetime.timedelta(days=n - 80, hours=2),
            )
            for n in range(100)
        ]
    )
    per_session = max(1, attendance // len(sessions))
    Attendance.objects.bulk_create(
        [
            Attendance(session=session, champion=made[(s * per_session + k) % len(made)], status="present")
            for s, session in enumerate(sessions)
            for k in range(min(per_session, len(made)))
        ],
        ignore_conflicts=True,
    )
    SupportLog.objects.bulk_create(
        [
            SupportLog(
                champion=made[n % len(made)],
                is_person=admin,
                topics="Private",
                follow_up_on=timezone.localdate() - datetime.timedelta(days=n + 1),
            )
            for n in range(min(30, champions))
        ]
    )
    level = PracticeLevel.objects.get(slug="trauma-informed")
    TrainingDelivery.objects.bulk_create(
        [
            TrainingDelivery(
                champion=made[n % len(made)],
                council_area=areas[n % len(areas)],
                delivered_on=timezone.localdate() - datetime.timedelta(days=n),
                training_type="workshop",
                practice_level=level,
                delivered_by="A champion",
                location="Online",
                duration_minutes=60,
                attendee_count=10,
            )
            for n in range(min(champions, 300))
        ]
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        reverse("champions:admin-dashboard"),
        reverse("champions:admin-training-totals") + "?period=quarter",
        reverse("champions:admin-exports"),
        reverse("champions:admin-message-list"),
        reverse("champions:admin-import", args=["champions"]),
    ],
)
def test_pages_cost_the_same_with_10_or_1000_champions_and_10000_attendance_rows(client, is_admin, url):
    """Guards against a query per council area, board, partnership, cohort, session, follow-up or level."""
    client.force_login(is_admin)
    _network(champions=10, attendance=100, admin=is_admin)
    client.get(url)  # the first request fills per-process caches (the page shell, the header's counts)
    small = _queries(client, url)
    _network(champions=1000, attendance=10_000, admin=is_admin, tag="b")
    assert Attendance.objects.count() >= 10_000 and Champion.objects.count() >= 1000

    large = _queries(client, url)

    assert large == small, f"{url}: {small} queries with 10 champions, {large} with 1,010"
    assert large <= 16


def test_the_dashboard_at_scale_counts_what_the_data_holds(client, is_admin):
    _network(champions=1000, attendance=10_000, admin=is_admin)
    client.force_login(is_admin)

    text = client.get(reverse("champions:admin-dashboard")).content.decode()

    assert "Council areas: 32 of 32 have an active champion" in text
    assert "30 follow-ups are past their date; the oldest 20 are shown." in text
