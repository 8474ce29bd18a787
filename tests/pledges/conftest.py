"""Pledges made through the real services, so tests start from states a person could reach."""

import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from PIL import Image

from pledges import review, services
from pledges.models import Pledge
from portal.models import CouncilArea, Sector
from tests.factories import UserFactory

STATEMENT = "We will put trauma-informed practice at the heart of every service we run."


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Logos go to a throw-away folder, and each test starts with fresh rate-limit counters."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def sign(**overrides) -> Pledge:
    areas = overrides.pop("areas", ["fife"])
    data = {
        "organisation_name": "Kinloch Firth Council",
        "organisation_type": "local_authority",
        "sector": Sector.objects.get(slug="public-sector"),
        "council_areas": list(CouncilArea.objects.filter(slug__in=areas)),
        "scotland_wide": False,
        "website": "https://www.kinlochfirth.example.org",
        "size_band": "large",
        "statement": STATEMENT,
        "actions": ["staff-training"],
        "own_actions": "",
        "leader_name": "Morven Reid",
        "leader_role": "Chief Executive",
        "contact_name": "Sam Contact",
        "contact_email": "sam@kinlochfirth.example.org",
    }
    data.update(overrides)
    return services.pledge_sign(**data)


def make_reviewer():
    reviewer = UserFactory(is_staff=True, groups=["IS admins"])
    Authenticator.objects.create(user=reviewer, type=Authenticator.Type.TOTP, data={"secret": "set-up-in-tests"})
    return reviewer


def approved(reviewer=None, **overrides) -> Pledge:
    pledge = sign(**overrides)
    services.pledge_confirm(pledge=pledge)
    return review.pledge_approve(pledge=pledge, reviewer=reviewer or make_reviewer())


@pytest.fixture
def reviewer(db):
    return make_reviewer()


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def image_bytes(fmt: str = "PNG", size=(900, 300), colour=(0, 101, 189)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()


def sign_form_data(**overrides) -> dict:
    data = {
        "organisation_name": "Bothy Youth Project",
        "organisation_type": "third_sector",
        "sector": str(Sector.objects.get(slug="third-sector").pk),
        "areas": ["angus"],
        "website": "https://bothy.example.org",
        "size_band": "micro",
        "statement": "Young people tell us they want to be believed. We will listen first.",
        "actions_lived": ["lived-experience-design"],
        "actions_leadership": [],
        "own_actions": "",
        "leader_name": "Ailsa Grant",
        "leader_role": "Director",
        "leader_confirmed": "on",
        "contact_name": "Jo Worker",
        "contact_email": "jo@bothy.example.org",
        "nickname": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
