from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import ValidationError

# Django's password messages, said the portal's way: what to do next, not what went wrong.
PASSWORD_MESSAGES = {
    "password_too_short": "Your password needs at least 12 characters. "
    "Try a few unrelated words strung together: they are easy to remember and hard to guess.",
    "password_too_common": "That password is one of the most widely used, so it would be easy to guess. "
    "Try a few unrelated words strung together instead.",
    "password_entirely_numeric": "Your password needs some letters as well as numbers.",
    "password_too_similar": "Your password is too close to your email address. Choose something different.",
}


# allauth's names for the sign-in steps that prove a credential: the password, and a code or passkey ("mfa").
FRESH_CREDENTIALS = {"password", "mfa"}


class AccountAdapter(DefaultAccountAdapter):
    """The portal's account behaviour: kind, blame-free wording for every message allauth shows.

    Every account email (verification, password reset, security notices) goes through the outbox, so it is sent
    once even if the broker or the mail server is down when the person acts.
    """

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": "This account is switched off. If you think this is a mistake, please contact us.",
        "cannot_remove_primary_email": "This is the address you sign in with, so it cannot be removed. "
        "Add another address and make it your main one first.",
        "duplicate_email": "This email address is already on your account.",
        "email_password_mismatch": "The email address or password does not match our records. "
        "Check them and try again, or reset your password.",
        "email_taken": "There is already an account with this email address. "
        "You can sign in, or reset your password if you have forgotten it.",
        "enter_current_password": "Enter your current password.",
        "incorrect_code": "That code did not work. Codes change every 30 seconds: enter the one your app shows now.",
        "incorrect_password": "That password does not match our records. Check it and try again.",
        "invalid_or_expired_key": "This link has expired or has already been used. You can ask for a new one.",
        "invalid_login": "We could not sign you in with those details. Check them and try again.",
        "invalid_password_reset": "This password reset link has expired or has already been used. "
        "You can ask for a new one.",
        "max_email_addresses": "You can add up to %d email addresses.",
        "too_many_login_attempts": "There have been several attempts to sign in to this account, so we have paused "
        "sign-in for a few minutes to keep it safe. Please try again later, or reset your password.",
        "unknown_email": "We could not find an account with this email address.",
        "unverified_primary_email": "Confirm your main email address first: follow the link we sent you.",
        "select_only_one": "Choose one email address.",
        "same_as_current": "This is already your email address. Enter a different one.",
        "rate_limited": "You have made several requests in a short time. Please wait a few minutes and try again.",
    }

    def clean_password(self, password: str, user=None) -> str:
        try:
            return super().clean_password(password, user=user)
        except ValidationError as error:
            # A ValidationError's code may be None: such an error keeps its own message.
            raise ValidationError(
                [PASSWORD_MESSAGES.get(item.code or "", item.messages[0]) for item in error.error_list]
            ) from error

    def post_login(self, request, user, **kwargs):
        """A sign-in with a password or passkey a moment ago proves as much as "Confirm it is you" would: count it as
        recent (for ACCOUNT_REAUTHENTICATION_TIMEOUT), so staff sent to set up two-step verification straight after
        signing in are not asked for the password they have just typed. Signing in from an email link proves no
        credential and is not counted."""
        from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY, get_authentication_records

        records = get_authentication_records(request, user)
        if records and records[-1].get("method") in FRESH_CREDENTIALS:
            records[-1]["reauthenticated"] = True
            # Reassigned, not only changed in place, so the session knows to save it.
            request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records
        return super().post_login(request, user, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth writes the words (text templates in templates/account/email/); the portal's layout goes round
        them, so account emails have the same text and HTML parts as the portal's own, then leave by the outbox."""
        from portal.notifications.kinds import ACCOUNT_SECURITY
        from portal.notifications.services import queue_rendered_email, render_layout

        message = self.render_mail(template_prefix, email, _links_on_site_url(context))
        user = context.get("user")
        recipient = user if getattr(user, "pk", None) else None
        text, html = render_layout(
            kind=ACCOUNT_SECURITY, subject=message.subject, body_text=message.body, recipient=recipient
        )
        queue_rendered_email(
            kind=ACCOUNT_SECURITY,
            to_email=email,
            subject=message.subject,
            body_text=text,
            body_html=html,
            recipient=recipient,
        )


def _links_on_site_url(context: dict) -> dict:
    """allauth builds the links in its emails (activate_url, password_reset_url, signup_url) from the request's Host,
    which may be a second name for the portal, a proxy's inner address or another development port. Every email link
    points at SITE_URL instead, through the same helper as the notification emails."""
    from portal.notifications.services import absolute_url

    def on_site(value):
        if not isinstance(value, str) or not value.startswith(("http://", "https://")):
            return value
        parts = urlsplit(value)
        return absolute_url(urlunsplit(("", "", parts.path, parts.query, parts.fragment)))

    return {key: on_site(value) if key.endswith("_url") else value for key, value in context.items()}


class MFAAdapter(DefaultMFAAdapter):
    """Kind wording for two-step verification."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        # Shown for a wrong app code, recovery code or passkey alike, so it names all three.
        "incorrect_code": "That did not work. If you used a code from your app, enter the one it shows now (codes "
        "change every 30 seconds). You can also use a recovery code, or try your passkey again.",
        "cannot_delete_authenticator": "You cannot remove this while two-step verification depends on it.",
        "unverified_email": "Confirm your email address before you set up two-step verification.",
        "add_email_blocked": "You cannot add an email address while two-step verification is on.",
        "cannot_generate_recovery_codes": "Set up an authenticator app or a passkey first, "
        "then you can create recovery codes.",
    }
