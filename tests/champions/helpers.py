"""Champions, cohorts and the rest, made through the services as the pages make them."""

from __future__ import annotations

import datetime
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from champions.models import Champion, Cohort, ImprovementPlan, Session, SharedResource, SupportLog, TrainingDelivery
from champions.services import local, people, programme, support
from portal.models import CouncilArea, PracticeLevel, User
from tests.factories import StaffFactory

PDF = b"%PDF-1.4\n% a test document\n"
_numbers = itertools.count(1)


def make_is_admin(**kwargs: object) -> User:
    return StaffFactory(groups=["IS admins"], **kwargs)


def make_champion(
    *, by: User | None = None, areas: tuple[str, ...] = ("fife",), user: User | None = None, **fields: object
) -> Champion:
    n = next(_numbers)
    data: dict[str, object] = {
        "name": f"Champion {n:04d}",
        "job_title": "Head of Service",
        "email": f"champion{n}@council.example.org",
        "organisation_name": "Kingdom Council",
        "organisation_type": "local_authority",
        "date_joined": datetime.date(2024, 1, 1),
        **fields,
    }
    champion = people.champion_create(
        data=data, council_areas=CouncilArea.objects.filter(slug__in=areas), by=by or make_is_admin()
    )
    if user is not None:
        champion.user = user
        champion.save(update_fields=["user"])
    return champion


def make_cohort(*, members: list[Champion] = (), name: str | None = None) -> Cohort:  # type: ignore[assignment]
    cohort = programme.cohort_save(
        cohort=None,
        data={"name": name or f"Cohort {next(_numbers)}", "starts_on": datetime.date(2025, 1, 1)},
        facilitators=[],
    )
    programme.cohort_members_add(cohort=cohort, champions=members, joined_on=datetime.date(2025, 1, 1))
    return cohort


def make_session(*, cohort: Cohort, days: int = 7, theme: str = "Listening to lived experience") -> Session:
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return programme.session_save(
        cohort=cohort,
        session=None,
        data={
            "theme": theme,
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=2),
            "online_url": "https://meet.example.org/room",
        },
    )


def make_shared_file(*, cohort: Cohort, by: User) -> SharedResource:
    return programme.shared_resource_create(
        cohort=cohort, title="Reading", by=by, upload=SimpleUploadedFile("reading.pdf", PDF, "application/pdf")
    )


def make_plan(*, area: str = "fife", by: User, with_document: bool = True) -> ImprovementPlan:
    upload = SimpleUploadedFile("plan.pdf", PDF, "application/pdf") if with_document else None
    return local.plan_save(
        plan=None,
        data={
            "council_area": CouncilArea.objects.get(slug=area),
            "title": f"{area} plan",
            "link": "" if with_document else "https://plans.example.org/p",
            "priorities": "Train managers\nReview letters",
        },
        by=by,
        upload=upload,
    )


def make_delivery(*, champion: Champion, by: User, days_ago: int = 3) -> TrainingDelivery:
    return local.training_delivery_save(
        delivery=None,
        data={
            "champion": champion,
            "council_area": champion.council_areas.first(),
            "delivered_on": timezone.localdate() - datetime.timedelta(days=days_ago),
            "training_type": "workshop",
            "title": "Opening Doors",
            "practice_level": PracticeLevel.objects.get(slug="trauma-informed"),
            "delivered_by": champion.name,
            "location": "Online",
            "duration_minutes": 90,
            "attendee_count": 12,
        },
        service_areas=[],
        by=by,
    )


def make_support_log(*, champion: Champion, by: User) -> SupportLog:
    return support.support_log_create(
        champion=champion,
        data={
            "met_on": timezone.localdate(),
            "is_person": by,
            "topics": "Confidential worries about the leadership team",
            "follow_up_on": timezone.localdate() + datetime.timedelta(days=14),
        },
        actions=[{"owner": "champion", "text": "Talk to the chief executive"}],
        by=by,
    )
