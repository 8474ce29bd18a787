"""The community's pages through the test client, with data made by the real services."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from community.models import Attachment, CommunityProfile, CommunitySettings, Post, ReadState, Topic, Visibility
from community.services import blocks, posting, reading
from portal.models import Sector
from tests.community.conftest import category, join, member, moderator, private_group, topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _png(name: str = "chart.png") -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 101, 189)).save(out, format="PNG")
    out.seek(0)
    out.name = name
    return out


# --- Joining ------------------------------------------------------------------------------------------------------


def test_joining_takes_a_profile_then_the_guidelines(client):
    user = UserFactory(display_name="Alex")
    client.force_login(user)

    page = client.get(reverse("community:join")).content.decode()
    assert "Community members" in page and "Only the community moderators" in page  # who sees each field

    refused = client.post(reverse("community:join"), {"display_name": "   "})
    assert refused.status_code == 400
    assert refused.content.decode().count("<title>Error: ") == 1
    assert not CommunityProfile.objects.filter(user=user).exists()

    data = {
        "display_name": "Alex Ward",
        "organisation": "Fife Council",
        "organisation_visibility": "moderators",
        "role_visibility": "members",
        "sector_visibility": "members",
        "council_area_visibility": "members",
    }
    assert client.post(reverse("community:join"), data)["Location"] == reverse("community:join-guidelines")
    assert client.post(reverse("community:join-guidelines"), {}).status_code == 400
    done = client.post(reverse("community:join-guidelines"), {"accept": "on"})

    assert done["Location"] == reverse("community:landing")
    profile = CommunityProfile.objects.get(user=user)
    assert profile.status == "active" and profile.guidelines_version.version == 1
    assert profile.organisation_visibility == Visibility.MODERATORS


def test_members_waiting_for_approval_are_told_what_happens_next(client):
    CommunitySettings.objects.filter(pk=1).update(require_member_approval=True)
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("community:join"), {"display_name": "Waiting Person", **_visibilities()})

    response = client.post(reverse("community:join-guidelines"), {"accept": "on"})

    assert response["Location"] == reverse("community:join-pending")
    page = client.get(response["Location"]).content.decode()
    assert "What happens next" in page and "You do not need to do anything else" in page
    where = category()
    assert client.get(reverse("community:topic-create", args=[where.slug])).status_code == 403


def _visibilities() -> dict[str, str]:
    return {f"{name}_visibility": "members" for name in ("organisation", "role", "sector", "council_area")}


# --- Reading ------------------------------------------------------------------------------------------------------


def test_front_page_shows_categories_counts_and_unread(client):
    author, reader = member(), member()
    where = category()
    made = topic(author, where, replies=2)
    reading.read_state_mark(member_id=reader.pk, topic_id=made.pk, number=1)
    client.force_login(reader)

    page = client.get(reverse("community:landing")).content.decode()

    assert where.name in page and made.title in page
    assert "1 with new posts" in page


def test_category_list_marks_new_and_unread_and_pages_by_keyset(client):
    author, reader = member(), member()
    where = category()
    made = [topic(author, where, title=f"Topic {n}") for n in range(33)]
    reading.read_state_mark(member_id=reader.pk, topic_id=made[-1].pk, number=1)
    posting.post_reply(author=author, topic=made[-1], body="New since.")
    client.force_login(reader)

    first = client.get(where.get_absolute_url()).content.decode()
    assert "Topic 32" in first and "Topic 2<" not in first
    assert "1 new" in first and first.count(">New<") == 29
    older = first.split('href="?before=')[1].split('"')[0]
    second = client.get(f"{where.get_absolute_url()}?before={older}").content.decode()
    assert "Topic 2<" in second and "Topic 0<" in second and "Topic 32" not in second


def test_topic_page_opens_at_the_first_unread_post_and_records_reading(client):
    author, reader = member(), member()
    made = topic(author, category(), replies=44)
    reading.read_state_mark(member_id=reader.pk, topic_id=made.pk, number=22)
    client.force_login(reader)

    response = client.get(made.get_absolute_url())

    assert response["Location"] == f"{made.get_absolute_url()}?page=2#post-23"
    client.get(made.get_absolute_url() + "?page=2")
    assert ReadState.objects.get(member=reader, topic=made).last_read_number == 40
    last = client.get(made.get_absolute_url() + "?page=3").content.decode()
    assert 'id="post-45"' in last and "Post your reply" in last


def test_a_topic_page_get_writes_nothing_but_the_readers_position(client, django_assert_num_queries):
    reader = member()
    made = topic(member(), category(), replies=3)
    client.force_login(reader)
    client.get(made.get_absolute_url())
    before = ReadState.objects.get(member=reader).updated_at

    client.get(made.get_absolute_url() + "?page=1")

    assert ReadState.objects.get(member=reader).updated_at == before  # nothing new: not written again


def test_content_notes_fold_a_post_away_unless_the_reader_always_reveals(client):
    author, reader = member(), member()
    made = topic(author, category(), content_note="Talks about self-harm")
    client.force_login(reader)

    page = client.get(made.get_absolute_url() + "?page=1").content.decode()
    assert '<summary class="ds_details__summary">Content note: Talks about self-harm. Show the post</summary>' in page

    CommunityProfile.objects.filter(user=reader).update(always_reveal_content_notes=True)
    page = client.get(made.get_absolute_url() + "?page=1").content.decode()
    assert "Show the post" not in page and "Content note: Talks about self-harm" in page


def test_a_muted_members_posts_are_folded_away(client):
    author, reader = member(name="Loud Person"), member()
    made = topic(author, category())
    blocks.member_block_set(member=reader, blocked=author, kind="mute")
    client.force_login(reader)

    page = client.get(made.get_absolute_url() + "?page=1").content.decode()

    assert "You muted or blocked Loud Person. Show the post" in page


def test_text_people_write_is_escaped(client):
    author = member(name='<img src=x onerror="alert(1)">')
    made = posting.topic_create(author=author, category=category(), title="<script>alert(1)</script>", body="Hi")
    page = client.get(made.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert '<img src=x onerror="alert(1)">' not in page


# --- Private groups -----------------------------------------------------------------------------------------------


def test_a_private_groups_content_is_not_found_by_anyone_else(client):
    insider, outsider = member(), member()
    group = private_group(insider)
    where = category("Cohort space", group=group)
    made = topic(insider, where, title="Just us")
    upload = posting.Upload(content=_png(), name="chart.png", kind="image", size=10)
    post = posting.post_reply(author=insider, topic=made, body="A chart.", attachment=upload)
    attachment = Attachment.objects.get(post=post)
    urls = [
        where.get_absolute_url(),
        made.get_absolute_url(),
        reverse("community:post-detail", args=[post.pk]),
        reverse("community:topic-reply", args=[made.pk]),
        reverse("community:topic-create", args=[where.slug]),
        attachment.get_absolute_url(),
        group.get_absolute_url(),
    ]
    for person in (outsider, None):
        client.logout()
        if person:
            client.force_login(person)
        for url in urls:
            assert client.get(url).status_code in (404, 302), url
            if person:
                assert client.get(url).status_code == 404, url
        assert "Just us" not in client.get(reverse("community:landing")).content.decode()
        assert "Cohort space" not in client.get(reverse("community:landing")).content.decode()
        assert group.name not in client.get(reverse("community:group-list")).content.decode()

    client.force_login(insider)
    for url in urls[:2] + urls[3:]:
        assert client.get(url).status_code == 200, url
    assert "Cohort space" in client.get(reverse("community:landing")).content.decode()


def test_moderators_read_private_groups_only_with_two_step_verification(client):
    insider = member()
    where = category("Cohort space", group=private_group(insider))
    made = topic(insider, where)
    client.force_login(moderator())
    assert client.get(made.get_absolute_url()).status_code == 200
    client.force_login(moderator(second_factor=False))
    assert client.get(made.get_absolute_url()).status_code == 404


# --- Writing ------------------------------------------------------------------------------------------------------


def test_a_member_starts_a_topic_with_a_content_note_and_a_picture(client, settings):
    author = member()
    where = category()
    client.force_login(author)
    data = {
        "title": "Letters",
        "kind": "discussion",
        "body": "Our **new** letter.",
        "content_note": "Mentions bereavement",
        "attachment": _png("letter photo.png"),
    }

    response = client.post(reverse("community:topic-create", args=[where.slug]), data)

    made = Topic.objects.get()
    assert response["Location"] == made.get_absolute_url()
    post = made.posts.get()
    assert post.content_note == "Mentions bereavement" and "<strong>new</strong>" in post.body_html
    attachment = post.attachments.get()
    assert attachment.kind == "image" and attachment.name == "letter photo.png"
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200 and download["Content-Type"] == "image/png"


def test_a_file_that_is_neither_a_picture_nor_a_pdf_is_refused_kindly_and_nothing_is_saved(client):
    client.force_login(member())
    where = category()
    bad = io.BytesIO(b"<svg onload=alert(1)></svg>")
    bad.name = "drawing.png"
    response = client.post(
        reverse("community:topic-create", args=[where.slug]),
        {"title": "A", "kind": "discussion", "body": "Kept words.", "attachment": bad},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "must be a picture (PNG, JPEG or WebP) or a PDF" in page and "Kept words." in page
    assert not Topic.objects.exists() and not Attachment.objects.exists()


def test_quoting_a_reply_prefills_a_quote_block_and_the_reply_lands_at_the_end(client):
    author, replier = member(name="Morven Reid"), member()
    made = topic(author, category(), replies=1)
    quoted = made.posts.get(number=2)
    client.force_login(replier)

    form = client.get(reverse("community:topic-reply", args=[made.pk]) + f"?quote={quoted.pk}").content.decode()
    assert "&gt; **Morven Reid** wrote:" in form and "&gt; Reply 1." in form

    response = client.post(
        reverse("community:topic-reply", args=[made.pk]),
        {"body": "> **Morven Reid** wrote:\n> Reply 1.\n\nAgreed, @morven-reid.", "reply_to": quoted.pk},
    )

    reply = Post.objects.get(topic=made, number=3)
    assert response["Location"] == f"{made.get_absolute_url()}?page=1#post-3"
    assert reply.reply_to == quoted and "<blockquote>" in reply.body_html
    assert "/community/members/" in reply.body_html


def test_editing_ones_own_post_shows_edited_and_others_cannot(client):
    author, other = member(), member()
    made = topic(author, category())
    post = made.posts.get()
    client.force_login(other)
    assert client.get(reverse("community:post-edit", args=[post.pk])).status_code == 404

    client.force_login(author)
    client.post(reverse("community:post-edit", args=[post.pk]), {"title": "Letters", "body": "Changed."})

    page = client.get(made.get_absolute_url() + "?page=1").content.decode()
    assert "Changed." in page and "edited" in page


def test_deleting_ones_own_post_leaves_its_place(client):
    author = member()
    made = topic(author, category(), replies=1)
    post = made.posts.get(number=2)
    client.force_login(author)
    assert "Keep my post" in client.get(reverse("community:post-delete", args=[post.pk])).content.decode()

    client.post(reverse("community:post-delete", args=[post.pk]))

    page = client.get(made.get_absolute_url() + "?page=1").content.decode()
    assert "Deleted by its author." in page and "Reply 1." not in page


def test_reactions_and_the_accepted_answer_are_small_forms(client):
    author, helper = member(), member()
    made = topic(author, category(), kind=Topic.Kind.QUESTION)
    client.force_login(helper)
    client.post(reverse("community:topic-reply", args=[made.pk]), {"body": "Try a calmer first line."})
    answer = made.posts.get(number=2)

    client.force_login(author)
    client.post(reverse("community:post-react", args=[answer.pk]), {"kind": "helpful"})
    client.post(reverse("community:topic-accept", args=[made.pk]), {"post": answer.pk})

    assert Post.objects.get(pk=answer.pk).helpful_count == 1
    assert Topic.objects.get(pk=made.pk).accepted_post == answer
    page = client.get(made.get_absolute_url() + "?page=1").content.decode()
    assert "Accepted answer" in page and 'aria-pressed="true"' in page

    client.force_login(helper)  # only the person who asked marks the answer
    assert client.post(reverse("community:topic-accept", args=[made.pk]), {"post": ""}).status_code == 404


def test_suspended_members_read_but_cannot_post(client):
    user = member()
    CommunityProfile.objects.filter(user=user).update(status="suspended", suspension_reason="Time to cool off.")
    made = topic(member(), category())
    client.force_login(user)
    page = client.get(made.get_absolute_url() + "?page=1").content.decode()
    assert "Your membership is paused" in page and "Time to cool off." in page
    assert client.post(reverse("community:topic-reply", args=[made.pk]), {"body": "x"}).status_code == 403
    assert Post.objects.filter(topic=made).count() == 1


# --- People -------------------------------------------------------------------------------------------------------


def test_the_directory_lists_only_members_who_chose_it_and_filters_only_on_what_they_show(client):
    third = Sector.objects.get(slug="third-sector")
    shown = join(name="Shown Sector", sector=third, listed_in_directory=True)
    join(name="Hidden Sector", sector=third, sector_visibility="moderators", listed_in_directory=True)
    join(name="Not Listed", sector=third, listed_in_directory=False)
    client.force_login(member())

    page = client.get(reverse("community:member-list"), {"sector": third.pk}).content.decode()

    assert "Shown Sector" in page and "Hidden Sector" not in page and "Not Listed" not in page
    everyone = client.get(reverse("community:member-list")).content.decode()
    assert "Hidden Sector" in everyone and "Third sector" in everyone.split("Hidden Sector")[0]
    assert shown.community_profile.get_absolute_url() in everyone


def test_a_member_page_shows_only_the_fields_the_member_lets_members_see(client):
    person = join(name="Private Person", organisation="Secret Org", organisation_visibility="moderators")
    client.force_login(member())
    page = client.get(person.community_profile.get_absolute_url()).content.decode()
    assert "Private Person" in page and "Secret Org" not in page
    client.force_login(moderator())
    assert "Secret Org" in client.get(person.community_profile.get_absolute_url()).content.decode()


def test_blocking_a_member_stops_their_mentions(client):
    blocker, other = member(name="Quiet Person"), member()
    client.force_login(blocker)
    client.post(reverse("community:member-block", args=[other.community_profile.pk]), {"kind": "block"})
    post = posting.topic_create(author=other, category=category(), title="Hi", body="Hello @quiet-person").posts.get()
    assert "/community/members/" not in post.body_html and not post.mentions.exists()


def test_deleting_an_account_offers_to_remove_community_posts_too(client):
    author = member()
    made = topic(author, category(), replies=1)
    client.force_login(author)
    page = client.get(reverse("portal:account-delete")).content.decode()
    assert "Also delete the posts and replies I wrote in the community" in page

    client.post(reverse("portal:account-delete"), {"confirm": "on", "remove_writing": "on"})

    assert not type(author).objects.filter(pk=author.pk).exists()
    assert list(Post.objects.filter(topic=made).values_list("status", flat=True)) == ["deleted_by_author"] * 2
    assert "Deleted by its author." in client.get(made.get_absolute_url()).content.decode()
