"""Every page in pages.py meets WCAG 2.2 AA as far as axe-core can tell, and loads all of its CSS and JavaScript."""

import pytest

from tests.browser.pages import PAGES, scan_cases
from tests.factories import UserFactory


@pytest.mark.browser
@pytest.mark.parametrize(
    ("entry", "signed_in"),
    scan_cases(),
    ids=[f"{entry.label}-{'signed-in' if signed_in else 'signed-out'}" for entry, signed_in in scan_cases()],
)
def test_page_has_no_accessibility_violations(entry, signed_in, open_page, axe, page_problems):
    page = open_page(user=UserFactory() if signed_in else None)
    path = entry.path()

    response = page.goto(path)

    assert response is not None
    assert response.status == entry.status, f"{path} answered {response.status}"
    # The scan must be of the page itself, not of somewhere it redirected to.
    assert page.url.endswith(path), f"{path} sent the browser to {page.url}"
    # The page is in the portal's shell with the design system's styles applied: unstyled HTML could scan clean.
    assert page.locator(".ds_site-header").count() == 1, f"{path} is not in the portal's page layout"
    assert "Roboto" in page.evaluate("getComputedStyle(document.body).fontFamily")
    page_problems.assert_none(expected_document_status=entry.status if entry.status >= 400 else None)
    axe.assert_no_violations(page)


@pytest.mark.browser
@pytest.mark.parametrize("entry", [entry for entry in PAGES if entry.signed_out_only], ids=lambda entry: entry.label)
def test_signed_out_only_pages_send_signed_in_people_on(entry, signed_in_page):
    """Why these pages are scanned signed out only: a signed-in person never sees them."""
    signed_in_page.goto(entry.path())

    assert not signed_in_page.url.endswith(entry.path())


def test_registry_labels_are_unique():
    """Runs without a browser: the labels are the test ids."""
    labels = [entry.label for entry in PAGES]
    assert len(labels) == len(set(labels))


@pytest.mark.browser
def test_axe_helper_reports_what_it_finds(page, axe):
    """The harness itself can fail: a page with an unlabelled image and field gives violations, named readably."""
    page.set_content('<!doctype html><html lang="en"><title>t</title><main><img src="a.png"><input></main></html>')

    violations = axe(page)

    assert {"image-alt", "label"} <= {violation["id"] for violation in violations}
    readable = r"image-alt \(critical\): Images must have alternative text\n.*\n\s+at img\n"
    with pytest.raises(AssertionError, match=readable):
        axe.assert_no_violations(page)
