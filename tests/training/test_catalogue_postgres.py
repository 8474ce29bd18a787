"""Full-text search on PostgreSQL (SearchVector, SearchQuery, SearchRank).

Run with DATABASE_URL=postgres://... ; on SQLite these are skipped with the reason, and test_catalogue.py covers the
icontains fallback.
"""

import pytest
from django.db import connection
from django.urls import reverse

from tests.training.catalogue_helpers import make_resource

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL to run it"),
]

LIST = reverse("training:resource-list")


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
