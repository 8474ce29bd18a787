"""The community's services on the real database: the rules they enforce and the counters they keep."""

import pytest

from community.models import (
    FORMER_MEMBER,
    CommunityProfile,
    CommunitySettings,
    GroupMembership,
    Mention,
    Post,
    PostRevision,
    Reaction,
    ReadState,
    Topic,
)
from community.services import blocks, groups, membership, posting, reactions, reading
from portal.services import user_delete
from tests.community.conftest import category, join, member, topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_joining_records_the_guidelines_version_and_makes_a_member():
    user = UserFactory()
    profile = membership.profile_create(user=user, display_name="Morven Reid")
    assert profile.status == CommunityProfile.Status.PENDING and profile.handle == "morven-reid"

    version = membership.latest_guidelines()
    profile = membership.guidelines_accept(profile=profile, version=version)

    assert profile.status == CommunityProfile.Status.ACTIVE
    assert profile.guidelines_version == version and profile.guidelines_accepted_at is not None


def test_when_moderators_approve_new_members_accepting_the_guidelines_leaves_them_waiting():
    CommunitySettings.objects.filter(pk=1).update(require_member_approval=True)
    profile = membership.profile_create(user=UserFactory(), display_name="Callum")

    profile = membership.guidelines_accept(profile=profile, version=membership.latest_guidelines())

    assert profile.status == CommunityProfile.Status.PENDING and profile.guidelines_version_id is not None
    assert membership.member_approve(profile=profile).status == CommunityProfile.Status.ACTIVE


def test_handles_are_unique():
    first = join(name="Morven Reid").community_profile
    second = join(name="Morven Reid").community_profile
    assert (first.handle, second.handle) == ("morven-reid", "morven-reid-2")


def test_posts_are_numbered_and_the_counters_follow():
    author, other = member(), member()
    where = category()
    made = posting.topic_create(author=author, category=where, title="  Letters  ", body="First.")
    second = posting.post_reply(author=other, topic=made, body="Second.")
    third = posting.post_reply(author=author, topic=made, body="Third.", reply_to=second)

    made.refresh_from_db()
    where.refresh_from_db()
    assert made.title == "Letters"
    assert [p.number for p in made.posts.order_by("number")] == [1, 2, 3]
    assert (made.last_post_number, made.post_count, made.reply_count, made.last_post_id) == (3, 3, 2, third.pk)
    assert (where.topic_count, where.post_count, where.last_topic_id) == (1, 3, made.pk)
    assert where.last_activity_at == third.created_at
    assert CommunityProfile.objects.get(user=author).post_count == 2


def test_a_reply_can_only_quote_its_own_topic():
    author = member()
    where = category()
    one, two = topic(author, where), topic(author, where, title="Other")
    with pytest.raises(ValueError):
        posting.post_reply(author=author, topic=one, body="x", reply_to=two.posts.get(number=1))


def test_a_locked_topic_takes_no_more_replies_from_members():
    author = member()
    made = topic(author, category())
    Topic.objects.filter(pk=made.pk).update(locked=True)
    with pytest.raises(posting.TopicLocked):
        posting.post_reply(author=author, topic=made, body="Still here?")
    assert Post.objects.filter(topic=made).count() == 1


def test_markdown_is_rendered_once_sanitised_and_member_links_are_marked():
    made = posting.topic_create(
        author=member(),
        category=category(),
        title="Links",
        body="See [the guide](https://example.org/guide) <script>alert(1)</script> [x](javascript:alert(1))",
    )
    html = made.posts.get().body_html
    assert 'href="https://example.org/guide" rel="nofollow ugc noopener"' in html
    assert "<script" not in html and "javascript:" not in html


def test_mentions_link_to_the_member_and_are_recorded_unless_they_blocked_the_author():
    author = member()
    morven = join(name="Morven Reid")
    callum = join(name="Callum Baird")
    blocks.member_block_set(member=callum, blocked=author, kind="block")

    post = posting.topic_create(
        author=author,
        category=category(),
        title="Hello",
        body="Thanks @morven-reid and @callum-baird. `@morven-reid` in code stays as typed. @nobody-here",
    ).posts.get()

    assert (
        f'<a href="/community/members/{morven.community_profile.pk}/" rel="nofollow ugc noopener">@morven-reid</a>'
        in (post.body_html)
    )
    assert "<code>@morven-reid</code>" in post.body_html
    assert "@callum-baird" in post.body_html and f"/members/{callum.community_profile.pk}/" not in post.body_html
    assert list(Mention.objects.filter(post=post).values_list("member_id", flat=True)) == [morven.pk]


def test_editing_keeps_the_earlier_text_for_the_moderators():
    author = member()
    made = topic(author, category())
    opening = made.posts.get(number=1)

    posting.post_edit(post=opening, editor=author, body="Better words.", content_note="Note", title="New title")

    opening.refresh_from_db()
    revision = PostRevision.objects.get(post=opening)
    assert (revision.body_markdown, revision.title) == ("How do you write letters?", "Trauma-informed letters")
    assert opening.edited_at is not None and "Better words." in opening.body_html
    assert Topic.objects.get(pk=made.pk).title == "New title"


