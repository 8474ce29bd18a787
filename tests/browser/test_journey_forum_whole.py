"""The community forum's whole journey (issue 9), in order, in Chromium, as people would walk it: someone joins and
accepts the guidelines, chooses to hear about mentions by email, and posts a topic with a content note; a second
member reveals it, replies quoting it with a mention; the first gets the notification in the portal and the email
they chose; a third member flags the reply, a moderator hides it and the audit log shows that; search finds the
topic, and a private group's topic is found by a member of the group and not by anyone else. The keyboard is used
where a person would (typing, the content note, the reason and the buttons), and axe-core checks each new page.
"""

import re

import pytest
from django.core import mail
from django.utils import timezone

from community.models import Flag, ModerationAction, Post, Topic
from community.notifications import MENTION
from community.services import posting
from portal.notifications.models import Notification, OutboundEmail
from portal.notifications.services.sending import outbound_email_send
from portal.permissions import StaffGroup
from tests.browser.test_journey_community import reference_data  # noqa: F401 - an autouse fixture, used here too
from tests.community.conftest import category, join, private_group
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp/portal-journey-forum-whole"
TITLE = "When a letter brings back the past"
BODY = "A young person told us how our letter reminded them of being taken into care."
NOTE = "Mentions care experience"
REPLY = "Thank you @morven-reid, we now ask people how they would like to hear from us."
REASON = "This reply named a colleague. Please talk about the practice, not the people."


def choose(page, group: str, option: str) -> None:
    """Pick a radio button in the fieldset named `group` by pressing Space on it, as a keyboard user would."""
    page.get_by_role("group", name=group).get_by_role("radio", name=option).focus()
    page.keyboard.press("Space")


