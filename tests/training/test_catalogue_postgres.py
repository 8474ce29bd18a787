"""Full-text search on PostgreSQL (SearchVector, SearchQuery, SearchRank).

Run with DATABASE_URL=postgres://... ; on SQLite these are skipped with the reason, and test_catalogue.py covers the
icontains fallback.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from portal.models import ServiceArea
from tests.training.catalogue_helpers import make_resource
from training.models import Resource

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL to run it"),
]

LIST = reverse("training:resource-list")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def titles(response) -> list[str]:
    return [resource.title for resource in response.context["results"].page]


def test_full_text_search_stems_words_and_ranks_titles_above_descriptions(client):
    make_resource(title="Supporting families", description="How housing officers can respond to trauma.")
    make_resource(title="Housing and trauma", description="For everyone.")
    make_resource(title="Unrelated", description="Gardening tips.")

    # "officer" matches "officers" through English stemming; the icontains fallback would also, but "responding"
    # matching "respond" needs the stemmer.
    response = client.get(LIST, {"q": "responding"})
    assert titles(response) == ["Supporting families"]

    response = client.get(LIST, {"q": "housing"})
    assert titles(response) == ["Housing and trauma", "Supporting families"]
    assert response.context["results"].sort == "relevance"


def test_websearch_syntax_and_filters_together(client):
    make_resource(title="Justice and trauma", levels=("trauma-skilled",), duration_minutes=60)
    make_resource(title="Justice basics", levels=("trauma-informed",), duration_minutes=10)
    make_resource(title="Police and trauma", levels=("trauma-skilled",), duration_minutes=60)

    response = client.get(LIST, {"q": "justice -basics", "level": "trauma-skilled"})
    assert titles(response) == ["Justice and trauma"]
    counts = {facet.name: facet for facet in response.context["results"].facets}
    informed = next(option for option in counts["level"].options if option.value == "trauma-informed")
    assert informed.count == 0  # "-basics" excludes the only informed match


def test_search_with_punctuation_does_not_fail(client):
    make_resource(title="Trauma")
    response = client.get(LIST, {"q": "trauma & (\"'"})
    assert response.status_code == 200


def test_stored_vector_finds_service_areas_audiences_and_who_a_level_is_for(client):
    housing = make_resource(title="Safe tenancies", service_areas=("housing-and-homelessness",))
    skilled = make_resource(title="Everyday skills", levels=("trauma-skilled",))
    make_resource(title="Something else", levels=("trauma-informed",))

    # The service area's name (weight C) ranks above the Skilled level's "who it is for", which names "housing and
    # care workers" (weight D).
    assert titles(client.get(LIST, {"q": "housing"})) == ["Safe tenancies", "Everyday skills"]
    # The Trauma Skilled level is for "GPs, teachers, police officers...": the level finder's answer, found by words.
    assert titles(client.get(LIST, {"q": "teachers"})) == ["Everyday skills"]
    assert {housing.pk, skilled.pk} <= set(Resource.objects.exclude(search_vector=None).values_list("pk", flat=True))


def test_vector_follows_edits_to_the_resource_and_its_relations(client):
    resource = make_resource(title="Plain title")
    assert titles(client.get(LIST, {"q": "justice"})) == []

    resource.service_areas.add(ServiceArea.objects.get(slug="justice"))  # as the admin's form does
    assert titles(client.get(LIST, {"q": "justice"})) == ["Plain title"]

    resource.title = "Renamed for prisons"
    resource.save()
    assert titles(client.get(LIST, {"q": "prison"})) == ["Renamed for prisons"]

    area = ServiceArea.objects.get(slug="justice")
    area.name = "Justice and courts"
    area.save()
    assert titles(client.get(LIST, {"q": "courts"})) == ["Renamed for prisons"]


def test_search_uses_the_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'training_resource_search_gin'")
        (definition,) = cursor.fetchone()
    assert "USING gin (search_vector)" in definition
