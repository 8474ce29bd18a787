"""Template tags for e-learning: the two includes on the resource page (each costs one query at most) and how a
certificate code is printed."""

from django import template

from training.learning import selectors
from training.models import Resource

register = template.Library()


@register.filter
def certificate_code(code: str) -> str:
    """A certificate code as printed and shown, in groups of four ("4KQ2-MX9P-RT4B"): easier to read out and type.
    The check accepts it with or without the hyphens (selectors.certificate_code_normalise)."""
    return "-".join(code[start : start + 4] for start in range(0, len(code), 4))


@register.simple_tag(takes_context=True)
def module_state(context, resource: Resource):
    """Where the person is with this resource's module, or None if it is not a module. When the view fetched the
    resource with select_related("module") and there is no module, this costs nothing."""
    cache = resource._state.fields_cache
    if "module" in cache and cache["module"] is None:
        return None
    request = context.get("request")
    user = getattr(request, "user", None)
    return selectors.module_state_for_resource(resource=resource, user=user)


@register.simple_tag(takes_context=True)
def resource_actions_state(context, resource: Resource):
    """Saved? Completed elsewhere? None for someone signed out (no query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return selectors.resource_actions_state(resource=resource, user=user)