def press(page, button: str) -> None:
    page.get_by_role("button", name=button).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_whole_forum_journey(open_page, axe, page_problems):
    def open_as(user):
        # A long walk with many axe scans: on a busy machine a step may take longer than the fixture's ten seconds.
        opened = open_page(user=user)
        opened.context.set_default_timeout(30_000)
        return opened

    sharing = category("Sharing practice")
    reader = join(UserFactory(), name="Callum Baird")
    flagger = join(UserFactory(), name="Ailsa Grant")
    moderator = join(StaffFactory(groups=[StaffGroup.MODERATORS.value], display_name="Isla Moderator"))
    insider = join(UserFactory(), name="Eilidh Mackay")
    cohort = private_group(insider, name="Cohort 3")
    cohort_space = category("Cohort space", group=cohort)
    posting.topic_create(
        author=insider, category=cohort_space, title="Cohort letters review", body="Our letters, read together."
    )
    newcomer = UserFactory(display_name="")

    # 1. Joining: the front page -> the profile -> the guidelines
    page = open_as(newcomer)
    page.goto("/community/")
    axe.assert_no_violations(page)
    page.get_by_role("link", name="join the community").first.click()
    page.wait_for_url("**/community/join/")
    axe.assert_no_violations(page)
    page.get_by_label("Display name").focus()
    page.keyboard.type("Morven Reid")
    press(page, "Continue")
    assert page.url.endswith("/community/join/guidelines/")
    axe.assert_no_violations(page)
    page.get_by_role("checkbox", name="I have read the community guidelines and will follow them").focus()
    page.keyboard.press("Space")
    press(page, "Join the community")
    assert "Welcome to the community" in page.get_by_role("status").first.inner_text()
    assert newcomer.community_profile.handle == "morven-reid"

    # 2. Mentions by email, straight away: their choice
    page.goto("/notifications/preferences/")
    axe.assert_no_violations(page)
    choose(page, "Mentions of you in the community", "By email straight away")
    choose(page, "Replies in community topics you watch", "In the portal only")
    press(page, "Save your choices")

    # 3. A topic with a content note
    page.goto(sharing.get_absolute_url())
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Start a topic").click()
    axe.assert_no_violations(page)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Your post").fill(BODY)
    page.get_by_label("Content note (optional)").fill(NOTE)
    press(page, "Post your topic")
    topic = Topic.objects.get(title=TITLE)
    assert page.url.endswith(topic.get_absolute_url())
    axe.assert_no_violations(page)
    page.screenshot(path=f"{SCREENSHOTS}-1-topic.png", full_page=True)

    # 4. A second member reveals it (from the keyboard), then replies quoting it, with a mention
    other = open_as(reader)
    other.goto(topic.get_absolute_url())
    assert not other.get_by_text("reminded them of being taken into care").is_visible()
    other.get_by_text(f"Content note: {NOTE}. Show the post").focus()
    other.keyboard.press("Enter")
    assert other.get_by_text("reminded them of being taken into care").is_visible()
    axe.assert_no_violations(other)
    other.get_by_role("link", name="Quote post 1").click()
    other.wait_for_url("**/reply/?quote=*")
    axe.assert_no_violations(other)
    body = other.get_by_label("Your reply")
    assert "**Morven Reid** wrote:" in body.input_value()
    body.focus()
    other.keyboard.press("Control+End")
    other.keyboard.type(REPLY)
    press(other, "Post your reply")
    reply = Post.objects.get(topic=topic, number=2)
    assert reply.reply_to_id == topic.posts.get(number=1).pk
    assert reply.mentions.filter(member=newcomer).exists()
    assert other.locator("#post-2 blockquote").count() == 1

    # 5. The first member is told in the portal, and by the email they chose
    page.goto("/notifications/")
    axe.assert_no_violations(page)
    assert f"Callum Baird mentioned you in {TITLE}" in page.get_by_role("main").inner_text()
    [told] = Notification.objects.filter(recipient=newcomer)
    assert told.kind == MENTION.name
    [email] = OutboundEmail.objects.filter(recipient=newcomer, kind=MENTION.name)
    OutboundEmail.objects.filter(pk=email.pk).update(due_at=timezone.now())  # its five minutes' wait is over
    assert outbound_email_send(email_id=email.pk) == "sent"
    [sent] = [m for m in mail.outbox if newcomer.email in m.to]
    assert sent.subject == f"Callum Baird mentioned you in {TITLE}"
    assert "we now ask people how they would like to hear from us" in sent.body

    # 6. A third member flags the reply
    third = open_as(flagger)
    third.goto(topic.get_absolute_url())
    third.get_by_role("link", name="Flag post 2 for the moderators").click()
    third.wait_for_url(f"**/community/p/{reply.pk}/flag/")
    axe.assert_no_violations(third)
    choose(third, "Why are you flagging this post?", "It is unkind or disrespectful")
    third.get_by_label("Anything the moderators should know? (optional)").fill("It names a colleague.")
    press(third, "Send to the moderators")
    assert third.get_by_role("heading", level=1).inner_text() == "Thank you for telling us"
    axe.assert_no_violations(third)
    assert Flag.objects.get(post=reply).member_id == flagger.pk

    # 7. A moderator (with two-step verification) hides it, and the audit log shows it
    mod = open_as(moderator)
    mod.goto("/community/moderation/")
    assert "It names a colleague." in mod.get_by_role("main").inner_text()
    axe.assert_no_violations(mod)
    mod.get_by_role("link", name=f"{TITLE}, post #2").click()
    mod.wait_for_url(f"**/community/moderation/p/{reply.pk}/")
    axe.assert_no_violations(mod)
    choose(mod, "What would you like to do?", "Hide the post")
    mod.get_by_label("Reason (optional)").fill(REASON)
    press(mod, "Save the decision")
    assert "The post is hidden" in mod.get_by_role("status").first.inner_text()
    assert Post.objects.get(pk=reply.pk).status == Post.Status.HIDDEN
    mod.goto("/community/moderation/log/")
    axe.assert_no_violations(mod)
    log = mod.get_by_role("main").inner_text()
    assert "Hid a post" in log and REASON in log and "Isla Moderator" in log and TITLE in log
    assert ModerationAction.objects.get(action="hide_post").moderator_id == moderator.pk
    mod.screenshot(path=f"{SCREENSHOTS}-2-log.png", full_page=True)
    third.goto(topic.get_absolute_url())
    assert "Hidden by a moderator." in third.get_by_role("main").inner_text()
    assert REPLY not in third.get_by_role("main").inner_text()

    # 8. Search finds the topic; the private group's topic only for its member
    page.goto("/community/search/")
    axe.assert_no_violations(page)
    page.get_by_label("Search topics and posts").focus()
    page.keyboard.type("letter care")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe.assert_no_violations(page)
    results = page.get_by_role("main")
    assert results.get_by_role("link", name=re.compile(re.escape(TITLE))).count() == 1

    inside = open_as(insider)
    inside.goto("/community/search/?q=cohort+letters")
    assert inside.get_by_role("link", name=re.compile("Cohort letters review")).count() == 1
    axe.assert_no_violations(inside)
    for outsider in (page, other):
        outsider.goto("/community/search/?q=cohort+letters")
        assert "Cohort letters review" not in outsider.get_by_role("main").inner_text()
        assert "Nothing you can see matches those words" in outsider.get_by_role("main").inner_text()
    page_problems.assert_none()
