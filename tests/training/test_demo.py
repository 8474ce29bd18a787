"""The demo catalogue: every resource can be opened, and seeding twice changes nothing."""

import io

import pytest
from django.test import Client

from training import demo_catalogue, demo_learning
from training.models import Resource

pytestmark = pytest.mark.django_db


def seed() -> None:
    demo_catalogue.seed(stdout=io.StringIO())
    demo_learning.seed(stdout=io.StringIO())


def test_every_demo_resource_can_be_opened_and_seeding_is_idempotent():
    seed()
    seed()
    resources = Resource.objects.filter(published_at__isnull=False)
    assert resources.count() == len(demo_catalogue.RESOURCES) + 1  # and the module made by demo_learning
    for resource in resources:
        has_module = hasattr(resource, "module")
        assert has_module or resource.external_url or resource.document, f"{resource.slug} has no way to open it"
        if resource.external_url:
            assert resource.external_url.startswith("https://")
            assert resource.external_site_name


@pytest.mark.parametrize(
    "slug", ["five-minute-guide-trauma-informed-conversations", "looking-after-yourself-vicarious-trauma"]
)
def test_the_short_guide_and_webinar_link_to_where_they_are(slug):
    seed()
    resource = Resource.objects.get(slug=slug)
    page = Client().get(resource.get_absolute_url()).content.decode()
    assert f'href="{resource.external_url}"' in page
    assert f"Go to {resource.external_site_name}" in page
