"""Joining the community, the profile, accepting the guidelines, and what happens to a member's writing when their
account is deleted."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from community.models import Attachment, CommunityProfile, GuidelinesVersion, Post, Reaction
from community.selectors.members import community_settings
from community.services.waiting import moderators_tell_waiting
from portal.markdown import render_markdown

if TYPE_CHECKING:
    from portal.models import User

PROFILE_FIELDS = (
    "display_name",
    "organisation",
    "organisation_visibility",
    "role",
    "role_visibility",
    "sector",
    "sector_visibility",
    "council_area",
    "council_area_visibility",
    "about",
    "listed_in_directory",
    "always_reveal_content_notes",
    "weekly_digest",
)


def handle_for(display_name: str, *, exclude_pk: int | None = None) -> str:
    """A free @handle made from the display name: "Morven Reid" -> "morven-reid", then "morven-reid-2"... Only
    letters, digits and single hyphens, as the mention parser reads them (slugify keeps underscores: "jo_smith"
    would be a handle nobody could mention)."""
    base = re.sub(r"[^a-z0-9]+", "-", slugify(display_name))[:32].strip("-") or "member"
    others = CommunityProfile.objects.filter(handle__startswith=base)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.values_list("handle", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def guidelines_render(*, version: GuidelinesVersion) -> GuidelinesVersion:
    """Render a new version's Markdown once, before it is saved (staff-written text: portal.markdown)."""
    version.body_html = str(render_markdown(version.body_markdown))
    return version


def latest_guidelines() -> GuidelinesVersion:
    """The guidelines members accept now. Raises GuidelinesVersion.DoesNotExist if none was ever published (the
    community's migration publishes the first)."""
    return GuidelinesVersion.objects.order_by("-version")[:1].get()


def profile_create(*, user: User, **fields: Any) -> CommunityProfile:
    """Start joining: the profile, waiting for the guidelines to be accepted (status pending until then). The
    @handle is made from the display name. Raises ValueError if the person already has a profile."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {sorted(unknown)}")
    with transaction.atomic():
        if CommunityProfile.objects.filter(user=user).exists():
            raise ValueError("This person has already joined.")
        return CommunityProfile.objects.create(
            user=user,
            handle=handle_for(fields.get("display_name", "")),
            status=CommunityProfile.Status.PENDING,
            **fields,
        )


def profile_update(*, profile: CommunityProfile, **fields: Any) -> CommunityProfile:
    """Change what the member says about themselves and who sees it. Their @handle stays as it was, so mentions
    already written still reach them."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save(update_fields=list(fields))
    return profile


def guidelines_accept(*, profile: CommunityProfile, version: GuidelinesVersion) -> CommunityProfile:
    """Record which guidelines the member accepted, and when. A first acceptance makes them a member at once, or,
    when moderators approve new members, leaves them waiting (pending) for a moderator. Accepting a later version
    changes nothing else. A suspended member stays suspended."""
    now = timezone.now()
    with transaction.atomic():
        profile = CommunityProfile.objects.select_for_update().get(pk=profile.pk)
        first_time = profile.guidelines_version_id is None
        profile.guidelines_version = version
        profile.guidelines_accepted_at = now
        fields = ["guidelines_version", "guidelines_accepted_at"]
        pending = profile.status == CommunityProfile.Status.PENDING
        if first_time and pending and not community_settings().require_member_approval:
            profile.status = CommunityProfile.Status.ACTIVE
            profile.approved_at = now
            fields += ["status", "approved_at"]
        profile.save(update_fields=fields)
        if first_time and profile.status == CommunityProfile.Status.PENDING:
            moderators_tell_waiting(what=f"{profile.display_name} is waiting to join the community")
    return profile


def member_approve(*, profile: CommunityProfile) -> CommunityProfile:
    """A waiting member becomes a member (the moderation work records who approved and tells the member)."""
    if profile.status == CommunityProfile.Status.PENDING and profile.guidelines_version_id is not None:
        profile.status = CommunityProfile.Status.ACTIVE
        profile.approved_at = timezone.now()
        profile.save(update_fields=["status", "approved_at"])
    return profile


def member_leaving(*, user: User, remove_posts: bool) -> None:
    """Before an account is deleted (portal.services.user_delete). Posts stay for the thread's sake: deleting the
    account empties their author (on_delete=SET_NULL), so they show "Former member", with no name and no profile (the
    profile goes with the account). With `remove_posts` the person asked for their writing to go as well: each post
    becomes "deleted by its author" (text, content note, attachments and edit history removed), so threads keep
    their shape. Reaction counts the person gave are taken back, since their reactions go with the account."""
    with transaction.atomic():
        for kind in ("thanks", "helpful", "support"):
            post_ids = Reaction.objects.filter(member=user, kind=kind).values("post_id")
            Post.objects.filter(pk__in=post_ids).update(**{f"{kind}_count": F(f"{kind}_count") - 1})
        if remove_posts:
            posts = Post.objects.filter(author=user).exclude(
                status__in=[Post.Status.DELETED_BY_AUTHOR, Post.Status.DELETED]
            )
            for post in posts.select_related("topic"):
                post_remove_text(post=post, status=Post.Status.DELETED_BY_AUTHOR)


def post_remove_text(*, post: Post, status: str) -> None:
    """Empty a post and mark it deleted (by its author, or removed), keeping its place in the thread, and take it out
    of the counters if it was counted. Shared by deleting a post and deleting an account with its posts."""
    from community.services.posting import counters_post_gone

    was_visible = post.status == Post.Status.VISIBLE
    files = [attachment.file for attachment in Attachment.objects.filter(post=post)]
    Attachment.objects.filter(post=post).delete()

    # The files go once the rows are gone for good: a rolled-back deletion keeps them.
    def delete_files() -> None:
        for file in files:
            file.delete(save=False)

    transaction.on_commit(delete_files)
    post.revisions.all().delete()
    post.body_markdown = ""
    post.body_html = ""
    post.content_note = ""
    post.status = status
    post.deleted_at = timezone.now()
    post.save(update_fields=["body_markdown", "body_html", "content_note", "status", "deleted_at"])
    if was_visible:
        counters_post_gone(post=post)
