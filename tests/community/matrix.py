"""The community's part of the URL matrix (tests/portal/test_url_matrix.py): its roles, its world and its checks.

Roles: a member, a member waiting for approval, a suspended member, and a member of a private group (every other
member is a non-member of it). Moderators with and without two-step verification and IS admins are the matrix's
staff roles; none of them has joined the community, so they read and moderate but do not post.
"""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from PIL import Image

from community.models import Attachment, Group
from community.services import groups, posting
from tests.community.conftest import category, join, pending_member, suspended_member
from tests.factories import UserFactory

if TYPE_CHECKING:
    from collections.abc import Callable

MEMBER = "community-member"
PENDING = "community-pending-member"
SUSPENDED = "community-suspended-member"
PRIVATE_MEMBER = "private-group-member"
# Joined and accepted the guidelines: they have a profile page and a profile to edit.
JOINED = {MEMBER, PENDING, SUSPENDED, PRIVATE_MEMBER}
TAKING_PART = {MEMBER, PRIVATE_MEMBER}


def make_member():
    return join(UserFactory())


ROLE_MAKERS: dict[str, Callable[[], object]] = {
    MEMBER: make_member,
    PENDING: pending_member,
    SUSPENDED: suspended_member,
    PRIVATE_MEMBER: make_member,  # put in the private group by build_world
}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (0, 101, 189)).save(out, format="PNG")
    return out.getvalue()


def build(w: SimpleNamespace) -> None:
    """A public category with a topic by the member (a reply with a picture), and a private group whose category
    holds a topic with a PDF; an open group; a request to join waiting."""
    author = w.users[MEMBER]
    insider = w.users[PRIVATE_MEMBER]
    w.community_category = category("Open discussion")
    w.community_topic = posting.topic_create(
        author=author, category=w.community_category, title="Open topic", body="Hello all."
    )
    upload = posting.Upload(content=ContentFile(_png(), name="chart.png"), name="chart.png", kind="image", size=10)
    w.community_post = posting.post_reply(author=author, topic=w.community_topic, body="More.", attachment=upload)
    w.community_attachment = Attachment.objects.get(post=w.community_post)

    w.community_private_group = Group.objects.create(name="Cohort one", slug="cohort-one", kind=Group.Kind.PRIVATE)
    groups.group_member_add(group=w.community_private_group, user=insider)
    w.community_private_category = category("Cohort one space", group=w.community_private_group)
    w.community_private_topic = posting.topic_create(
        author=insider, category=w.community_private_category, title="Private topic", body="Just us."
    )
    pdf = posting.Upload(content=ContentFile(b"%PDF-1.4\n%\n", name="notes.pdf"), name="notes.pdf", kind="pdf", size=9)
    w.community_private_post = posting.post_reply(
        author=insider, topic=w.community_private_topic, body="Notes.", attachment=pdf
    )
    w.community_private_attachment = Attachment.objects.get(post=w.community_private_post)

    w.community_open_group = Group.objects.create(name="Housing", slug="housing", kind=Group.Kind.REQUEST)
    w.community_group_request = groups.group_join(
        group=w.community_open_group, user=w.users[SUSPENDED], message="Please."
    )
