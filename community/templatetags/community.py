"""Template helpers for the community's pages."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from community import caching, display

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


class _PostPartNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        row = context.get("row") or {}
        html = row.get("part_html")
        if html is not None:
            return mark_safe(html)  # noqa: S308 - our own rendered template output, escaped when it was rendered
        html = self.nodelist.render(context)
        if row.get("part_key"):
            caching.post_part_store(row["part_key"], str(html))
        return html


@register.tag
def post_part(parser: template.base.Parser, token: template.base.Token) -> _PostPartNode:
    """`{% post_part %}...{% endpost_part %}`: the shared part of a post (community.caching.post_parts_attach),
    from the cache when the view found it there, else rendered and stored."""
    nodelist = parser.parse(("endpost_part",))
    parser.delete_first_token()
    return _PostPartNode(nodelist)