def test_deleting_ones_own_post_keeps_its_place_and_takes_it_out_of_the_counts():
    author, other = member(), member()
    made = topic(author, category(), kind=Topic.Kind.QUESTION)
    answer = posting.post_reply(author=other, topic=made, body="Try this.")
    posting.answer_accept(topic=made, post=answer)

    posting.post_delete_own(post=answer)

    answer.refresh_from_db()
    made.refresh_from_db()
    assert answer.status == Post.Status.DELETED_BY_AUTHOR and answer.body_markdown == "" and answer.number == 2
    assert (made.reply_count, made.post_count, made.accepted_post_id, made.last_post_number) == (0, 1, None, 2)
    assert made.last_post_id == made.posts.get(number=1).pk


def test_reactions_are_given_once_and_taken_back():
    author, reader = member(), member()
    post = topic(author, category()).posts.get()

    assert reactions.reaction_toggle(post=post, member=reader, kind="thanks") is True
    assert Post.objects.get(pk=post.pk).thanks_count == 1
    assert reactions.reaction_toggle(post=post, member=reader, kind="thanks") is False
    assert Post.objects.get(pk=post.pk).thanks_count == 0
    with pytest.raises(ValueError):
        reactions.reaction_toggle(post=post, member=author, kind="thanks")


def test_read_positions_only_move_forward():
    reader = member()
    made = topic(member(), category(), replies=5)
    reading.read_state_mark(member_id=reader.pk, topic_id=made.pk, number=4)
    reading.read_state_mark(member_id=reader.pk, topic_id=made.pk, number=2)
    assert ReadState.objects.get(member=reader, topic=made).last_read_number == 4
    reading.read_state_mark(member_id=reader.pk, topic_id=made.pk, number=6)
    assert ReadState.objects.get(member=reader, topic=made).last_read_number == 6


def test_a_new_members_first_posts_wait_when_moderators_ask():
    CommunitySettings.objects.filter(pk=1).update(held_first_posts=1)
    newcomer = member()
    where = category()

    made = posting.topic_create(author=newcomer, category=where, title="Hello", body="First post.")

    made.refresh_from_db()
    where.refresh_from_db()
    assert made.hidden and made.posts.get().status == Post.Status.HELD
    assert (made.post_count, where.topic_count, where.post_count) == (0, 0, 0)


def test_deleting_an_account_keeps_posts_under_former_member():
    author, reader = member(), member()
    made = topic(author, category(), replies=1)
    reactions.reaction_toggle(post=made.posts.get(number=1), member=reader, kind="helpful")

    user_delete(user=reader)
    user_delete(user=author)

    opening = Post.objects.get(topic=made, number=1)
    assert opening.author is None and opening.body_markdown == "How do you write letters?"
    assert opening.helpful_count == 0
    assert Topic.objects.get(pk=made.pk).author is None
    assert not CommunityProfile.objects.filter(user_id=author.pk).exists()
    from community.display import member_name

    assert member_name(opening.author) == FORMER_MEMBER


def test_deleting_an_account_with_its_writing_empties_each_post():
    author = member()
    made = topic(author, category(), replies=2)

    user_delete(user=author, remove_writing=True)

    posts = list(Post.objects.filter(topic=made).order_by("number"))
    assert [p.number for p in posts] == [1, 2, 3]
    assert all(p.status == Post.Status.DELETED_BY_AUTHOR and p.body_markdown == "" for p in posts)


def test_groups_open_join_and_requests():
    from community.models import Group

    person = member()
    open_group = Group.objects.create(name="Open", slug="open", kind=Group.Kind.OPEN)
    by_request = Group.objects.create(name="Ask", slug="ask", kind=Group.Kind.REQUEST)
    private = Group.objects.create(name="Private", slug="private", kind=Group.Kind.PRIVATE)

    assert groups.group_join(group=open_group, user=person).status == GroupMembership.Status.MEMBER
    request = groups.group_join(group=by_request, user=person, message="Please")
    assert request.status == GroupMembership.Status.REQUESTED
    with pytest.raises(ValueError):
        groups.group_join(group=private, user=person)

    groups.group_request_decide(membership=request, accept=True)
    assert GroupMembership.objects.get(pk=request.pk).status == GroupMembership.Status.MEMBER
    assert Group.objects.get(pk=by_request.pk).member_count == 1
    groups.group_leave(group=by_request, user=person)
    assert Group.objects.get(pk=by_request.pk).member_count == 0


def test_only_a_visible_reply_can_be_the_answer():
    author = member()
    made = topic(author, category(), kind=Topic.Kind.QUESTION, replies=1)
    with pytest.raises(ValueError):
        posting.answer_accept(topic=made, post=made.posts.get(number=1))
    discussion = topic(author, category("Other"), replies=1)
    with pytest.raises(ValueError):
        posting.answer_accept(topic=discussion, post=discussion.posts.get(number=2))


def test_reactions_by_a_deleted_account_leave_no_trace():
    author, reader = member(), member()
    post = topic(author, category()).posts.get()
    reactions.reaction_toggle(post=post, member=reader, kind="support")
    user_delete(user=reader)
    assert Post.objects.get(pk=post.pk).support_count == 0 and not Reaction.objects.exists()
