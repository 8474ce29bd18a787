"""Accounts end to end through the test client: sign-up and email confirmation, sign-in, two-step verification for
staff, the profile and account deletion, and every restyled allauth page in the portal's shell."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from portal.account_forms import SETUP_INCORRECT_CODE
from portal.models import User
from tests.factories import DEFAULT_PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

QUICK_EXIT = 'id="quick-exit"'


def totp_code(secret: str) -> str:
    """The code an authenticator app would show right now for this secret."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def sign_in(client, email: str, password: str = DEFAULT_PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password, **extra})


def confirm_it_is_me(client, password: str = DEFAULT_PASSWORD):
    """allauth asks for the password again before anyone changes how they sign in."""
    return client.post(reverse("account_reauthenticate"), {"password": password})


def signed_in_user_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


# --- Sign-up and email confirmation -----------------------------------------------------------------------------


def test_sign_up_sends_a_link_that_confirms_the_address_and_signs_the_person_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # Account emails leave through the outbox once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "new.person@example.org", "password1": "twelve chars", "password2": "twelve chars"},
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.person@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    # Not signed in yet: the address must be confirmed first.
    assert signed_in_user_id(client) is None
    assert client.get(reverse("portal:account")).status_code == 302

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.person@example.org"]
    assert "Confirm your email address" in mailoutbox[0].subject
    assert "If this was not you, you can ignore this email." in mailoutbox[0].body
    links = re.findall(r"https?://[^\s]+/accounts/confirm-email/[^\s/]+/", mailoutbox[0].body)
    assert len(links) == 1
    confirm_path = re.sub(r"^https?://[^/]+", "", links[0])

    page = client.get(confirm_path)
    assert page.status_code == 200
    assert "Yes, confirm my email address" in page.content.decode()
    assert "new.person@example.org" in page.content.decode()

    confirmed = client.post(confirm_path)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert signed_in_user_id(client) == str(user.pk)
    account = client.get(reverse("portal:account"))
    assert account.status_code == 200
    assert "You are signed in as new.person@example.org" in account.content.decode()


def test_sign_up_page_says_why_we_ask_for_email_and_how_long_the_password_must_be(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert "We use it to sign you in" in html
    assert "at least 12 characters" in html
    assert 'aria-describedby="id_password1-hint"' in html


def test_an_eleven_character_password_is_refused_kindly_and_creates_no_user(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "short@example.org", "password1": "elevenchars", "password2": "elevenchars"},
        )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Your password needs at least 12 characters." in html
    assert "There is a problem" in html  # the error summary
    assert 'href="#id_password1"' in html  # which links to the field
    assert "ds_question--error" in html
    assert not User.objects.filter(email="short@example.org").exists()
    assert mailoutbox == []


# The form field takes up to 320 characters; the address columns (the user's and allauth's) hold 254. PostgreSQL
# refuses a longer value, so the form has to say so first rather than the save failing with a server error.
TOO_LONG_EMAIL = "a" * 250 + "@example.org"


def test_an_email_address_too_long_to_store_is_refused_kindly_at_sign_up(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {"email": TOO_LONG_EMAIL, "password1": "twelve chars", "password2": "twelve chars"},
    )

    assert response.status_code == 200
    assert "Please give an email address of 254 characters or fewer." in response.content.decode()
    assert not User.objects.filter(email=TOO_LONG_EMAIL).exists()
    assert mailoutbox == []


def test_an_email_address_too_long_to_store_is_refused_kindly_when_adding_one(member_client, user):
    confirm_it_is_me(member_client)
    response = member_client.post(reverse("account_email"), {"action_add": "", "email": TOO_LONG_EMAIL})

    assert response.status_code == 200
    assert "Please give an email address of 254 characters or fewer." in response.content.decode()
    assert not EmailAddress.objects.filter(email=TOO_LONG_EMAIL).exists()


