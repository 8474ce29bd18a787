"""allauth's forms with the portal's own words.

Each form keeps allauth's behaviour; only labels and hints change, and placeholders go, because the design system
asks for a visible label and a hint instead of placeholder text (placeholders vanish as soon as someone types).
Wired in through ACCOUNT_FORMS and MFA_FORMS in settings.
"""

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from allauth.mfa.webauthn import forms as webauthn_forms
from django import forms

from portal.forms import email_fits_storage

# Hint text, not a password.
PASSWORD_HINT = (
    "Use at least 12 characters. A few unrelated words strung together are easy to remember and hard to guess."  # noqa: S105
)
EMAIL_HINT = (
    "We use it to sign you in, to check it is really you, and to send you only the messages you choose. "
    "We never show it to other members."
)


REQUIRED = {
    "email": "Enter your email address.",
    "login": "Enter your email address.",
    "password": "Enter your password.",
    "password1": "Create a password.",
    "password2": "Type your password again.",
    "oldpassword": "Enter your current password.",
}


def _reword(form: forms.Form, labels: dict[str, str], hints: dict[str, str] | None = None) -> None:
    for name, field in form.fields.items():
        field.widget.attrs.pop("placeholder", None)
        # An address is saved (sign up, add an address) or looked up in a column of 254 characters.
        if name == "email" and isinstance(field, forms.CharField):
            email_fits_storage(field)
        if name in REQUIRED:
            field.error_messages["required"] = REQUIRED[name]
    for name, label in labels.items():
        if name in form.fields:
            form.fields[name].label = label
    for name, hint in (hints or {}).items():
        if name in form.fields:
            form.fields[name].help_text = hint


class LoginForm(account_forms.LoginForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _reword(
            self,
            {"login": "Email address", "password": "Password", "remember": "Keep me signed in on this device"},
            {"remember": "Only choose this on a device that nobody else uses."},
        )


class SignupForm(account_forms.SignupForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _reword(
            self,
            {"email": "Email address", "password1": "Create a password", "password2": "Type your password again"},
            {"email": EMAIL_HINT, "password1": PASSWORD_HINT},
        )


class AddEmailForm(account_forms.AddEmailForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _reword(
            self,
            {"email": "New email address"},
            {"email": "We will send a link to this address. Your current address keeps working until you follow it."},
        )


class ChangePasswordForm(account_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _reword(
            self,
            {
                "oldpassword": "Current password",
                "password1": "New password",
                "password2": "Type your new password again",
            },
            {"password1": PASSWORD_HINT},
        )


class SetPasswordForm(account_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _reword(self, {"password1": "Password", "password2": "Type your password again"}, {"password1": PASSWORD_HINT})


class ResetPasswordForm(account_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _reword(self, {"email": "Email address"}, {"email": "The address you use to sign in to the portal."})


class ResetPasswordKeyForm(account_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _reword(
            self,
            {"password1": "New password", "password2": "Type your new password again"},
            {"password1": PASSWORD_HINT},
        )


class ReauthenticateForm(account_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _reword(self, {"password": "Your password"})


CODE_HINT = "The 6-digit code your authenticator app shows now, or one of your recovery codes."


class AuthenticateForm(mfa_forms.AuthenticateForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _reword(self, {"code": "Security code"}, {"code": CODE_HINT})


class MFAReauthenticateForm(mfa_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _reword(self, {"code": "Security code"}, {"code": CODE_HINT})


# The MFA adapter's "incorrect_code" also offers recovery codes and passkeys, which someone setting up their first
# authenticator app does not have yet.
SETUP_INCORRECT_CODE = (
    "That code did not work. Enter the 6-digit code the app shows for the portal now: a new one appears every "
    "30 seconds. If it still does not work, check the time on your phone is set automatically."
)


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _reword(
            self,
            {"code": "Code from your authenticator app"},
            {"code": "The 6-digit code the app shows for the portal. A new one appears every 30 seconds."},
        )

    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except forms.ValidationError as error:
            if error.code == "incorrect_code":
                raise forms.ValidationError(SETUP_INCORRECT_CODE, code="incorrect_code") from error
            raise


class AddWebAuthnForm(webauthn_forms.AddWebAuthnForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _reword(
            self,
            {"name": "Name for this passkey (optional)", "passwordless": "Let me sign in with this passkey alone"},
            {
                "name": "Helps you tell your devices apart, for example \u201cwork laptop\u201d.",
                "passwordless": "You will sign in with your fingerprint, face or device PIN instead of a password "
                "and code.",
            },
        )


class EditWebAuthnForm(webauthn_forms.EditWebAuthnForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _reword(self, {"name": "Name for this passkey"})
