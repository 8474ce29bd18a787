"""The catalogue: filters, counts, search, sort, paging, level finder, level pages, resource page and feedback."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from tests.factories import UserFactory
from tests.training.catalogue_helpers import level, make_resource
from training.models import Resource, ResourceFeedback
from training.tasks import flush_resource_views

pytestmark = pytest.mark.django_db

LIST = reverse("training:resource-list")


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def titles(response) -> list[str]:
    return [resource.title for resource in response.context["results"].page]


def facet(response, name: str) -> dict[str, tuple[int, bool]]:
    for entry in response.context["results"].facets:
        if entry.name == name:
            return {option.value: (option.count, option.checked) for option in entry.options}
    raise AssertionError(f"no facet {name}")


# --- Filters, counts, sort ----------------------------------------------------------------------------------------


def test_filters_combine_and_counts_keep_other_filters(client):
    make_resource(title="Short informed video", format="video", duration_minutes=6, service_areas=("health",))
    make_resource(title="Long informed workshop", format="workshop", duration_minutes=180)
    make_resource(title="Skilled module", levels=("trauma-skilled",), duration_minutes=90)
    make_resource(title="Short skilled guide", levels=("trauma-skilled",), format="guide", duration_minutes=10)
    make_resource(title="Draft", published=False, duration_minutes=5)

    response = client.get(LIST, {"level": "trauma-informed", "time": "short"})

    assert response.status_code == 200
    assert titles(response) == ["Short informed video"]
    # Level counts apply the time filter but not the level filter: you see what ticking another level would add.
    assert facet(response, "level")["trauma-informed"] == (1, True)
    assert facet(response, "level")["trauma-skilled"] == (1, False)
    # Time counts apply the level filter but not the time filter.
    assert facet(response, "time") == {"short": (1, True), "medium": (0, False), "long": (1, False)}
    assert facet(response, "format")["video"] == (1, False)
    assert facet(response, "service_area")["health"] == (1, False)
    # The count is announced from a live region around the heading: role="status" on the h2 itself would stop it
    # being a heading for screen readers.
    live_count = rb'<div role="status">\s*<h2 class="ds_search-results__title">\s*1 resource found'
    assert re.search(live_count, response.content)


def test_a_resource_at_two_chosen_levels_is_listed_once(client):
    make_resource(title="Both", levels=("trauma-informed", "trauma-skilled"))
    response = client.get(LIST, {"level": ["trauma-informed", "trauma-skilled"]})
    assert titles(response) == ["Both"]


def test_time_buckets_have_clear_edges(client):
    for minutes in (29, 30, 120, 121):
        make_resource(title=f"{minutes} minutes", duration_minutes=minutes)
    assert titles(client.get(LIST, {"time": "short"})) == ["29 minutes"]
    assert sorted(titles(client.get(LIST, {"time": "medium"}))) == ["120 minutes", "30 minutes"]
    assert titles(client.get(LIST, {"time": "long"})) == ["121 minutes"]


def test_sort_newest_and_shortest(client):
    make_resource(title="Old and short", days_ago=30, duration_minutes=5)
    make_resource(title="New and long", days_ago=1, duration_minutes=200)
    assert titles(client.get(LIST)) == ["New and long", "Old and short"]
    assert titles(client.get(LIST, {"sort": "shortest"})) == ["Old and short", "New and long"]


def test_unknown_filter_values_are_left_out_with_a_note_not_an_error(client):
    make_resource(title="Informed", duration_minutes=10)
    make_resource(title="Skilled", levels=("trauma-skilled",), duration_minutes=10)

    response = client.get(
        LIST, {"level": ["trauma-informed", "no-such-level"], "format": "hologram", "time": "x", "sort": "??"}
    )

    assert response.status_code == 200
    assert titles(response) == ["Informed"]  # the known level still applies
    assert "Practice level" in response.context["results"].dropped
    assert "Format" in response.context["results"].dropped
    assert b"not ones we recognise" in response.content


def test_page_number_out_of_range_shows_the_last_page(client):
    for _ in range(13):
        make_resource()
    response = client.get(LIST, {"page": "999"})
    assert response.status_code == 200
    assert response.context["results"].page.number == 2
    response = client.get(LIST, {"page": "abc"})
    assert response.context["results"].page.number == 1


def test_paging_links_keep_the_filters(client):
    for _ in range(13):
        make_resource(duration_minutes=10)
    response = client.get(LIST, {"time": "short", "page": "1"})
    assert b"?time=short&amp;page=2" in response.content


def test_catalogue_query_count_does_not_grow_with_resources(client, django_assert_max_num_queries):
    """Guards the N+1 on each result's levels (prefetched) and on the facet counts (one aggregate per facet)."""
    for index in range(50):
        make_resource(
            levels=("trauma-informed", "trauma-skilled"),
            service_areas=("health", "justice"),
            format="video" if index % 2 else "elearning",
            duration_minutes=10 + index,
        )
    params = {
        "q": "Resource",
        "level": ["trauma-informed", "trauma-skilled"],
        "format": ["video", "elearning"],
        "service_area": ["health", "justice"],
        "time": ["short", "medium"],
        "sort": "shortest",
        "page": "2",
    }
    with django_assert_max_num_queries(10):
        response = client.get(LIST, params)
    assert response.status_code == 200
    assert len(titles(response)) == 12
    # The same page again, signed out: the whole page comes from the cache.
    with django_assert_max_num_queries(0):
        assert client.get(LIST, params).content == response.content
    # Signed in (never given a cached page): the index, the search and the counts come from the cache; what is left
    # is the session, the user and their unread count, the form's lookups of the chosen levels and areas, and the
    # page's rows with their levels.
    client.force_login(UserFactory())
    with django_assert_max_num_queries(7):
        again = client.get(LIST, params)
    assert titles(again) == titles(response)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"level": "trauma-skilled"},
        {"q": "trauma", "time": ["short", "long"]},
        {"format": ["video", "guide"], "service_area": "health"},
        {"q": "module -skilled", "level": ["trauma-informed", "trauma-skilled"], "service_area": ["health"]},
    ],
)
def test_the_cached_index_gives_what_the_sql_filters_give(client, params):
    """The catalogue filters and counts in Python over a cached index; the filter set's SQL is the reference."""
    from django.http import QueryDict

    from training.filters import FACETS, ResourceFilter

    make_resource(title="Trauma video", format="video", duration_minutes=6, service_areas=("health",))
    make_resource(title="Trauma workshop", format="workshop", duration_minutes=180, service_areas=("justice",))
    make_resource(title="Skilled trauma module", levels=("trauma-skilled",), duration_minutes=90)
    make_resource(title="Guide", levels=("trauma-skilled", "trauma-informed"), format="guide", service_areas=["health"])
    make_resource(title="Later", days_ago=-2)  # scheduled: not yet published
    make_resource(title="Draft module", published=False)

    response = client.get(LIST, params)
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    expected = set(ResourceFilter(data, queryset=Resource.objects.published()).qs.values_list("title", flat=True))
    assert set(titles(response)) == expected
    for name in FACETS:
        for option, (count, _checked) in facet(response, name).items():
            others = data.copy()
            others.setlist(name, [option])
            sql = ResourceFilter(others, queryset=Resource.objects.published()).qs.count()
            assert count == sql, (name, option)


