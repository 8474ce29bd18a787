"""The watch / track / mute form on a topic's or a category's page, for members (nothing for anyone else)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from community import permissions
from community.models import Category, Topic, WatchLevel
from community.selectors.watching import watch_level_of

register = template.Library()


@register.inclusion_tag("community/includes/watch_form.html", takes_context=True)
def watch_form(context: Any, topic: Topic | None = None, category: Category | None = None) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not permissions.can_watch(user):
        return {"show": False}
    level = watch_level_of(user_id=user.pk, topic=topic, category=category)
    if topic is not None:
        action = reverse("community:topic-watch", args=[topic.pk])
        normal = "Normal: as you chose for its category"
    else:
        assert category is not None
        action = reverse("community:category-watch", args=[category.slug])
        normal = "Normal: only topics you start or reply in"
    return {
        "show": True,
        "action": action,
        "what": "topic" if topic is not None else "category",
        "choices": [("", normal), *WatchLevel.choices],
        "level": level,
        "csrf_token": context.get("csrf_token"),
    }
