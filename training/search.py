"""What the catalogue's stored search vector is made of, and its one updater (see portal/search.py).

Weights follow what a match says about a resource: its title (A), its summary (B), its description and who it is for
(C), and the practice levels it belongs to (D). The level's own "who it is for" text is included, so a search for
"teachers" finds the Trauma Skilled training that the level finder would suggest; service area and audience names
are included, so "housing" finds what the "Housing and homelessness" filter finds.
"""

from typing import Any

from django.db.models import OuterRef, QuerySet

from portal.search import Weighted, related_text, update_vectors

# The resource's own columns that feed the vector: a save touching none of them leaves the vector as it was.
OWN_FIELDS = frozenset({"title", "summary", "description", "audience_note", "provider"})


def resource_parts(resource_model: Any) -> list[Weighted]:  # a model class, real or historical: both untyped here
    """Parts for `resource_model`: the real model, or the historical one inside a migration."""
    levels = resource_model.levels.through.objects.filter(resource_id=OuterRef("pk"))
    audiences = resource_model.audiences.through.objects.filter(resource_id=OuterRef("pk"))
    areas = resource_model.service_areas.through.objects.filter(resource_id=OuterRef("pk"))
    return [
        Weighted("title", "A"),
        Weighted("summary", "B"),
        Weighted("description", "C"),
        Weighted("audience_note", "C"),
        Weighted(related_text(areas, "servicearea__name"), "C"),
        Weighted(related_text(audiences, "role__name"), "C"),
        Weighted(related_text(levels, "practicelevel__name"), "D"),
        Weighted(related_text(levels, "practicelevel__who_for"), "D"),
        Weighted("provider", "D"),
    ]


def update_resource_vectors(queryset: QuerySet) -> int:
    """Rewrite the stored vector of every resource in `queryset` (one UPDATE; nothing on SQLite)."""
    return update_vectors(queryset, resource_parts(queryset.model))