def test_a_change_to_the_catalogue_shows_at_once(client):
    resource = make_resource(title="First title", duration_minutes=10)
    response = client.get(LIST)
    assert titles(response) == ["First title"]
    assert facet(response, "time")["short"] == (1, False)
    assert client.get(LIST).context is None  # the same page again comes whole from the cache

    resource.title = "Second title"
    resource.duration_minutes = 200
    resource.save()  # as the admin does
    response = client.get(LIST)
    assert titles(response) == ["Second title"]  # built again (it has a context), with the change
    assert facet(response, "time")["long"] == (1, False)

    resource.delete()
    assert b"No resources" in client.get(LIST).content


# --- Search -------------------------------------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the icontains fallback runs on SQLite only")
def test_search_on_sqlite_matches_words_and_ranks_title_matches_first(client):
    make_resource(title="Working with families", description="Trauma and housing.")
    make_resource(title="Housing and trauma", description="For housing officers.")
    make_resource(title="Unrelated", description="Nothing to see.")

    response = client.get(LIST, {"q": "housing trauma"})

    assert titles(response) == ["Housing and trauma", "Working with families"]
    assert response.context["results"].sort == "relevance"
    assert b'found for "housing trauma"' in response.content


def test_search_with_no_matches_says_so_kindly(client):
    make_resource(title="Something")
    response = client.get(LIST, {"q": "zzzzqqq"})
    assert titles(response) == []
    assert b"No resources found" in response.content
    assert b"Try fewer filters" in response.content


# --- Level finder and level pages ---------------------------------------------------------------------------------

