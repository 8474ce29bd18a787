"""Links the e-learning pages share: sign in or create an account, then come back to where the person was."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode


def sign_in_url(request: HttpRequest, next_url: str | None = None) -> str:
    return f"{reverse('account_login')}?{urlencode({'next': next_url or request.get_full_path()})}"


def sign_up_url(request: HttpRequest, next_url: str | None = None) -> str:
    return f"{reverse('account_signup')}?{urlencode({'next': next_url or request.get_full_path()})}"
