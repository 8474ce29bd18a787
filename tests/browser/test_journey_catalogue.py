"""Journey 1: a new visitor uses the level finder, filters to short Trauma Informed resources and opens one.
Also scans, with their own data, the catalogue pages that need an object: a resource (its content warning and the
page itself), a case study, an event and the editors' figures."""

import importlib

import pytest
from django.apps import apps

from tests.factories import StaffFactory, UserFactory
from tests.training.catalogue_helpers import make_case_study, make_event, make_resource

pytestmark = pytest.mark.browser
SCREENSHOTS = "/tmp/portal-journey-catalogue"


def choose(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_text(answer, exact=True).click()


def ensure_reference_data() -> None:
    """The practice levels, sectors, service areas and staff groups from the data migrations. A transactional test
    elsewhere that flushes the database without serialized rollback can leave them missing; loading is idempotent."""
    importlib.import_module("portal.migrations.0002_reference_data").load(apps, None)
    importlib.import_module("portal.migrations.0003_groups").create_groups(apps, None)


@pytest.fixture
def catalogue(live_server, django_db_serialized_rollback):
    ensure_reference_data()
    make_resource(
        title="Opening Doors",
        slug="opening-doors",
        format="video",
        duration_minutes=6,
        content_warning="The animation mentions childhood abuse and neglect.",
        transcript="**Narrator:** Every day, people walk through our doors.",
        external_url="https://learn.nes.nhs.scot/",
        external_site_name="Turas Learn",
        service_areas=("health",),
    )
    make_resource(title="A five-minute guide", format="guide", duration_minutes=5)
    make_resource(title="Sowing Seeds workshop", format="workshop", duration_minutes=120)
    make_resource(title="Skilled module", levels=("trauma-skilled",), duration_minutes=20)


def test_a_new_visitor_finds_their_level_filters_to_short_training_and_opens_one(
    page, catalogue, route_external, page_problems, axe
):
    route_external(page.context)
    page.goto("/training/")
    page.get_by_role("link", name="Answer four short questions").click()
    page.wait_for_url("**/training/which-level/")

    # Four plain questions, answered as someone who rarely meets the public would.
    # The design system draws its own radios over the inputs, so a person clicks the label, as here.
    choose(page, "how often do you meet", "Rarely or never")
    choose(page, "Do you usually know", "No, or not usually")
    choose(page, "Does your role include", "No")
    choose(page, "specialist psychological", "No")
    page.get_by_role("button", name="Show my level").click()

    page.get_by_role("heading", name="Trauma Informed fits your role").wait_for()
    assert "build on each other" in page.content()
    axe.assert_no_violations(page)
    page.screenshot(path=f"{SCREENSHOTS}-1-finder.png", full_page=True)

    page.get_by_role("link", name="See the Trauma Informed level and its training").click()
    page.wait_for_url("**/training/levels/trauma-informed/")
    page.get_by_role("link", name="Filter the Trauma Informed training").click()
    page.wait_for_url("**/training/resources/?level=trauma-informed")
    assert page.get_by_role("status").inner_text().startswith("3 resources")

    page.locator("label", has_text="Under 30 minutes").click()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**time=short**")
    assert page.get_by_role("status").inner_text().startswith("2 resources")
    assert page.get_by_label("Trauma Informed").is_checked()
    results = page.locator(".ds_search-result__title").all_inner_texts()
    assert sorted(results) == ["A five-minute guide", "Opening Doors"]
    axe.assert_no_violations(page)
    page.screenshot(path=f"{SCREENSHOTS}-2-filtered.png", full_page=True)

    page.get_by_role("link", name="Opening Doors").click()
    page.get_by_role("heading", name="This resource talks about experiences").wait_for()
    assert "childhood abuse" in page.content()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Continue to the resource").click()

    page.get_by_role("link", name="Go to Turas Learn").wait_for()
    page.get_by_text("Read the transcript").click()
    assert page.get_by_text("Every day, people walk through our doors.").is_visible()
    axe.assert_no_violations(page)
    page.screenshot(path=f"{SCREENSHOTS}-3-resource.png", full_page=True)

    # "Was this useful?" without an account.
    choose(page, "Was this useful?", "Yes")
    page.get_by_role("button", name="Send feedback").click()
    page.get_by_text("Thank you for your feedback").wait_for()
    page_problems.assert_none()


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_object_pages_have_no_accessibility_violations(open_page, catalogue, axe, page_problems, signed_in):
    case = make_case_study(principles=("safety", "choice"), credit="the tenants' panel")
    upcoming = make_event(booking_url="https://example.org/book", speakers="Ann Example\nBen Example")
    past = make_event(days_from_now=-20, recording_url="https://example.org/rec", recording_transcript="Hello.")
    page = open_page(user=UserFactory() if signed_in else None)
    for path in (
        "/training/which-level/?contact=often&known=no&remit=no&specialist=no&submitted=1",
        "/training/levels/trauma-skilled/",
        "/training/resources/opening-doors/",
        "/training/resources/opening-doors/?continue=1",
        f"/training/case-studies/{case.slug}/",
        f"/training/events/{upcoming.slug}/",
        f"/training/events/{past.slug}/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        axe.assert_no_violations(page)
    page_problems.assert_none()


def test_feedback_errors_and_figures_page_have_no_accessibility_violations(open_page, catalogue, axe, page_problems):
    page = open_page()
    page.goto("/training/resources/opening-doors/?continue=1")
    page.get_by_role("button", name="Send feedback").click()
    page.get_by_text("There is a problem").wait_for()
    axe.assert_no_violations(page)
    # The form answers 400 on purpose (nothing was saved); the harness would count that status as a failed request.
    assert page_problems.failed_requests == [
        line for line in page_problems.failed_requests if line.startswith("400 POST") and "/feedback/" in line
    ]
    page_problems.clear()

    editor = StaffFactory(groups=["Content editors"])
    page = open_page(user=editor)
    response = page.goto("/training/resources/figures/")
    assert response.status == 200
    axe.assert_no_violations(page)
    page.screenshot(path=f"{SCREENSHOTS}-4-figures.png", full_page=True)
    page_problems.assert_none()
