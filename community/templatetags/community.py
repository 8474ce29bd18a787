"""Template helpers for the community's pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.urls import reverse

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
