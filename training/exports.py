"""CSV exports of training data as Sheets (portal.spreadsheets): a learner's own record and the editors' figures."""

from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.utils import timezone

from portal.spreadsheets import Column, Sheet

LONDON = ZoneInfo("Europe/London")


def learning_record_rows(record) -> Iterator[dict]:
    """One row per piece of learning in a `LearningRecord`: modules here (finished first), then learning elsewhere
    that the person recorded themselves."""
    codes = {certificate.module_id: certificate.code for certificate in record.certificates}
    for progress in [*record.completed, *record.in_progress]:
        resource = progress.module.resource
        yield {
            "title": resource.title,
            "where": "This portal (e-learning module)",
            "status": "Completed" if progress.completed_at else "In progress",
            "started": timezone.localdate(progress.started_at),
            "completed": timezone.localdate(progress.completed_at) if progress.completed_at else None,
            "certificate": codes.get(progress.module_id, ""),
            "minutes": resource.duration_minutes,
        }
    for completion in record.external:
        resource = completion.resource
        yield {
            "title": resource.title,
            "where": resource.external_site_name or resource.provider,
            "status": "Completed (recorded by you)",
            "started": None,
            "completed": completion.completed_on,
            "certificate": "",
            "minutes": resource.duration_minutes,
        }


LEARNING_RECORD = Sheet(
    [
        Column("title", "Learning"),
        Column("where", "Where"),
        Column("status", "Status"),
        Column("started", "Started"),
        Column("completed", "Completed"),
        Column("certificate", "Certificate code"),
        Column("minutes", "Minutes"),
    ]
)


def _published(row: dict) -> object:
    published_at = row["resource"].published_at
    return published_at.astimezone(LONDON).date() if published_at else None


# Rows are training.views._figure_rows: the resource and its figures, None where there is nothing to divide by.
RESOURCE_FIGURES = Sheet(
    [
        Column("resource", "Resource", get="resource.title"),
        Column("published", "Published", get=_published),
        Column("views", "Views"),
        Column("starts", "Starts"),
        Column("completions", "Completions"),
        Column("completion_rate", "Completion rate (%)"),
        Column("feedback_total", "Feedback answers"),
        Column("useful_share", "Useful (%)"),
        Column("confidence_change", "Average confidence change"),
    ]
)
