"""Template helpers for the community's pages."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import template
from django.urls import reverse
from django.utils import timezone

from community import display

if TYPE_CHECKING:
    from portal.models import User

register = template.Library()


@register.filter
def member_name(user: User | None) -> str:
    return display.member_name(user)


@register.filter
def member_url(user: User | None) -> str:
    """The member's page, or "" for a former member or someone who never joined (their name is then plain text)."""
    profile = display.profile_or_none(user)
    return reverse("community:member-detail", args=[profile.pk]) if profile is not None else ""


@register.filter
def machine_time(value: datetime.datetime | None) -> str:
    """A <time datetime> value: local time to the second (the HTML checker refuses microseconds)."""
    if value is None:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
