"""Times in community pages are machine-readable the way the Nu Html Checker accepts in <time datetime>: to the
second with an offset, never microseconds (Django's `|date:'c'` prints them)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.models import Flag, Post
from community.services import flags, moderation, posting
from community.templatetags.community import machine_time
from tests.community.conftest import category, member, moderator, topic

pytestmark = pytest.mark.django_db

# A valid global date and time string (HTML), seconds allowed, fractions refused here on purpose.
VALID = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})$")
TEMPLATES = Path(settings.BASE_DIR) / "templates" / "community"


def test_machine_time_drops_microseconds():
    when = datetime.datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=datetime.UTC)

    assert VALID.match(machine_time(when))
    assert "891011" not in machine_time(when)


def test_every_time_element_in_community_templates_uses_machine_time():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        for value in re.findall(r'<time datetime="([^"]*)"', path.read_text()):
            if "|machine_time" not in value:
                offenders.append(f"{path.relative_to(TEMPLATES)}: {value}")
    assert not offenders, offenders


def test_community_pages_print_valid_datetime_values():
    author, mod = member(), moderator()
    where = category()
    made = topic(author, where, replies=1)
    reply = made.posts.get(number=2)
    Post.objects.filter(topic=made).update(created_at=timezone.now().replace(microsecond=123456))
    flags.flag_create(post=reply, member=member(), reason=Flag.Reason.UNKIND, note="")
    posting.post_edit(post=reply, editor=author, body="Changed.", content_note="")
    moderation.flags_dismiss(post=made.posts.get(number=1), moderator=mod, reason="Fine as it is.")
    as_moderator = Client()
    as_moderator.force_login(mod)
    pages = [
        reverse("community:landing"),
        where.get_absolute_url(),
        made.get_absolute_url(),
        reverse("community:moderation-queue"),
        reverse("community:moderation-log"),
    ]
    seen = []
    for url in pages:
        page = as_moderator.get(url).content.decode()
        seen += [(url, value) for value in re.findall(r'<time datetime="([^"]*)"', page)]

    assert set(pages) - {url for url, _ in seen} == set(), "each page shows at least one time"
    assert [pair for pair in seen if not VALID.match(pair[1])] == []
