"""Page titles: a form sent back with problems says so once at the start of the title, as screen readers read it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.pledges.conftest import sign_form_data

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


@pytest.mark.django_db
def test_a_form_with_problems_says_error_once_in_the_title(client):
    response = client.post(reverse("pledges:pledge-sign"), sign_form_data(statement=""))

    assert response.status_code == 400
    assert title_of(response) == f"Error: Sign the leadership pledge | {settings.PORTAL_NAME}"


@pytest.mark.django_db
def test_a_form_without_problems_has_no_error_in_the_title(client):
    assert title_of(client.get(reverse("pledges:pledge-sign"))).startswith("Sign the leadership pledge |")


@pytest.mark.django_db
def test_a_failed_register_search_says_error_once_in_the_title(client):
    response = client.get(reverse("pledges:register-list"), {"q": "x" * 500})

    assert response.status_code == 400
    assert title_of(response).startswith("Error: Register of organisations")


def test_only_the_base_template_and_title_prefix_overrides_add_the_error_prefix():
    """base.html adds "Error: " for `form`; a page that also wrote it into its own title block said it twice."""
    doubled = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"{% block title %}[^{]*{% if [^%]*errors", path.read_text())
    ]
    assert doubled == []
