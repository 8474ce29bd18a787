"""Helpers for the catalogue tests: make published resources, case studies and events in a few lines."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from portal.models import PracticeLevel, Principle, Sector, ServiceArea
from training.models import CaseStudy, LearningEvent, Resource

_numbers = count(1)


def level(slug: str = "trauma-informed") -> PracticeLevel:
    return PracticeLevel.objects.get(slug=slug)


def make_resource(
    *,
    title: str | None = None,
    levels: tuple[str, ...] = ("trauma-informed",),
    service_areas: tuple[str, ...] = (),
    published: bool = True,
    days_ago: int = 1,
    **fields,
) -> Resource:
    number = next(_numbers)
    title = title or f"Resource {number}"
    defaults = {
        "slug": f"resource-{number}",
        "summary": f"Summary of {title}.",
        "description": f"About {title}.",
        "format": "elearning",
        "duration_minutes": 20,
        "provider": "NHS Education for Scotland",
        "published_at": timezone.now() - timedelta(days=days_ago) if published else None,
    }
    defaults.update(fields)
    resource = Resource.objects.create(title=title, **defaults)
    resource.levels.set(PracticeLevel.objects.filter(slug__in=levels))
    resource.service_areas.set(ServiceArea.objects.filter(slug__in=service_areas))
    return resource


def make_case_study(*, sector: str = "public-sector", principles: tuple[str, ...] = ("safety",), **fields) -> CaseStudy:
    number = next(_numbers)
    defaults = {
        "title": f"Case study {number}",
        "slug": f"case-study-{number}",
        "organisation": "A council",
        "service_area": ServiceArea.objects.get(slug="housing-and-homelessness"),
        "summary": "What happened.",
        "what_they_did": "They listened.",
        "what_changed": "Things got better.",
        "lived_experience": "People with lived experience led it.",
        "published_at": timezone.now() - timedelta(days=1),
    }
    defaults.update(fields)
    case = CaseStudy.objects.create(sector=Sector.objects.get(slug=sector), **defaults)
    case.principles.set(Principle.objects.filter(slug__in=principles))
    return case


def make_event(*, days_from_now: int = 7, hours: int = 1, **fields) -> LearningEvent:
    number = next(_numbers)
    starts = timezone.now().replace(microsecond=0) + timedelta(days=days_from_now)
    defaults = {
        "title": f"Event {number}",
        "slug": f"event-{number}",
        "summary": "A session.",
        "description": "About the session.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=hours),
        "published_at": timezone.now() - timedelta(days=10),
    }
    defaults.update(fields)
    return LearningEvent.objects.create(**defaults)
