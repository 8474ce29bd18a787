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
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
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
