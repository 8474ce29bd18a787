"""The page shell's fragments that are the same for everyone: rendered once per process, then copied into every page.

    {% load portal_shell %}
    {% shell_fragment "includes/site_footer.html" %}
    {% shell_fragment "includes/navigation_items.html" section=request.resolver_match.namespace %}

A fragment sees only the shell's settings (portal.context_processors.shell_settings) and the values passed to it,
which are part of its key with those settings, the script prefix and the URLconf: so it can never show one person's
page to another, and never needs invalidating. Nothing per person or per request (the user, a CSRF token, messages)
may go in one: keep those in the ordinary templates around it.

With DEBUG on (`make run`) fragments are rendered afresh each time, so an edited template shows on the next request.
"""

from typing import Any

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

from portal.context_processors import NAVIGATION, shell_settings

register = template.Library()

_rendered: dict[tuple, SafeString] = {}


@register.simple_tag
def shell_fragment(template_name: str, **values: Any) -> SafeString:
    constants = shell_settings()
    key = (template_name, get_script_prefix(), get_urlconf(), *constants.values(), *sorted(values.items()))
    fragment = None if settings.DEBUG else _rendered.get(key)
    if fragment is None:
        html = get_template(template_name).render({**constants, "NAVIGATION": NAVIGATION, **values})
        fragment = _rendered[key] = mark_safe(html)  # noqa: S308 - a template's output, escaped as it rendered
    return fragment


# --- The header's links for one person ------------------------------------------------------------------------------

# Where a page cached for everyone signed in (portal.cache.public_page(signed_in=True)) has each person's links.
ACCOUNT_LINKS_MARKER = "<!--portal:account-links-->"
_SHARED_RENDER_ATTR = "_portal_shared_render"

_ACCOUNT_URLS = {
    "my_learning": "training:my-learning",
    "notifications": "notifications:list",
    "account": "portal:account",
    "staff": "portal:staff",
    "admin": "admin:index",
    "logout": "account_logout",
    "login": "account_login",
    "signup": "account_signup",
}
_reversed: dict[tuple, dict[str, str]] = {}


def _account_urls() -> dict[str, str]:
    key = (get_script_prefix(), get_urlconf())
    urls = _reversed.get(key)
    if urls is None:
        urls = _reversed[key] = {name: reverse(url_name) for name, url_name in _ACCOUNT_URLS.items()}
    return urls


def render_shared(request: HttpRequest, shared: bool = True) -> None:
    """Render this request's page for later: the header's links become ACCOUNT_LINKS_MARKER (False: no longer)."""
    setattr(request, _SHARED_RENDER_ATTR, shared)


def _render_links(values: dict[str, Any]) -> SafeString:
    # The engine's own Template (.template) takes a plain Context: no context processors run for these few links.
    html = get_template("includes/account_links.html").template.render(Context(values, autoescape=True))  # type: ignore[attr-defined]
    return mark_safe(html)  # noqa: S308 - a template's output, escaped as it rendered


# The links of someone signed in differ only by their unread count, the staff or admin link and the sign-out form's
# CSRF token: each combination is rendered once per process with a placeholder where the token goes, which is
# filled in (a masked token, new on every request as Django makes them) for each request.
_TOKEN_PLACEHOLDER = "portal-csrf-token-placeholder"  # noqa: S105 - not a secret: replaced by the real token
_signed_in_links: dict[tuple[object, ...], str] = {}
_SIGNED_IN_LINKS_SIZE = 512


def account_links_html(request: HttpRequest, user: Any = None) -> SafeString:
    """The header's account links for the person making `request`: their unread count, the staff or admin link,
    and the sign-out form with their CSRF token."""
    from portal.context_processors import notifications, site
    from portal.permissions import is_staff_member

    user = user or getattr(request, "user", None)
    urls = _account_urls()
    if user is None or not user.is_authenticated:
        return _render_links({"user": user, "urls": urls})
    shell = site(request)
    count = notifications(request)["unread_notification_count"]()
    staff_member = is_staff_member(user)
    key = (id(urls), count, staff_member, shell["show_admin_link"])
    html = _signed_in_links.get(key)
    if html is None:
        values = {**shell, "user": user, "urls": urls, "unread_notification_count": count}
        values.update(staff_member=staff_member, csrf_token=_TOKEN_PLACEHOLDER)
        html = str(_render_links(values))
        if len(_signed_in_links) >= _SIGNED_IN_LINKS_SIZE:
            _signed_in_links.clear()
        _signed_in_links[key] = html
    return mark_safe(html.replace(_TOKEN_PLACEHOLDER, get_token(request)))  # noqa: S308 - rendered, escaped


@register.simple_tag(takes_context=True)
def account_links(context: Context) -> SafeString:
    request = context.get("request")
    if request is None:  # a page rendered without a request (an error page): the signed-out links
        return _render_links({"urls": _account_urls()})
    if getattr(request, _SHARED_RENDER_ATTR, False):
        return mark_safe(ACCOUNT_LINKS_MARKER)  # noqa: S308 - a constant
    return account_links_html(request, context.get("user"))
