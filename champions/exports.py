"""CSV exports of the network's lists, each a Sheet (portal.spreadsheets: formula-safe) over a selector's rows.

The confidential one-to-one support log is not among EXPORTS: it has its own sheet, SUPPORT_LOG, reached only by a
deliberate request that is written in the access log (champions.views.exports.SupportExportView).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from champions.models import (
    Attendance,
    Champion,
    Cohort,
    ImprovementPlan,
    Progress,
    Session,
    SupportLog,
    TrainingDelivery,
)
from champions.selectors.local import plan_list
from champions.selectors.totals import TrainingTotals
from portal.spreadsheets import Column, Sheet

CHUNK = 500


def _local(value: Any) -> Any:
    """An aware datetime as the Scottish wall-clock time, to the minute, as people read it."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _names(items: Iterable[Any]) -> list[str]:
    return [item.name for item in items]


CHAMPIONS = Sheet(
    [
        Column("name", "Name"),
        Column("job_title", "Job title"),
        Column("email", "Email"),
        Column("phone", "Phone"),
        Column("organisation_name", "Organisation"),
        Column("organisation_type", "Organisation type", get=lambda c: c.get_organisation_type_display()),
        Column("council_areas", "Council areas", get=lambda c: _names(c.council_areas.all())),
        Column("health_board", "NHS board", get="health_board.name"),
        Column("partnership", "Health and social care partnership", get="partnership.name"),
        Column("date_joined", "Date joined"),
        Column("status", "Status", get=lambda c: c.get_status_display()),
        Column("status_since", "Status since"),
        Column("public_listed", "Listed publicly"),
        Column("linked", "Account linked", get=lambda c: c.user_id is not None),
        Column("local_contacts", "Local contacts"),
        Column("notes", "Notes"),
    ]
)

COHORTS = Sheet(
    [
        Column("name", "Cohort"),
        Column("starts_on", "Starts"),
        Column("ends_on", "Ends"),
        Column("member_count", "Current members"),
        Column("session_count", "Sessions"),
        Column("facilitators", "Facilitators", get=lambda c: [u.display_name or u.email for u in c.facilitators.all()]),
        Column("description", "Description"),
    ]
)

SESSIONS = Sheet(
    [
        Column("cohort", "Cohort", get="cohort.name"),
        Column("theme", "Theme"),
        Column("starts_at", "Starts", get=lambda s: _local(s.starts_at)),
        Column("ends_at", "Ends", get=lambda s: _local(s.ends_at)),
        Column("online_url", "Online link"),
        Column("venue", "Venue"),
        Column("cancelled", "Cancelled", get=lambda s: s.cancelled_at is not None),
    ]
)

ATTENDANCE = Sheet(
    [
        Column("cohort", "Cohort", get="session.cohort.name"),
        Column("session", "Session", get="session.theme"),
        Column("session_date", "Session date", get=lambda a: timezone.localtime(a.session.starts_at).date()),
        Column("champion", "Champion", get="champion.name"),
        Column("email", "Email", get="champion.email"),
        Column("attendance", "Attendance", get=lambda a: a.get_status_display()),
        Column("recorded_at", "Recorded", get=lambda a: _local(a.recorded_at)),
    ]
)

TRAINING = Sheet(
    [
        Column("delivered_on", "Date"),
        Column("training_type", "Type", get=lambda t: t.get_training_type_display()),
        Column("title", "Title"),
        Column("practice_level", "Practice level", get="practice_level.name"),
        Column("delivered_by", "Delivered by"),
        Column("location", "Where"),
        Column("duration_minutes", "Minutes"),
        Column("attendee_count", "People who attended"),
        Column("service_areas", "Their areas of work", get=lambda t: _names(t.service_areas.all())),
        Column("council_area", "Council area", get="council_area.name"),
        Column("champion", "Champion", get="champion.name"),
    ]
)


def _rating(plan: ImprovementPlan) -> str:
    rating = getattr(plan, "latest_rating", None)
    return Progress(rating).label if rating else ""


PLANS = Sheet(
    [
        Column("council_area", "Council area", get="council_area.name"),
        Column("title", "Title"),
        Column("starts_on", "Starts"),
        Column("ends_on", "Ends"),
        Column("link", "Link"),
        Column("document", "Has a document", get=lambda p: bool(p.document)),
        Column("priorities", "Priorities", get=lambda p: p.priority_list()),
        Column("latest_rating", "Latest progress rating", get=_rating),
        Column("latest_rated_on", "Rated on", get=lambda p: getattr(p, "latest_rated_on", None)),
    ]
)

TRAINING_TOTALS = Sheet(
    [
        Column("grouping", "Totals by"),
        Column("label", "Group"),
        Column("sessions", "Sessions"),
        Column("attendees", "People who attended"),
        Column("hours", "Hours"),
    ]
)

