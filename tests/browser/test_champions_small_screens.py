"""The champions pages at 320 CSS pixels (a small phone, or 400% zoom) scroll only up and down (WCAG 1.4.10 reflow),
with their disclosures open: walking them found the dashboard's coverage tables, the champion's calendar address and
a message naming a long email address pushing the whole page sideways. The quick exit stays in view at the bottom of
the longest of them too."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.models import CouncilArea
from tests.champions import helpers
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}
SCREENSHOTS = "/tmp/portal-champions-small-screens"


@pytest.fixture(autouse=True)
def reference_data(live_server, django_db_serialized_rollback):
    """As in test_journey_champions.py: the migrations' reference data and groups, loaded again if an earlier test
    emptied them."""
    from importlib import import_module

    from django.apps import apps

    if not CouncilArea.objects.exists() or not Group.objects.filter(name="IS admins").exists():
        import_module("portal.migrations.0002_reference_data").load(apps, None)
        import_module("portal.migrations.0003_groups").create_groups(apps, None)


def overflow(page) -> int:
    """How many pixels the page is wider than the screen (0 when nothing scrolls sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def open_every_disclosure(page) -> None:
    for summary in page.locator("main summary").all():
        summary.click()


def quick_exit_in_view_at_the_bottom(page) -> bool:
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(100)
    return page.evaluate(
        "() => { const r = document.getElementById('quick-exit').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_the_dashboard_fits_a_320px_screen_with_its_tables_open(javascript, open_page, page_problems):
    admin = UserFactory(is_staff=True, groups=["IS admins"])
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "set-up-in-tests"})
    helpers.make_champion(by=admin, areas=("dumfries-and-galloway",))
    page = open_page(user=admin, viewport=PHONE, java_script_enabled=javascript)

    page.goto(reverse("champions:admin-dashboard"))
    open_every_disclosure(page)

    page.screenshot(path=f"{SCREENSHOTS}-dashboard-{'js' if javascript else 'nojs'}.png", full_page=True)
    assert page.locator("main details[open] table").count() == 3
    assert overflow(page) == 0
    for table in page.locator("main table").all():  # each scrolls in a region the keyboard reaches
        region = table.locator("xpath=..")
        assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    assert quick_exit_in_view_at_the_bottom(page)
    page_problems.assert_none()


def test_the_champions_space_fits_a_320px_screen_with_the_calendar_address_open(open_page, page_problems):
    admin = UserFactory(is_staff=True, groups=["IS admins"])
    user = UserFactory()
    me = helpers.make_champion(by=admin, areas=("fife",), user=user)
    helpers.make_session(cohort=helpers.make_cohort(members=[me]))
    page = open_page(user=user, viewport=PHONE)

    page.goto(reverse("champions:space"))
    open_every_disclosure(page)

    assert page.locator("main code").first.is_visible()
    assert overflow(page) == 0
    page_problems.assert_none()


def test_a_message_naming_a_long_address_fits_a_320px_screen(open_page, page_problems):
    admin = UserFactory(is_staff=True, groups=["IS admins"])
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "set-up-in-tests"})
    champion = helpers.make_champion(by=admin, email="firstname.lastname.trauma-lead@aberdeenshire.example.org")
    page = open_page(user=admin, viewport=PHONE)

    page.goto(reverse("champions:admin-champion-detail", args=[champion.pk]))
    page.get_by_role("button", name="Send an invitation").click()

    assert "An invitation is on its way to" in page.get_by_role("status").first.inner_text()
    assert overflow(page) == 0
    page_problems.assert_none()
