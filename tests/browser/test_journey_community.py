"""The community, clicked through as people would: someone joins (profile, then guidelines) and starts a topic with
a content note; a second member opens the note, quotes the post and replies with a mention; the first sees the reply
and the link to the second's page. Every page on the way, and those that need data (a category, a topic, a member,
a group, the directory), is scanned by axe-core. One check runs without JavaScript: the content note still opens.
"""

import re

import pytest
from django.contrib.auth.models import Group as AuthGroup

from community.models import CommunitySettings, Group, GuidelinesVersion, Post, Topic
from community.services import groups
from portal.models import CouncilArea
from tests.community.conftest import category, join
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp/portal-journey-community"


@pytest.fixture(autouse=True)
def reference_data(live_server, django_db_serialized_rollback):
    """The migrations' data (areas, groups, the first guidelines): loaded again if an earlier test emptied it."""
    from importlib import import_module

    from django.apps import apps

    if not CouncilArea.objects.exists() or not AuthGroup.objects.filter(name="Moderators").exists():
        import_module("portal.migrations.0002_reference_data").load(apps, None)
        import_module("portal.migrations.0003_groups").create_groups(apps, None)
    if not GuidelinesVersion.objects.exists() or not CommunitySettings.objects.exists():
        import_module("community.migrations.0002_guidelines_and_settings").create(apps, None)


def tick(page, label: str) -> None:
    page.locator("label", has_text=label).filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).first.click()


def test_join_post_with_a_content_note_reveal_quote_and_mention(open_page, axe, page_problems):
    category("Sharing practice")
    newcomer = UserFactory(display_name="")
    page = open_page(user=newcomer)

    # Joining: the front page -> the profile -> the guidelines
    page.goto("/community/")
    axe.assert_no_violations(page)
    page.get_by_role("link", name="join the community").first.click()
    page.wait_for_url("**/community/join/")
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Continue").click()  # no display name: a kind error, nothing saved
    assert page.title().startswith("Error: ")
    assert "Enter a display name" in page.locator(".ds_error-summary").inner_text()
    axe.assert_no_violations(page)
    page_problems.clear()  # the refused form answered 400, as it should
    page.get_by_label("Display name").fill("Morven Reid")
    page.get_by_label("Organisation (optional)").fill("Glenmorven Council")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/community/join/guidelines/")
    axe.assert_no_violations(page)
    tick(page, "I have read the community guidelines and will follow them")
    page.get_by_role("button", name="Join the community").click()
    page.wait_for_url("**/community/")
    assert "Welcome to the community" in page.get_by_role("status").first.inner_text()
    page.screenshot(path=f"{SCREENSHOTS}-1-joined.png", full_page=True)

    # A topic with a content note
    page.get_by_role("link", name="Sharing practice").click()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Start a topic").click()
    axe.assert_no_violations(page)
    page.get_by_label("Title").fill("When a letter brings back the past")
    page.get_by_label("Your post").fill("A young person told us how our letter reminded them of being taken into care.")
    page.get_by_label("Content note (optional)").fill("Mentions care experience")
    page.get_by_role("button", name="Post your topic").click()
    page.wait_for_url("**/community/t/*/")
    topic = Topic.objects.get()
    axe.assert_no_violations(page)
    page.screenshot(path=f"{SCREENSHOTS}-2-topic.png", full_page=True)

    # A second member reveals the note, quotes the post and replies with a mention
    reader = join(name="Callum Baird")
    other = open_page(user=reader)
    other.goto(topic.get_absolute_url())
    assert not other.get_by_text("reminded them of being taken into care").is_visible()
    other.get_by_text("Content note: Mentions care experience. Show the post").click()
    assert other.get_by_text("reminded them of being taken into care").is_visible()
    axe.assert_no_violations(other)
    other.get_by_role("link", name="Quote post 1").click()
    other.wait_for_url("**/reply/?quote=*")
    axe.assert_no_violations(other)
    body = other.get_by_label("Your reply")
    assert "**Morven Reid** wrote:" in body.input_value()
    body.fill(body.input_value() + "Thank you @morven-reid, we now ask people how they would like to hear from us.")
    other.get_by_role("button", name="Post your reply").click()
    other.wait_for_url("**/community/t/*/?page=1#post-2")
    reply = Post.objects.get(topic=topic, number=2)
    assert reply.mentions.filter(member__community_profile__handle="morven-reid").exists()

    # The first member sees the reply, the quote and the link to their own page
    page.goto(f"{topic.get_absolute_url()}?page=1")
    article = page.locator("#post-2")
    assert "Callum Baird" in article.inner_text() and article.locator("blockquote").count() == 1
    article.get_by_role("link", name="@morven-reid").click()
    page.wait_for_url("**/community/members/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Morven Reid"
    axe.assert_no_violations(page)
    page.screenshot(path=f"{SCREENSHOTS}-3-member.png", full_page=True)
    page_problems.assert_none()


def test_pages_with_data_have_no_accessibility_violations(open_page, axe):
    insider = join(name="Eilidh Mackay", listed_in_directory=True)
    cohort = Group.objects.create(name="Cohort 3", slug="cohort-3", kind=Group.Kind.PRIVATE)
    groups.group_member_add(group=cohort, user=insider)
    category("Cohort space", group=cohort)
    page = open_page(user=insider)
    for path in ["/community/members/", "/community/groups/", "/community/groups/cohort-3/", "/community/profile/"]:
        page.goto(path)
        assert page.url.endswith(path), path
        axe.assert_no_violations(page)


def test_a_content_note_opens_without_javascript(open_page):
    author = join(name="Aisha Rahman")
    from community.services import posting

    made = posting.topic_create(
        author=author, category=category(), title="Hard to read", body="The details.", content_note="Mentions loss"
    )
    page = open_page(java_script_enabled=False)
    page.goto(made.get_absolute_url())
    assert not page.get_by_text("The details.").is_visible()
    page.get_by_text("Content note: Mentions loss. Show the post").click()
    assert page.get_by_text("The details.").is_visible()
