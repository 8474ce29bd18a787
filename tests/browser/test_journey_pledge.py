"""An organisation signs the leadership pledge, clicked through as people would: sign, confirm by email, an IS admin
approves it, it is on the register and found by its council area, then the contact shares a progress update through
a management link. The pages that need a pledge (organisation page, management, review queue) are scanned by axe here.
"""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group

from pledges import review, services
from pledges.models import Pledge, PledgeStatus, ProgressUpdate, UpdateStatus
from portal.models import CouncilArea, Sector
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

ORG = "Bothy Youth Project"
EMAIL = "jo@bothy.example.org"
SCREENSHOTS = "/tmp/portal-journey-pledge"


@pytest.fixture(autouse=True)
def reference_data(live_server, django_db_serialized_rollback):
    """Council areas, sectors and groups from the migrations. Serialized rollback should bring them back after an
    earlier browser test empties the database, but when non-browser tests run first in the same session they are
    not restored (seen with pytest-django here), so load them again with the migrations' own idempotent loaders."""
    from importlib import import_module

    from django.apps import apps

    if not CouncilArea.objects.exists() or not Group.objects.filter(name="IS admins").exists():
        import_module("portal.migrations.0002_reference_data").load(apps, None)
        import_module("portal.migrations.0003_groups").create_groups(apps, None)


def link_path(mailoutbox, prefix: str) -> str:
    """The live server runs in this process, so its emails are in Django's locmem outbox. The links name SITE_URL,
    so only their path is kept and opened on the live server."""
    for message in reversed(mailoutbox):
        if EMAIL in message.to:
            match = re.search(rf"https?://[^/\s]+({prefix}\S+/)", message.body)
            if match:
                return match.group(1)
    raise AssertionError(f"no {prefix} link in emails to {EMAIL}: {[m.subject for m in mailoutbox]}")


def tick(page, label: str) -> None:
    """Click a radio or tick box by its label, as a person does: the design system draws the box on the label."""
    page.locator("label", has_text=label).filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).first.click()


def make_admin():
    admin = UserFactory(is_staff=True, groups=["IS admins"], display_name="Isla Reviewer")
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "set-up-in-tests"})
    return admin


