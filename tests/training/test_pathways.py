"""Pathways: ordered resources with the learner's progress, and recording learning done elsewhere."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.training.learning_helpers import complete_module, make_external, make_module
from training.models import ExternalCompletion, ModuleProgress, Pathway, PathwayItem

pytestmark = pytest.mark.django_db


def make_pathway(resources, *, slug="for-everyone", published=True) -> Pathway:
    pathway = Pathway.objects.create(
        title="For everyone",
        slug=slug,
        summary="Where everyone starts.",
        published_at=timezone.now() if published else None,
    )
    for order, resource in enumerate(resources, start=1):
        PathwayItem.objects.create(pathway=pathway, resource=resource, order=order)
    return pathway


def detail_url(pathway) -> str:
    return reverse("training:pathway-detail", args=[pathway.slug])


def test_the_pathway_list_shows_published_pathways_only(client):
    make_pathway([make_external(1)])
    make_pathway([], slug="draft", published=False)
    page = client.get(reverse("training:pathway-list")).content.decode()
    assert "For everyone" in page
    assert reverse("training:pathway-detail", args=["draft"]) not in page
    assert client.get(reverse("training:pathway-detail", args=["draft"])).status_code == 404


def test_a_pathway_shows_its_resources_in_order_with_the_learners_progress(user, member_client):
    module = make_module(kinds=("reading",))
    started = make_module(kinds=("reading", "reading"))
    done_elsewhere = make_external(1)
    not_started = make_external(2)
    pathway = make_pathway([module.resource, started.resource, done_elsewhere, not_started])
    complete_module(member_client, module)
    member_client.post(reverse("training:module-start", args=[started.resource.slug]))
    ExternalCompletion.objects.create(user=user, resource=done_elsewhere, completed_on=timezone.localdate())

    page = member_client.get(detail_url(pathway)).content.decode()
    assert "You have completed 2 of 4 resources" in page
    positions = [page.index(r.title) for r in (module.resource, started.resource, done_elsewhere, not_started)]
    assert positions == sorted(positions)
    assert page.count(">Completed<") == 2
    assert page.count(">In progress<") == 1
    assert page.count(">Not started<") == 1
    assert "I completed this on Turas Learn" in page  # offered for the external one not yet done


def test_a_module_finished_late_on_a_summer_evening_shows_the_date_in_scotland(user, member_client):
    module = make_module(kinds=("reading",))
    pathway = make_pathway([module.resource])
    # 23:30 UTC on 30 June is half past midnight on 1 July in Scotland (BST).
    late = datetime(2025, 6, 30, 23, 30, tzinfo=UTC)
    ModuleProgress.objects.create(user=user, module=module, completed_at=late)
    page = member_client.get(detail_url(pathway)).content.decode()
    assert "Completed on 1 July 2025" in page
    assert "30 June 2025" not in page


def test_signed_out_people_see_the_pathway_and_are_invited_to_sign_in(client):
    pathway = make_pathway([make_external(1)])
    page = client.get(detail_url(pathway)).content.decode()
    assert "External 1" in page
    assert "Sign in" in page
    assert "I completed this" not in page


def test_the_learner_records_an_external_resource_as_done(user, member_client):
    resource = make_external(1)
    pathway = make_pathway([resource])
    url = reverse("training:external-completion", args=[resource.slug])
    assert member_client.get(url).status_code == 200
    day = timezone.localdate() - timedelta(days=3)
    response = member_client.post(url, {"completed_on": day.isoformat(), "next": detail_url(pathway)})
    assert response["Location"] == detail_url(pathway)
    assert ExternalCompletion.objects.get(user=user, resource=resource).completed_on == day
    assert "You have completed 1 of 1" in member_client.get(detail_url(pathway)).content.decode()


@pytest.mark.parametrize("value", ["", "not a date", "2999-01-01"])
def test_a_missing_bad_or_future_date_is_refused_and_nothing_is_recorded(member_client, value):
    resource = make_external(1)
    response = member_client.post(
        reverse("training:external-completion", args=[resource.slug]), {"completed_on": value}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not ExternalCompletion.objects.exists()


def test_a_module_in_this_portal_cannot_be_marked_done_by_hand(member_client):
    module = make_module()
    response = member_client.post(
        reverse("training:external-completion", args=[module.resource.slug]),
        {"completed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    assert not ExternalCompletion.objects.exists()


def test_an_unsafe_next_address_is_ignored(member_client):
    resource = make_external(1)
    response = member_client.post(
        reverse("training:external-completion", args=[resource.slug]),
        {"completed_on": timezone.localdate().isoformat(), "next": "https://evil.example.com/"},
    )
    assert response["Location"] == resource.get_absolute_url()


def test_recording_needs_sign_in(client):
    resource = make_external(1)
    response = client.post(
        reverse("training:external-completion", args=[resource.slug]), {"completed_on": "2025-01-01"}
    )
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not ExternalCompletion.objects.exists()


def test_pathway_pages_need_the_same_few_queries_however_many_resources(
    user, member_client, django_assert_max_num_queries
):
    """Guards the N+1s on a pathway: a query per resource for its module, its progress, its completion elsewhere or
    its levels; and on the list, a query per pathway for its items."""
    resources = [make_module(kinds=("reading",)).resource for _ in range(4)] + [make_external(n) for n in range(8)]
    pathway = make_pathway(resources)
    for n in range(5):
        make_pathway(resources[:3], slug=f"other-{n}")
    for resource in resources[4:8]:
        ExternalCompletion.objects.create(user=user, resource=resource, completed_on=timezone.localdate())
    member_client.post(reverse("training:module-start", args=[resources[0].slug]))
    with django_assert_max_num_queries(8):
        response = member_client.get(detail_url(pathway))
    assert "You have completed 4 of 12" in response.content.decode()
    with django_assert_max_num_queries(6):
        member_client.get(reverse("training:pathway-list"))


def test_a_pathway_is_cached_and_an_edit_or_the_learners_progress_shows_at_once(
    user, member_client, django_assert_max_num_queries
):
    """The pathway and its items are cached for everyone, the learner's marks per person: no query once both are
    cached (but the session's, without Redis), and every change shows on the next view."""
    first = make_external(1)
    pathway = make_pathway([first])
    member_client.get(detail_url(pathway))
    with django_assert_max_num_queries(1) as queries:
        page = member_client.get(detail_url(pathway)).content.decode()
    assert not [q for q in queries.captured_queries if "training_" in q["sql"]]
    assert "You have completed 0 of 1" in page

    pathway.title = "For everyone, renamed"
    pathway.save()
    assert "For everyone, renamed" in member_client.get(detail_url(pathway)).content.decode()
    PathwayItem.objects.create(pathway=pathway, resource=make_external(2), order=2)
    assert "External 2" in member_client.get(detail_url(pathway)).content.decode()
    ExternalCompletion.objects.create(user=user, resource=first, completed_on=timezone.localdate())
    assert "You have completed 1 of 2" in member_client.get(detail_url(pathway)).content.decode()
    PathwayItem.objects.filter(pathway=pathway, order=2).delete()
    assert "External 2" not in member_client.get(detail_url(pathway)).content.decode()
    pathway.published_at = None
    pathway.save()
    assert member_client.get(detail_url(pathway)).status_code == 404