FINDER = reverse("training:level-finder")


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"contact": "rarely", "known": "no", "remit": "no", "specialist": "no"}, "trauma-informed"),
        ({"contact": "often", "known": "no", "remit": "no", "specialist": "no"}, "trauma-skilled"),
        ({"contact": "often", "known": "sometimes", "remit": "yes", "specialist": "no"}, "trauma-enhanced"),
        ({"contact": "often", "known": "yes", "remit": "yes", "specialist": "yes"}, "trauma-specialist"),
    ],
)
def test_level_finder_recommends_a_level(client, answers, expected):
    response = client.get(FINDER, {**answers, "submitted": "1"})
    assert response.status_code == 200
    assert response.context["recommended"].slug == expected
    assert reverse("training:level-detail", args=[expected]).encode() in response.content
    assert b"build on each other" in response.content


def test_level_finder_missing_answers_show_an_error_summary(client):
    response = client.get(FINDER, {"contact": "often", "submitted": "1"})
    assert response.context["recommended"] is None
    assert b"There is a problem" in response.content
    assert b"Choose yes or no for specialist psychological therapy." in response.content


def test_level_finder_first_visit_shows_questions_without_errors(client):
    response = client.get(FINDER)
    assert b"There is a problem" not in response.content
    assert b"Show my level" in response.content


def test_level_page_lists_its_resources_and_pathways(client, django_assert_max_num_queries):
    """Guards the N+1 on each resource's levels and on pathway item counts."""
    from training.models import Pathway

    for _ in range(8):
        make_resource(levels=("trauma-skilled", "trauma-informed"))
    make_resource(title="Only informed")
    for number in range(3):
        Pathway.objects.create(
            title=f"Skilled path {number}",
            slug=f"skilled-path-{number}",
            summary="A path.",
            level=level("trauma-skilled"),
            published_at=Resource.objects.first().published_at,
        )
    url = reverse("training:level-detail", args=["trauma-skilled"])
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["resources"]) == 8
    assert b"Only informed" not in response.content
    assert b"Skilled path 2" in response.content
    assert b"Trauma Informed" in response.content  # the level it builds on


def test_unknown_level_is_not_found(client):
    assert client.get(reverse("training:level-detail", args=["trauma-wizard"])).status_code == 404


# --- Resource page ------------------------------------------------------------------------------------------------


def views_after_flush(resource: Resource) -> int:
    flush_resource_views()  # the Celery beat task
    resource.refresh_from_db()
    return resource.view_count


def test_views_are_counted_in_the_cache_and_added_by_the_flush(client):
    resource = make_resource(view_count=5)
    other = make_resource()
    for _ in range(3):
        client.get(resource.get_absolute_url())
    client.get(other.get_absolute_url())
    resource.refresh_from_db()
    assert resource.view_count == 5  # nothing written yet
    assert flush_resource_views() == 4
    assert views_after_flush(resource) == 8  # counted once: the flush took what it added out of the cache
    other.refresh_from_db()
    assert other.view_count == 1
    client.get(resource.get_absolute_url())
    assert views_after_flush(resource) == 9


