"""Passkeys in the system Chromium: add one through the real pages, then sign in with it.

Chromium's DevTools protocol gives each page a virtual authenticator (a built-in "platform" passkey that always
confirms the person with a fingerprint), so the browser runs the whole WebAuthn ceremony for real: allauth's own
scripts call navigator.credentials.create() and .get(), and the server checks the signed answers with python-fido2.
The live server speaks plain HTTP on localhost, which Chromium and fido2 (2.x) both accept as a secure origin, so
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN stays off here, as in production. (On 127.0.0.1 it would not work: an IP address
cannot be a WebAuthn relying party ID.)
"""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, StaffFactory, UserFactory

SCREENSHOTS = "/tmp/portal-passkeys"


@pytest.fixture
def open_strict_page(browser, live_server, page_problems, django_db_serialized_rollback):
    """Like `open_page(user=...)`, but the browser enforces the portal's Content Security Policy (open_page bypasses
    it so that axe-core can be injected): a passkey script the policy refused would show up in `page_problems`."""
    contexts = []

    def open_(*, user):
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        context.set_default_timeout(10_000)
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
        new_page = context.new_page()
        page_problems.watch(new_page)
        return new_page

    yield open_
    for context in contexts:
        context.close()


def add_virtual_authenticator(page) -> tuple[object, str]:
    """A platform passkey (like Windows Hello or Touch ID) that always recognises the person."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    result = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, result["authenticatorId"]


def credentials_on_device(cdp, authenticator_id: str) -> list[dict]:
    return cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]


def wait_for_path(page, path: str) -> None:
    page.wait_for_url(re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$"))


def add_passkey(page, *, name: str, passwordless: bool = True, axe=None) -> None:
    """From the two-step verification page: "Add a passkey", confirm the password, name it and create it."""
    page.goto(reverse("mfa_index"))
    page.get_by_role("link", name="Add a passkey").click()
    # Changing how you sign in asks for the password again first.
    wait_for_path(page, reverse("account_reauthenticate"))
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm it is you"
    page.get_by_label("Your password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Continue").click()

    wait_for_path(page, reverse("mfa_add_webauthn"))
    assert page.get_by_role("heading", level=1).inner_text() == "Add a passkey"
    if axe is not None:
        axe.assert_no_violations(page)
    page.get_by_label(re.compile("Name for this passkey")).fill(name)
    if passwordless:
        # The design system draws its own box over the input, so a person clicks the words, as here.
        page.locator("label", has_text="Let me sign in with this passkey alone").click()
        assert page.get_by_label("Let me sign in with this passkey alone").is_checked()
    # allauth's script asks the browser for a new credential; the virtual authenticator answers and the form is sent.
    page.get_by_role("button", name="Add passkey").click()
    page.wait_for_url(lambda url: reverse("mfa_add_webauthn") not in url)


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))
    assert page.get_by_role("button", name="Sign out").count() == 0


@pytest.mark.browser
def test_a_member_adds_a_passkey_and_signs_in_with_it(open_page, page_problems, axe):
    person = UserFactory()
    page = open_page(user=person)
    cdp, authenticator_id = add_virtual_authenticator(page)

    add_passkey(page, name="Work laptop", axe=axe)

    # The first way of signing in with two steps also makes recovery codes, shown straight away.
    wait_for_path(page, reverse("mfa_view_recovery_codes"))
    assert page.get_by_role("heading", level=1).inner_text() == "Your recovery codes"
    passkey = Authenticator.objects.get(user=person, type=Authenticator.Type.WEBAUTHN)
    assert passkey.wrap().name == "Work laptop"
    assert passkey.wrap().is_passwordless is True
    assert len(credentials_on_device(cdp, authenticator_id)) == 1
    page.screenshot(path=f"{SCREENSHOTS}-1-recovery-codes.png", full_page=True)

    # Two-step verification says a passkey is there; the list names it.
    page.goto(reverse("mfa_index"))
    assert "You have added 1 passkey or security key." in page.get_by_role("main").inner_text()
    page.get_by_role("link", name="Manage passkeys").click()
    wait_for_path(page, reverse("mfa_list_webauthn"))
    row = page.get_by_role("row", name=re.compile("Work laptop"))
    assert row.count() == 1
    assert "Passkey" in row.inner_text()
    axe.assert_no_violations(page)
    page.screenshot(path=f"{SCREENSHOTS}-2-list.png", full_page=True)

    # Rename it.
    row.get_by_role("link", name="Rename Work laptop").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Rename your passkey"
    axe.assert_no_violations(page)
    page.get_by_label("Name for this passkey").fill("Home laptop")
    page.get_by_role("button", name="Save").click()
    wait_for_path(page, reverse("mfa_list_webauthn"))
    assert page.get_by_role("row", name=re.compile("Home laptop")).count() == 1
    passkey.refresh_from_db()
    assert passkey.wrap().name == "Home laptop"

    # Confirming it is you (before changing how you sign in) works with the passkey too.
    page.goto(reverse("mfa_reauthenticate_webauthn") + "?next=" + reverse("mfa_list_webauthn"))
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm it is you"
    axe.assert_no_violations(page)
    page.screenshot(path=f"{SCREENSHOTS}-4-second-step.png", full_page=True)
    page.get_by_role("button", name="Use your passkey").click()
    wait_for_path(page, reverse("mfa_list_webauthn"))

    # Sign out, then sign in with the passkey alone: no email address, no password.
    sign_out(page)
    page.goto(reverse("account_login"))
    page.get_by_role("button", name="Sign in with a passkey").click()
    wait_for_path(page, reverse("portal:account"))
    assert person.email in page.get_by_role("main").inner_text()
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None
    page.screenshot(path=f"{SCREENSHOTS}-3-signed-in-with-passkey.png", full_page=True)

    # Sign out, then sign in with the password: the passkey is now the second step.
    sign_out(page)
    page.goto(reverse("account_login"))
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    wait_for_path(page, reverse("mfa_authenticate"))
    # Someone with a passkey is asked for it first; a code from an app or a recovery code still works below.
    assert page.get_by_role("heading", level=1).inner_text() == "Use your passkey"
    assert page.get_by_role("heading", name="Or enter a security code").count() == 1
    axe.assert_no_violations(page)
    page.screenshot(path=f"{SCREENSHOTS}-4-second-step.png", full_page=True)
    page.get_by_role("button", name="Use your passkey").click()
    wait_for_path(page, reverse("portal:account"))
    assert person.email in page.get_by_role("main").inner_text()

    page_problems.assert_none()


@pytest.mark.browser
def test_a_staff_member_with_only_a_passkey_reaches_the_admin_site(open_strict_page, page_problems):
    staff = StaffFactory(second_factor=False)
    page = open_strict_page(user=staff)
    add_virtual_authenticator(page)

    # Without two-step verification the admin site sends them to set it up.
    page.goto(reverse("admin:index"))
    wait_for_path(page, reverse("mfa_index"))
    assert "Before you use the admin site, set up two-step verification." in page.locator("body").inner_text()

    add_passkey(page, name="Office security key", passwordless=True)
    assert list(Authenticator.objects.filter(user=staff).values_list("type", flat=True).order_by("type")) == [
        Authenticator.Type.RECOVERY_CODES,
        Authenticator.Type.WEBAUTHN,
    ]

    # Everything up to the admin site loaded cleanly.
    page_problems.assert_none()

    page.goto(reverse("admin:index"))
    wait_for_path(page, reverse("admin:index"))
    assert page.get_by_role("heading", name="Site administration").count() == 1

    # Signing in with the password, the passkey is the second step, and then the admin site opens.
    page.goto("/")
    sign_out(page)
    page.goto(reverse("account_login") + "?next=" + reverse("admin:index"))
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    wait_for_path(page, reverse("mfa_authenticate"))
    page.get_by_role("button", name="Use your passkey").click()
    wait_for_path(page, reverse("admin:index"))
    assert page.get_by_role("heading", name="Site administration").count() == 1

    # After signing out and in again with the passkey alone, the admin site still opens.
    page.goto("/")
    sign_out(page)
    page.goto(reverse("account_login") + "?next=" + reverse("admin:index"))
    page.get_by_role("button", name="Sign in with a passkey").click()
    wait_for_path(page, reverse("admin:index"))
    assert page.get_by_role("heading", name="Site administration").count() == 1

    page_problems.assert_none()


@pytest.mark.django_db
def test_people_without_a_passkey_are_not_offered_one_at_the_second_step(client):
    """Runs without a browser: allauth offers its passkey form to everyone, but the button could never work for
    someone who has not added a passkey, so they see only the code."""
    person = UserFactory()
    Authenticator.objects.create(user=person, type=Authenticator.Type.TOTP, data={"secret": "set-up-in-tests"})

    stage = client.post(reverse("account_login"), {"login": person.email, "password": DEFAULT_PASSWORD})
    assert stage["Location"] == reverse("mfa_authenticate")
    page = client.get(stage["Location"]).content.decode()

    assert '<h1 class="ds_page-header__title">Enter your security code</h1>' in page
    assert "Use your passkey" not in page
    assert "mfa/js/webauthn.js" not in page
