"""At 320 CSS pixels (a small phone, or a desktop zoomed to 400%) nothing scrolls sideways (WCAG 1.4.10 reflow):
a table too wide for the screen scrolls inside a region that the keyboard can reach and scroll, with and without
JavaScript."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from training import demo_learning
from training.learning import services as learning_services
from training.models import Module, ModuleProgress
from training.templatetags.learning_tags import certificate_code

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp/portal-small-screens"
PHONE = {"width": 320, "height": 640}


def page_width_overflow(page) -> int:
    """How many pixels the page is wider than the screen (0 when nothing scrolls sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def assert_tables_are_keyboard_scrollable(page) -> None:
    """Every table on the page sits in a named region in the tab order, so a keyboard can scroll it."""
    tables = page.locator("main table")
    assert tables.count() > 0
    for index in range(tables.count()):
        region = tables.nth(index).locator("xpath=..")
        assert region.get_attribute("role") == "region"
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("aria-label")
        assert region.evaluate("e => getComputedStyle(e).overflowX") == "auto"


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_my_learning_with_a_module_certificate_fits_a_320px_screen(
    javascript, open_page, signed_in_user, page_problems, axe
):
    demo_learning.seed(stdout=io.StringIO())
    module = Module.objects.get(resource__slug=demo_learning.MODULE_SLUG)
    progress = ModuleProgress.objects.create(user=signed_in_user, module=module, completed_at=timezone.now())
    certificate = learning_services.certificate_issue(progress=progress)
    learning_services.certificate_rename(certificate=certificate, learner_name="Morag MacLeod")

    page = open_page(user=signed_in_user, viewport=PHONE, java_script_enabled=javascript)
    page.goto(reverse("training:my-learning"))
    page.screenshot(path=f"{SCREENSHOTS}-my-learning-{'js' if javascript else 'nojs'}.png", full_page=True)
    assert page.get_by_role("link", name=certificate_code(certificate.code)).count() == 1  # as printed
    assert page_width_overflow(page) == 0
    assert_tables_are_keyboard_scrollable(page)
    # Tab reaches the certificates' region, and the arrow keys scroll it to the actions in the last column
    region = page.get_by_role("region", name="Your certificates")
    for _ in range(60):
        page.keyboard.press("Tab")
        if region.evaluate("e => e === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the certificates table")
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    # The browser may scroll smoothly: give it a moment rather than read the position at once
    for _ in range(20):
        if region.evaluate("e => e.scrollLeft") > 0:
            break
        page.wait_for_timeout(100)
    assert region.evaluate("e => e.scrollLeft") > 0
    page_problems.assert_none()
    if javascript:  # axe-core is a script: it runs only where scripts do
        axe.assert_no_violations(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_pledge_open_data_page_fits_a_320px_screen(javascript, open_page, page_problems, axe):
    page = open_page(viewport=PHONE, java_script_enabled=javascript)
    page.goto(reverse("pledges:open-data"))
    page.screenshot(path=f"{SCREENSHOTS}-open-data-{'js' if javascript else 'nojs'}.png", full_page=True)
    assert page_width_overflow(page) == 0
    assert_tables_are_keyboard_scrollable(page)
    page_problems.assert_none()
    if javascript:
        axe.assert_no_violations(page)


@pytest.mark.parametrize("url_name", ["pledges:landing", "pledges:summary"])
def test_pledge_pages_with_tables_fit_a_320px_screen(url_name, open_page, page_problems):
    page = open_page(viewport=PHONE, java_script_enabled=False)
    page.goto(reverse(url_name))
    assert page_width_overflow(page) == 0
    page_problems.assert_none()


LONG_NAME = "Highlands and Islands Trauma-Informed Practice Improvement Collaborative Partnership"


def make_review_queue():
    """A reviewer and a queue with every kind of row: new pledges with long names, a possible duplicate, an edit to a
    published pledge, a progress update and one waiting for the organisation."""
    from importlib import import_module

    from allauth.mfa.models import Authenticator
    from django.apps import apps
    from django.contrib.auth.models import Group

    from pledges import review, services
    from portal.models import CouncilArea, Sector
    from tests.factories import UserFactory

    # Reference data may have been emptied by an earlier transactional test: load it with the migrations' loaders.
    if not CouncilArea.objects.exists() or not Group.objects.filter(name="IS admins").exists():
        import_module("portal.migrations.0002_reference_data").load(apps, None)
        import_module("portal.migrations.0003_groups").create_groups(apps, None)
    reviewer = UserFactory(is_staff=True, groups=["IS admins"])
    Authenticator.objects.create(user=reviewer, type=Authenticator.Type.TOTP, data={"secret": "set-up-in-tests"})

    def sign(name: str, email: str):
        return services.pledge_sign(
            organisation_name=name,
            organisation_type="third_sector",
            sector=Sector.objects.get(slug="third-sector"),
            council_areas=list(CouncilArea.objects.filter(slug__in=["argyll-and-bute", "dumfries-and-galloway"])),
            scotland_wide=False,
            website="",
            size_band="small",
            statement="We will listen first.",
            actions=["roadmap"],
            own_actions="",
            leader_name="Ailsa Grant",
            leader_role="Director",
            contact_name="Jo Worker",
            contact_email=email,
        )

    published = sign(LONG_NAME, "a@example.org")
    services.pledge_confirm(pledge=published)
    published = review.pledge_approve(pledge=published, reviewer=reviewer)
    services.update_submit(
        pledge=published, done="Trained every housing officer in trauma-skilled practice.", next_steps=""
    )
    services.pledge_edit(pledge=published, statement="We will listen first, always.", actions=[], own_actions="")
    duplicate = sign(LONG_NAME, "b@example.org")
    services.pledge_confirm(pledge=duplicate)
    sign("Waiting Youth Project", "c@example.org")
    return reviewer


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_the_staff_area_and_review_queue_fit_a_320px_screen(javascript, open_page, page_problems, axe):
    reviewer = make_review_queue()
    page = open_page(user=reviewer, viewport=PHONE, java_script_enabled=javascript)

    # From any page, the header leads to the staff area and on to the queue.
    page.goto(reverse("portal:about"))
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Staff").click()
    page.wait_for_url(f"**{reverse('portal:staff')}")
    assert page_width_overflow(page) == 0
    if javascript:
        axe.assert_no_violations(page)
    page.get_by_role("link", name="Pledge review queue").click()
    page.wait_for_url(f"**{reverse('pledges:review-list')}")

    page.screenshot(path=f"{SCREENSHOTS}-review-queue-{'js' if javascript else 'nojs'}.png", full_page=True)
    assert page.get_by_text("Possible duplicate").count() == 1
    assert page_width_overflow(page) == 0
    assert_tables_are_keyboard_scrollable(page)
    page_problems.assert_none()
    if javascript:
        axe.assert_no_violations(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_a_pledge_under_review_with_its_history_fits_a_320px_screen(javascript, open_page, page_problems, axe):
    from pledges.models import Pledge

    reviewer = make_review_queue()
    pledge = Pledge.objects.filter(contact_email="a@example.org").get()  # signed, confirmed, approved, edited
    page = open_page(user=reviewer, viewport=PHONE, java_script_enabled=javascript)

    page.goto(reverse("pledges:review-detail", args=[pledge.pk]))

    assert page.get_by_role("heading", name="History").count() == 1
    assert page_width_overflow(page) == 0
    assert_tables_are_keyboard_scrollable(page)
    page_problems.assert_none()
    if javascript:
        axe.assert_no_violations(page)
