"""Writes to local work: improvement plans and their progress ratings, and training delivered locally."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from champions.caching import programme_changed
from champions.models import Champion, ImprovementPlan, PlanRating, Progress, TrainingDelivery
from portal.models import CouncilArea, ServiceArea, User

PLAN_FIELDS = ("council_area", "title", "starts_on", "ends_on", "link", "priorities")
TRAINING_FIELDS = (
    "champion",
    "council_area",
    "delivered_on",
    "training_type",
    "title",
    "practice_level",
    "delivered_by",
    "location",
    "duration_minutes",
    "attendee_count",
)


class LocalWorkError(Exception):
    """The change cannot be made; the message says why, kindly."""


def _champion_covers(champion: Champion, area: object) -> bool:
    return isinstance(area, CouncilArea) and champion.council_areas.filter(pk=area.pk).exists()


@transaction.atomic
def plan_save(
    *,
    plan: ImprovementPlan | None,
    data: Mapping[str, object],
    by: User,
    upload: UploadedFile[bytes] | None = None,
    champion: Champion | None = None,
) -> ImprovementPlan:
    """Create or change an improvement plan: a PDF (checked by the form) or a link, or both. A champion (`champion`
    given) may only save plans for council areas they cover. Raises LocalWorkError otherwise."""
    if champion is not None and not _champion_covers(champion, data.get("council_area", plan and plan.council_area)):
        raise LocalWorkError("You can add plans for the council areas you cover.")
    plan = plan or ImprovementPlan(created_by=by)
    for name in PLAN_FIELDS:
        if name in data:
            setattr(plan, name, data[name])
    if upload is not None:
        plan.document.save(upload.name or "plan.pdf", upload, save=False)
    if not plan.document and not plan.link:
        raise LocalWorkError("Attach the plan as a PDF or give a link to it.")
    plan.save()
    return plan


@transaction.atomic
def plan_rate(*, plan: ImprovementPlan, rating: int, comment: str, by: User) -> PlanRating:
    """Record how far the plan has come, today. Raises LocalWorkError for a rating that does not exist."""
    if rating not in Progress.values:
        raise LocalWorkError("Choose how far the plan has come.")
    return PlanRating.objects.create(plan=plan, rating=rating, comment=comment, rated_by=by)


@transaction.atomic
def training_delivery_save(
    *,
    delivery: TrainingDelivery | None,
    data: Mapping[str, object],
    service_areas: Iterable[ServiceArea],
    by: User,
    champion: Champion | None = None,
) -> TrainingDelivery:
    """Record training delivered locally, or change a record. A champion (`champion` given) records their own: the
    record is theirs whatever `data` says."""
    delivery = delivery or TrainingDelivery(recorded_by=by)
    for name in TRAINING_FIELDS:
        if name in data:
            setattr(delivery, name, data[name])
    if champion is not None:
        delivery.champion = champion
    delivery.save()
    delivery.service_areas.set(list(service_areas))
    programme_changed()
    return delivery