def test_resource_page_shows_metadata_and_counts_a_view(client, django_assert_max_num_queries):
    """Guards the N+1 on levels, audiences and service areas (prefetched once each)."""
    resource = make_resource(
        title="Opening Doors",
        service_areas=("health", "justice", "police"),
        external_url="https://learn.nes.nhs.scot/",
        external_site_name="Turas Learn",
        format="video",
        transcript="**Narrator:** hello",
    )
    with django_assert_max_num_queries(12) as queries:
        response = client.get(resource.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    for text in ("Practice level", "Time needed", "Provider", "Cost", "Accreditation", "Service areas", "Police"):
        assert text in content
    assert "Go to Turas Learn" in content
    assert "Read the transcript" in content
    # A plain GET writes nothing: the view is counted in the cache, and the flush (Celery beat) adds it.
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert views_after_flush(resource) == 1


def test_resource_page_for_someone_signed_in_is_cached_until_the_catalogue_changes(client, django_assert_num_queries):
    """A signed-in reader's resource page reads the resource, the user and whether they saved it from the cache (no
    query but the session's without Redis), and no UPDATE marks notifications seen when none is unread. An edit, and
    saving it, show at once."""
    from training.models import SavedResource

    resource = make_resource(title="Opening Doors", service_areas=("health",))
    reader = UserFactory()
    client.force_login(reader)
    client.get(resource.get_absolute_url())
    from django.conf import settings
    from django.contrib.sessions.backends.cached_db import SessionStore as CachedSession
    from django.utils.module_loading import import_string

    # The session is read from Redis when REDIS_URL is set (portal.sessions), else it is one query.
    session = 0 if issubclass(import_string(f"{settings.SESSION_ENGINE}.SessionStore"), CachedSession) else 1
    with django_assert_num_queries(session) as queries:
        response = client.get(resource.get_absolute_url())
    assert "Opening Doors" in response.content.decode() and "Save for later" in response.content.decode()
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
    resource.title = "Opening More Doors"
    resource.save()
    assert "Opening More Doors" in client.get(resource.get_absolute_url()).content.decode()
    SavedResource.objects.create(user=reader, resource=resource)
    assert "You saved this resource" in client.get(resource.get_absolute_url()).content.decode()


def test_content_warning_comes_first_with_choices(client):
    resource = make_resource(content_warning="Mentions abuse.")
    response = client.get(resource.get_absolute_url())
    content = response.content.decode()
    assert "Mentions abuse." in content
    assert "?continue=1" in content
    assert reverse("portal:support") in content
    assert reverse("training:resource-list") in content
    assert views_after_flush(resource) == 0  # not yet seen

    response = client.get(resource.get_absolute_url() + "?continue=1")
    assert b"Help us improve this resource" in response.content
    assert views_after_flush(resource) == 1


def test_draft_is_not_found_except_for_staff_preview(client, django_user_model):
    from tests.factories import StaffFactory, UserFactory

    draft = make_resource(published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(draft.get_absolute_url() + "?preview=1").status_code == 404
    client.force_login(StaffFactory(groups=["Moderators"]))  # staff, but not someone who edits resources
    assert client.get(draft.get_absolute_url() + "?preview=1").status_code == 404
    client.force_login(StaffFactory(groups=["Content editors"], second_factor=False))
    assert client.get(draft.get_absolute_url() + "?preview=1").status_code == 404  # no two-step verification yet
    client.force_login(StaffFactory(groups=["Content editors"]))
    response = client.get(draft.get_absolute_url() + "?preview=1")
    assert response.status_code == 200
    assert b"This resource is a draft" in response.content
    assert views_after_flush(draft) == 0  # previews are not counted


# --- Feedback -----------------------------------------------------------------------------------------------------


def feedback_url(resource: Resource) -> str:
    return reverse("training:resource-feedback", args=[resource.slug])


def test_feedback_without_an_account(client):
    resource = make_resource()
    response = client.post(feedback_url(resource), {"useful": "yes", "comment": "  Clear and short.  "})
    assert response.status_code == 302
    feedback = ResourceFeedback.objects.get()
    assert feedback.useful is True
    assert feedback.comment == "Clear and short."


def test_over_long_feedback_comment_is_refused_and_nothing_saved(client):
    resource = make_resource()
    response = client.post(feedback_url(resource), {"useful": "no", "comment": "x" * 1001})
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert b"1000 characters or fewer" in response.content
    assert ResourceFeedback.objects.count() == 0


def test_feedback_form_lands_on_itself_and_never_cuts_text_off(client):
    """The form sits far down the page: after a refusal the browser returns to the form, not the top. No maxlength
    attribute, so a long comment is refused with a message rather than silently cut."""
    resource = make_resource()
    page = client.get(resource.get_absolute_url()).content.decode()
    assert f'action="{feedback_url(resource)}#feedback"' in page
    assert 'id="feedback"' in page
    refused = client.post(feedback_url(resource), {"useful": "no", "comment": "x" * 1001}).content.decode()
    assert f'action="{feedback_url(resource)}#feedback"' in refused
    assert "maxlength" not in page
    assert "maxlength" not in refused


def test_feedback_needs_yes_or_no(client):
    resource = make_resource()
    response = client.post(feedback_url(resource), {"useful": "maybe"})
    assert response.status_code == 400
    assert ResourceFeedback.objects.count() == 0


def test_feedback_is_rate_limited_per_address(client):
    resource = make_resource()
    statuses = [client.post(feedback_url(resource), {"useful": "yes"}).status_code for _ in range(12)]
    assert statuses[:10] == [302] * 10
    assert statuses[10] == 429
    assert ResourceFeedback.objects.count() == 10


def test_feedback_on_a_draft_is_not_found(client):
    draft = make_resource(published=False)
    assert client.post(feedback_url(draft), {"useful": "yes"}).status_code == 404
    assert ResourceFeedback.objects.count() == 0


# --- Training home ------------------------------------------------------------------------------------------------


def test_training_home_links_everything(client):
    make_resource(title="Newest resource")
    response = client.get(reverse("training:landing"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Newest resource" in content
    assert "/training/pathways/" in content
    for name in ("training:level-finder", "training:resource-list", "training:event-list", "training:case-study-list"):
        assert reverse(name) in content
    assert reverse("training:level-detail", args=["trauma-specialist"]) in content