def test_an_organisation_signs_is_approved_is_found_and_reports_progress(
    open_page, live_server, mailoutbox, page_problems, axe
):
    page = open_page()

    # The pledge page -> the form
    page.goto("/pledge/")
    page.get_by_role("link", name="Sign the pledge").click()
    page.wait_for_url("**/pledge/sign/")
    page.get_by_label("Organisation name").fill(ORG)
    tick(page, "Third sector organisation")
    tick(page, "Third sector")
    tick(page, "Angus")
    page.get_by_label("Website").fill("https://bothy.example.org")
    tick(page, "10 to 49 people")
    statement = page.get_by_label("Your public statement")
    statement.fill("Young people tell us they want to be believed. We will listen first.")
    # The word counter (static/js/pledge-word-count.js) counts words, not characters
    assert page.get_by_text("You have 137 words remaining").is_visible()
    tick(page, "Involve people with lived experience in designing and reviewing services")
    page.get_by_label("Name of the senior leader who authorised the pledge").fill("Ailsa Grant")
    page.get_by_label("Their role").fill("Director")
    tick(page, "I confirm this senior leader has authorised our organisation to sign the pledge")
    page.get_by_label("Your name").fill("Jo Worker")
    page.get_by_label("Your email address").fill(EMAIL)
    page.screenshot(path=f"{SCREENSHOTS}-1-sign.png", full_page=True)
    page.get_by_role("button", name="Sign the pledge").click()

    # Check your email, with what happens next
    page.wait_for_url("**/pledge/sign/check-your-email/")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert page.get_by_role("heading", name="What happens next").is_visible()
    axe.assert_no_violations(page)

    # The link in the confirmation email
    page.goto(link_path(mailoutbox, "/pledge/confirm/"))
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Yes, confirm the pledge").click()
    page.wait_for_url("**/pledge/manage/**")
    assert "Waiting for review" in page.get_by_role("main").inner_text()
    assert Pledge.objects.get().status == PledgeStatus.AWAITING_REVIEW
    axe.assert_no_violations(page)
    page.screenshot(path=f"{SCREENSHOTS}-2-waiting-for-review.png", full_page=True)

    # An IS admin approves it in the review queue
    admin_page = open_page(user=make_admin())
    admin_page.goto("/pledge/review/")
    axe.assert_no_violations(admin_page)
    admin_page.screenshot(path=f"{SCREENSHOTS}-3-review-queue.png", full_page=True)
    admin_page.get_by_role("link", name=ORG).click()
    axe.assert_no_violations(admin_page)
    tick(admin_page, "Approve and publish")
    admin_page.get_by_role("button", name="Save the decision").click()
    admin_page.wait_for_url("**/pledge/review/")
    assert f"{ORG} is approved" in admin_page.get_by_role("status").first.inner_text()

    # On the register, found by its council area filter
    page.goto("/pledge/register/")
    page.get_by_label("Council area").select_option(label="Angus")
    page.get_by_role("button", name="Show results").click()
    page.wait_for_url("**/pledge/register/?*area=angus*")
    assert page.get_by_role("status").inner_text() == "1 organisation matches your search"
    page.screenshot(path=f"{SCREENSHOTS}-4-register-angus.png", full_page=True)
    page.get_by_role("link", name=ORG).click()
    assert page.get_by_role("heading", level=1).inner_text() == ORG
    axe.assert_no_violations(page)

    # The contact asks for a management link and shares a progress update
    page.goto("/pledge/manage/")
    page.get_by_label("The contact email address for your pledge").fill(EMAIL)
    page.get_by_role("button", name="Email me a link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    page.goto(link_path(mailoutbox, "/pledge/manage/"))
    assert "On the register" in page.get_by_role("main").inner_text()
    page.get_by_role("link", name="Share a progress update").click()
    axe.assert_no_violations(page)
    page.get_by_label("What your organisation did").fill("Every youth worker finished trauma-informed training.")
    page.get_by_label("What you will do next").fill("Ask the young people's panel to review our welcome pack.")
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_url("**/pledge/manage/**")
    assert "will be published once the team has reviewed it" in page.get_by_role("status").first.inner_text()
    assert ProgressUpdate.objects.get().status == UpdateStatus.AWAITING_REVIEW

    # Reviewed like statements, then shown on the organisation's page
    admin_page.goto("/pledge/review/")
    admin_page.get_by_role("link", name=ORG).last.click()
    tick(admin_page, "Approve and publish")
    admin_page.get_by_role("button", name="Save the decision").click()
    admin_page.wait_for_url("**/pledge/review/")
    page.goto(Pledge.objects.get().get_absolute_url())
    assert "Every youth worker finished trauma-informed training." in page.get_by_role("main").inner_text()
    page.screenshot(path=f"{SCREENSHOTS}-5-organisation.png", full_page=True)

    page_problems.assert_none()


def test_management_pages_meet_wcag(open_page, live_server, axe, page_problems):
    """The pages behind a management link, scanned with a pledge made through the services."""
    admin = make_admin()
    pledge = services.pledge_sign(
        organisation_name=ORG,
        organisation_type="third_sector",
        sector=Sector.objects.get(slug="third-sector"),
        council_areas=[],
        scotland_wide=True,
        website="https://bothy.example.org",
        size_band="small",
        statement="We will listen first.",
        actions=["roadmap"],
        own_actions="",
        leader_name="Ailsa Grant",
        leader_role="Director",
        contact_name="Jo Worker",
        contact_email=EMAIL,
    )
    services.pledge_confirm(pledge=pledge)
    review.pledge_approve(pledge=pledge, reviewer=admin)
    token = services.manage_path(pledge).split("/")[-2]
    page = open_page()
    for suffix in ["", "edit/", "contact/", "withdraw/"]:
        response = page.goto(f"/pledge/manage/{token}/{suffix}")
        assert response.status == 200
        axe.assert_no_violations(page)
    page_problems.assert_none()