def test_an_expired_or_unknown_confirmation_link_says_what_to_do(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))

    assert response.status_code == 200
    assert "This link has expired or has already been used." in response.content.decode()


# --- Sign-in ----------------------------------------------------------------------------------------------------


def test_a_person_who_has_not_confirmed_their_address_is_asked_to_check_their_email(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(verified=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(client, user.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_user_id(client) is None
    page = client.get(response["Location"])
    assert "Check your email" in page.content.decode()
    # A fresh link goes out, so they are not stuck.
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]


def test_a_confirmed_person_can_sign_in(client):
    user = UserFactory()

    response = sign_in(client, user.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:account")
    assert signed_in_user_id(client) == str(user.pk)


def test_a_wrong_password_gets_a_blame_free_message(client):
    user = UserFactory()

    response = sign_in(client, user.email, password="not the right password")

    assert response.status_code == 200
    assert "The email address or password does not match our records." in response.content.decode()
    assert signed_in_user_id(client) is None


# --- Two-step verification for staff ----------------------------------------------------------------------------


def test_staff_without_two_step_verification_are_sent_to_set_it_up(client):
    staff = StaffFactory(second_factor=False)
    client.force_login(staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Before you use the admin site, set up two-step verification." in page.content.decode()


def test_staff_with_an_authenticator_app_reach_the_admin(client):
    staff = StaffFactory(second_factor=False)
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "Site administration" in response.content.decode()


def test_staff_with_only_recovery_codes_are_still_sent_to_set_up_an_app_or_passkey(client):
    staff = StaffFactory(second_factor=False)
    RecoveryCodes.activate(staff)
    client.force_login(staff)

    assert client.get(reverse("admin:index"))["Location"] == reverse("mfa_index")


def test_a_member_who_is_not_staff_is_told_the_admin_is_for_staff_not_sent_round_in_circles(client):
    member = UserFactory()
    client.force_login(member)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    final = client.get(reverse("admin:index"), follow=True)  # raises RedirectCycleError on a loop
    assert final.status_code == 403
    assert [url for url, _ in final.redirect_chain] == [f"{reverse('admin:login')}?next={reverse('admin:index')}"]
    html = final.content.decode()
    assert "The admin site is for Improvement Service staff" in html
    assert QUICK_EXIT in html


def test_signed_out_visitors_to_the_admin_go_to_the_portal_sign_in(client):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # leaves reference data for later tests
def test_staff_set_up_an_authenticator_app_and_are_asked_for_a_code_next_time(client):
    """The whole journey: sign in, try the admin, set up the app, reach the admin; next sign-in asks for a code.

    Runs outside a test transaction, as the site does: allauth adds its "app is on" message in an on-commit hook,
    which inside a test transaction would run only after the response had gone.
    """
    staff = StaffFactory(second_factor=False)

    assert sign_in(client, staff.email)["Location"] == reverse("portal:account")
    assert client.get(reverse("admin:index"))["Location"] == reverse("mfa_index")

    # They typed their password a moment ago, so they are not asked for it again.
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 200
    secret = activate.context["form"].secret
    assert secret in activate.content.decode()  # the setup key for people who cannot scan the QR code

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000" if totp_code(secret) != "000000" else "1"})
    assert wrong.status_code == 200
    [message] = wrong.context["form"].errors["code"]
    assert message == SETUP_INCORRECT_CODE and message in wrong.content.decode()
    # Nothing about recovery codes or passkeys: they do not have any yet.
    assert "recovery" not in message.lower() and "passkey" not in message.lower()

    done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert done.status_code == 302
    assert done["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    codes_page = client.get(done["Location"])
    assert codes_page.status_code == 200
    assert "Two-step verification is on." in codes_page.content.decode()

    assert client.get(reverse("admin:index")).status_code == 200

    client.post(reverse("account_logout"))
    assert signed_in_user_id(client) is None

    stage = sign_in(client, staff.email)
    assert stage["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None  # the password alone is not enough
    prompt = client.get(stage["Location"])
    assert "Enter your security code" in prompt.content.decode()

    # The app's code was used a moment ago and cannot be replayed, so sign in with a recovery code.
    recovery_code = RecoveryCodes(
        Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()[0]
    finished = client.post(reverse("mfa_authenticate"), {"code": recovery_code})
    assert finished.status_code == 302
    assert signed_in_user_id(client) == str(staff.pk)
    assert client.get(reverse("admin:index")).status_code == 200


def later(monkeypatch, seconds: int) -> None:
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + seconds)


def test_signing_in_counts_as_confirming_it_is_you_for_five_minutes(client, monkeypatch):
    staff = StaffFactory(second_factor=False)
    sign_in(client, staff.email)

    assert client.get(reverse("mfa_activate_totp")).status_code == 200

    later(monkeypatch, 301)
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert "Confirm it is you" in client.get(asked["Location"]).content.decode()
    assert confirm_it_is_me(client).status_code == 302
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_signing_in_from_an_email_link_does_not_count_as_confirming_it_is_you(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """Following the link proves the inbox, not the password: changing how they sign in still asks for it."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "new.person@example.org", "password1": "twelve chars", "password2": "twelve chars"},
        )
    link = re.search(r"https?://[^\s]+(/accounts/confirm-email/[^\s/]+/)", mailoutbox[0].body).group(1)
    client.post(link)
    assert signed_in_user_id(client) is not None

    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))


@pytest.mark.parametrize(("steps_ago", "accepted"), [(0, True), (1, True), (2, False)])
def test_a_code_from_the_step_just_gone_is_still_accepted(client, monkeypatch, steps_ago, accepted):
    """Someone types the code as the app moves on to the next one: one 30-second step late still works."""
    staff = StaffFactory(second_factor=False)
    sign_in(client, staff.email)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    # Held in the middle of a step, so the step cannot change between making the code and checking it.
    now = (int(time.time()) // mfa_settings.TOTP_PERIOD) * mfa_settings.TOTP_PERIOD + 15
    monkeypatch.setattr(time, "time", lambda: now)
    counter = now // mfa_settings.TOTP_PERIOD - steps_ago

    response = client.post(reverse("mfa_activate_totp"), {"code": format_hotp_value(hotp_value(secret, counter))})

    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists() is accepted
    assert response.status_code == (302 if accepted else 200)


# --- Profile and account deletion -------------------------------------------------------------------------------


def test_the_profile_form_saves(member_client, user):
    response = member_client.post(
        reverse("portal:account"), {"display_name": "Morag", "organisation": "Fife Council"}, follow=True
    )

    assert response.status_code == 200
    assert "Your details are saved." in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Morag"
    assert user.organisation == "Fife Council"


def test_deleting_an_account_needs_the_tick_box(member_client, user):
    response = member_client.post(reverse("portal:account-delete"), {})

    assert response.status_code == 200
    assert "Tick the box to confirm you want to delete your account." in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    assert signed_in_user_id(member_client) == str(user.pk)


def test_deleting_an_account_removes_the_person_and_signs_them_out(member_client, user):
    response = member_client.post(reverse("portal:account-delete"), {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email=user.email).exists()
    assert signed_in_user_id(member_client) is None
    assert member_client.get(reverse("portal:account")).status_code == 302


# --- Every restyled page in the portal's shell ------------------------------------------------------------------

SIGNED_OUT_PAGES = [
    ("account_login", "Sign in"),
    ("account_signup", "Create an account"),
    ("account_reset_password", "Reset your password"),
    ("account_reset_password_done", "Check your email"),
    ("account_email_verification_sent", "Check your email"),
]

SIGNED_IN_PAGES = [
    ("account_email", "Your email address"),
    ("account_change_password", "Change your password"),
    ("account_logout", "Sign out"),
    ("account_reauthenticate", "Confirm it is you"),
    ("mfa_index", "Two-step verification"),
    ("mfa_activate_totp", "Set up an authenticator app"),
    ("mfa_add_webauthn", "Add a passkey"),
    ("mfa_list_webauthn", "Your passkeys and security keys"),
]


def assert_portal_page(response, heading: str) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert QUICK_EXIT in html
    assert f'<h1 class="ds_page-header__title">{heading}</h1>' in html
    assert "<title>" + heading in html
    # Nothing the strict CSP would block: no inline styles, no inline executable script.
    assert "style=" not in html
    for script in re.findall(r"<script([^>]*)>", html):
        assert "src=" in script or 'type="application/json"' in script, script
    return html


@pytest.mark.parametrize(("url_name", "heading"), SIGNED_OUT_PAGES)
def test_signed_out_account_pages_use_the_portal_shell(client, url_name, heading):
    assert_portal_page(client.get(reverse(url_name)), heading)


@pytest.mark.parametrize(("url_name", "heading"), SIGNED_IN_PAGES)
def test_signed_in_account_pages_use_the_portal_shell(client, url_name, heading):
    user = UserFactory()
    sign_in(client, user.email)
    confirm_it_is_me(client)  # so pages that ask to confirm it is you show themselves

    assert_portal_page(client.get(reverse(url_name)), heading)


def test_mfa_pages_once_an_authenticator_app_is_set_up(client):
    user = UserFactory()
    sign_in(client, user.email)
    confirm_it_is_me(client)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert_portal_page(client.get(reverse("mfa_view_recovery_codes")), "Your recovery codes")
    assert_portal_page(client.get(reverse("mfa_generate_recovery_codes")), "Create new recovery codes")
    assert_portal_page(client.get(reverse("mfa_deactivate_totp")), "Remove your authenticator app")
    index = assert_portal_page(client.get(reverse("mfa_index")), "Two-step verification")
    assert "When you sign in, we ask for the 6-digit code your app shows." in index

    client.post(reverse("account_logout"))
    sign_in(client, user.email)
    assert_portal_page(client.get(reverse("mfa_authenticate")), "Enter your security code")
    recovery_code = RecoveryCodes(
        Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()[0]
    client.post(reverse("mfa_authenticate"), {"code": recovery_code})
    assert_portal_page(client.get(reverse("mfa_reauthenticate")), "Confirm it is you")


def test_password_reset_email_link_opens_the_new_password_page(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})

    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/password/reset/key/[^\s]+/", mailoutbox[0].body).group(0)
    page = client.get(re.sub(r"^https?://[^/]+", "", link), follow=True)
    assert_portal_page(page, "Choose a new password")

    bad = client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "0", "key": "nope-nope"}))
    assert_portal_page(bad, "This link has expired")


SITE = "https://portal.example.scot"


@pytest.mark.parametrize(
    ("url_name", "data", "path"),
    [
        (
            "account_signup",
            {"email": "new@example.org", "password1": "twelve chars", "password2": "twelve chars"},
            "/accounts/confirm-email/",
        ),
        ("account_reset_password", {"email": "member@example.org"}, "/accounts/password/reset/key/"),
        ("account_reset_password", {"email": "nobody@example.org"}, "/accounts/signup/"),
    ],
    ids=["confirm-address", "reset-password", "unknown-account"],
)
def test_account_email_links_point_at_site_url_whatever_host_the_request_came_by(
    client, settings, mailoutbox, django_capture_on_commit_callbacks, url_name, data, path
):
    """A portal reachable under a second name, or run on another port, still sends everyone to SITE_URL."""
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["other-name.example.org"]
    UserFactory(email="member@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(url_name), data, HTTP_HOST="other-name.example.org")

    assert len(mailoutbox) == 1
    links = re.findall(r"https?://\S+", mailoutbox[0].body)
    assert links and all(link.startswith(SITE + "/") for link in links), links
    assert any(link.startswith(SITE + path) for link in links), links
