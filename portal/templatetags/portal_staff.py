from typing import Any

from django import template

from portal.permissions import is_staff_member as _is_staff_member

register = template.Library()


@register.filter
def is_staff_member(user: Any) -> bool:
    """For the header's "Staff" link: no query for people who are not staff accounts (portal.permissions)."""
    return _is_staff_member(user)
