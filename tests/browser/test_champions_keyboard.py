"""Walking the champions forms with the keyboard alone found one place where focus did not show: Chromium puts a date
field's calendar button in the tab order inside the field, and there the design system's ring disappeared (the
field is no longer :focus, only :focus-within). The ring now stays on the field wherever focus is inside it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.models import CouncilArea
from tests.champions import helpers
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def reference_data(live_server, django_db_serialized_rollback):
    """As in test_journey_champions.py: reference data and groups from the migrations' own loaders."""
    from importlib import import_module

    from django.apps import apps

    if not CouncilArea.objects.exists() or not Group.objects.filter(name="IS admins").exists():
        import_module("portal.migrations.0002_reference_data").load(apps, None)
        import_module("portal.migrations.0003_groups").create_groups(apps, None)


def test_focus_shows_on_a_date_field_at_every_tab_stop_inside_it(open_page, page_problems):
    user = UserFactory()
    helpers.make_champion(by=UserFactory(is_staff=True, groups=["IS admins"]), areas=("fife",), user=user)
    page = open_page(user=user)
    page.goto(reverse("champions:space-training-create"))

    field = page.get_by_label("Date", exact=True)
    field.focus()
    rings = []
    for _ in range(4):  # day, month, year, and the calendar button
        rings.append(field.evaluate("e => getComputedStyle(e).outlineStyle !== 'none' && e.matches(':focus-within')"))
        page.keyboard.press("Tab")

    assert rings == [True, True, True, True]
    page_problems.assert_none()
