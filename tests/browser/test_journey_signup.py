"""A new member's first visit, clicked through as a person would: create an account, confirm the email address,
sign out, sign back in, and leave the site quickly."""

import re

import pytest
from django.conf import settings

from portal.models import User

pytestmark = pytest.mark.browser

EMAIL = "morag.new@example.org"
PASSWORD = "heather on the hill at dawn"  # 12+ characters, as the sign-up form asks
SCREENSHOTS = "/tmp/portal-journey-signup"


def confirmation_link(mailoutbox) -> str:
    """The live server runs in this process, so the email it sent is in Django's locmem outbox. The link names
    SITE_URL, like every email link, so only its path is kept and opened on the live server."""
    messages = [message for message in mailoutbox if EMAIL in message.to]
    assert len(messages) == 1, f"expected one email to {EMAIL}, got {[m.subject for m in mailoutbox]}"
    paths = re.findall(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", messages[0].body)
    assert paths, f"no confirmation link in:\n{messages[0].body}"
    return paths[0]


def test_a_new_member_signs_up_confirms_signs_out_and_back_in_then_leaves(
    page, live_server, mailoutbox, route_external, page_problems, axe
):
    route_external(page.context)

    # Home page -> "Create an account"
    page.goto("/")
    page.get_by_role("link", name="Create an account").first.click()
    page.wait_for_url("**/accounts/signup/")
    assert page.get_by_role("heading", level=1).inner_text() == "Create an account"

    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Type your password again").fill(PASSWORD)
    page.screenshot(path=f"{SCREENSHOTS}-1-signup.png", full_page=True)
    page.get_by_role("button", name="Create account").click()

    # "Check your email", and not signed in until the address is confirmed
    page.wait_for_url("**/accounts/confirm-email/")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert page.get_by_role("link", name="Sign in").count() >= 1
    axe.assert_no_violations(page)

    # The link in the email -> confirm -> signed in on the account page
    page.goto(confirmation_link(mailoutbox))
    page.get_by_role("button", name="Yes, confirm my email address").click()
    page.wait_for_url(f"**{'/account/'}")
    assert EMAIL in page.get_by_role("main").inner_text()
    assert User.objects.get(email=EMAIL).emailaddress_set.get(email=EMAIL).verified
    page.screenshot(path=f"{SCREENSHOTS}-2-signed-in.png", full_page=True)

    # Sign out -> home page, signed out
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("link", name="Sign in").count() >= 1
    assert page.get_by_role("button", name="Sign out").count() == 0

    # Sign in again with the new password
    page.get_by_role("link", name="Sign in").first.click()
    page.wait_for_url("**/accounts/login/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/account/")
    assert EMAIL in page.get_by_role("main").inner_text()
    page.screenshot(path=f"{SCREENSHOTS}-3-signed-in-again.png", full_page=True)

    # Nothing failed to load anywhere along the way
    page_problems.assert_none()

    # Leave this site: the account page is replaced by the neutral site
    history_before = page.evaluate("history.length")
    with page.context.expect_page():
        page.get_by_role("link", name=re.compile("Leave this site")).click()
    page.wait_for_url(lambda url: url.rstrip("/") == settings.QUICK_EXIT_ALT_URL.rstrip("/"))
    assert page.evaluate("history.length") == history_before