SUPPORT_LOG = Sheet(
    [
        Column("champion", "Champion", get="champion.name"),
        Column("met_on", "Met on"),
        Column("is_person", "Who from the Improvement Service", get=lambda s: s.is_person and s.is_person.email),
        Column("topics", "Topics"),
        Column("notes", "Notes"),
        Column("actions", "Agreed actions", get=lambda s: [_action(a) for a in s.actions.all()]),
        Column("follow_up_on", "Follow-up date"),
        Column("follow_up_done", "Follow-up done", get=lambda s: s.follow_up_done_at is not None),
    ]
)


def _action(action: Any) -> str:
    owner = action.owner_name or action.get_owner_display()
    return f"{action.text} ({owner}{', done' if action.done_at else ''})"


def totals_rows(totals: TrainingTotals, period: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for grouping, items in (
        ("Practice level", [(t.name, t) for t in totals.by_level]),
        ("Council area", [(t.label, t) for t in totals.by_area]),
        (period.capitalize(), [(t.label, t) for t in totals.by_period]),
    ):
        for label, item in items:
            rows.append(
                {
                    "grouping": grouping,
                    "label": label,
                    "sessions": item.sessions,
                    "attendees": item.attendees,
                    "hours": item.hours,
                }
            )
    rows.append(
        {
            "grouping": "All",
            "label": totals.overall.label,
            "sessions": totals.overall.sessions,
            "attendees": totals.overall.attendees,
            "hours": totals.overall.hours,
        }
    )
    return rows


# --- The rows each list exports: streamed in chunks, with what each row needs fetched per chunk, not per row -----


def champion_rows() -> Iterable[Champion]:
    return (
        Champion.objects.select_related("health_board", "partnership")
        .prefetch_related("council_areas")
        .order_by("name", "pk")
        .iterator(chunk_size=CHUNK)
    )


def cohort_rows() -> Iterable[Cohort]:
    return (
        Cohort.objects.annotate(
            member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True), distinct=True),
            session_count=Count("sessions", distinct=True),
        )
        .prefetch_related("facilitators")
        .order_by("-starts_on", "name")
        .iterator(chunk_size=CHUNK)
    )


def session_rows() -> Iterable[Session]:
    return Session.objects.select_related("cohort").order_by("starts_at", "pk").iterator(chunk_size=CHUNK)


def attendance_rows() -> Iterable[Attendance]:
    return (
        Attendance.objects.select_related("session", "session__cohort", "champion")
        .order_by("session__starts_at", "session_id", "champion__name", "pk")
        .iterator(chunk_size=CHUNK)
    )


def training_rows() -> Iterable[TrainingDelivery]:
    return (
        TrainingDelivery.objects.select_related("champion", "council_area", "practice_level")
        .prefetch_related("service_areas")
        .order_by("-delivered_on", "-pk")
        .iterator(chunk_size=CHUNK)
    )


def plan_rows() -> Iterable[ImprovementPlan]:
    return plan_list().iterator(chunk_size=CHUNK)


def support_log_rows() -> Iterable[SupportLog]:
    return (
        SupportLog.objects.select_related("champion", "is_person")
        .prefetch_related(Prefetch("actions"))
        .order_by("champion__name", "-met_on", "-pk")
        .iterator(chunk_size=CHUNK)
    )


@dataclass(frozen=True)
class Export:
    slug: str
    title: str
    description: str
    sheet: Sheet
    rows: Callable[[], Iterable[Any]]

    @property
    def filename(self) -> str:
        return f"trauma-champions-{self.slug}-{timezone.localdate().isoformat()}.csv"


EXPORTS = {
    export.slug: export
    for export in (
        Export(
            "champions",
            "Champions",
            "Every champion's record and contact details, all statuses.",
            CHAMPIONS,
            champion_rows,
        ),
        Export(
            "cohorts",
            "Cohorts",
            "Each cohort with its dates, members, sessions and facilitators.",
            COHORTS,
            cohort_rows,
        ),
        Export("sessions", "Sessions", "Every session of every cohort, past and upcoming.", SESSIONS, session_rows),
        Export(
            "attendance",
            "Attendance",
            "Who was present, sent apologies or was absent at each session.",
            ATTENDANCE,
            attendance_rows,
        ),
        Export(
            "training", "Training delivered", "Every record of training delivered locally.", TRAINING, training_rows
        ),
        Export(
            "plans", "Improvement plans", "Each area's plan with its priorities and latest rating.", PLANS, plan_rows
        ),
    )
}
# Not an export of a list: the totals page's figures, under the same filters (views.exports.ExportView).
TOTALS_SLUG = "training-totals"
