"""A member flags a reply, a moderator with two-step verification hides it, and the audit log shows it, clicked
through as people would. The moderation pages (which need a moderator and data) are scanned by axe here: the flag
form and its thank-you, the queue, a post, its edit page, the topic tools and split page, the waiting and suspended
lists, the settings, a member's page and the audit log.
"""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from community.models import CommunitySettings, Flag, GuidelinesVersion, ModerationAction, Post
from community.services import posting
from portal.models import CouncilArea
from portal.permissions import StaffGroup
from tests.browser.test_journey_pledge import tick
from tests.community.conftest import category, join
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp/portal-journey-moderation"
REPLY = "Honestly, anyone who writes letters like that should not be in the job."
REASON = "This reply was unkind about colleagues. Please talk about the practice, not the people."


@pytest.fixture(autouse=True)
def reference_data(live_server, django_db_serialized_rollback):
    """Groups, reference data and the first guidelines from the migrations, loaded again if an earlier test's
    flush left them out (see test_journey_pledge.reference_data)."""
    if not CouncilArea.objects.exists() or not Group.objects.filter(name=StaffGroup.MODERATORS.value).exists():
        import_module("portal.migrations.0002_reference_data").load(apps, None)
        import_module("portal.migrations.0003_groups").create_groups(apps, None)
    if not GuidelinesVersion.objects.exists() or not CommunitySettings.objects.exists():
        import_module("community.migrations.0002_guidelines_and_settings").create(apps, None)


def test_a_member_flags_a_reply_a_moderator_hides_it_and_the_log_shows_it(open_page, page_problems, axe):
    author = join(UserFactory(), name="Ailsa Grant")
    replier = join(UserFactory(), name="Rory Bain")
    flagger = join(UserFactory(), name="Morven Reid")
    moderator = join(StaffFactory(groups=[StaffGroup.MODERATORS.value], display_name="Isla Moderator"))
    where = category("Sharing practice")
    topic = posting.topic_create(
        author=author, category=where, title="Trauma-informed letters", body="How do you word appointment letters?"
    )
    reply = posting.post_reply(author=replier, topic=topic, body=REPLY)

    # The third member flags the reply
    page = open_page(user=flagger)
    page.goto(topic.get_absolute_url())
    page.get_by_role("link", name="Flag post 2 for the moderators").click()
    page.wait_for_url(f"**/community/p/{reply.pk}/flag/")
    axe.assert_no_violations(page)
    tick(page, "It is unkind or disrespectful")
    page.get_by_label("Anything the moderators should know? (optional)").fill("Unkind about colleagues.")
    page.screenshot(path=f"{SCREENSHOTS}-1-flag.png", full_page=True)
    page.get_by_role("button", name="Send to the moderators").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for telling us"
    axe.assert_no_violations(page)
    assert Flag.objects.get(post=reply).member_id == flagger.pk

    # A moderator with two-step verification finds it first in the queue and hides it with a reason
    mod_page = open_page(user=moderator)
    mod_page.goto("/community/moderation/")
    assert "Unkind about colleagues." in mod_page.get_by_role("main").inner_text()
    axe.assert_no_violations(mod_page)
    mod_page.screenshot(path=f"{SCREENSHOTS}-2-queue.png", full_page=True)
    mod_page.get_by_role("link", name="Trauma-informed letters, post #2").click()
    mod_page.wait_for_url(f"**/community/moderation/p/{reply.pk}/")
    axe.assert_no_violations(mod_page)
    tick(mod_page, "Hide the post")
    mod_page.get_by_label("Reason (optional)").fill(REASON)
    with mod_page.expect_navigation():
        mod_page.get_by_role("button", name="Save the decision").click()
    assert "The post is hidden" in mod_page.get_by_role("status").first.inner_text()
    assert "Hidden by a moderator" in mod_page.get_by_role("main").inner_text()
    assert Post.objects.get(pk=reply.pk).status == Post.Status.HIDDEN

    # The audit log shows it, with the reason
    mod_page.goto("/community/moderation/log/")
    log = mod_page.get_by_role("main").inner_text()
    assert "Hid a post" in log and REASON in log and "Isla Moderator" in log
    axe.assert_no_violations(mod_page)
    mod_page.screenshot(path=f"{SCREENSHOTS}-3-log.png", full_page=True)
    mod_page.get_by_label("Action", exact=True).select_option(label="Hid a post")
    with mod_page.expect_navigation():
        mod_page.get_by_role("button", name="Show actions").click()
    assert "action=hide_post" in mod_page.url
    assert REASON in mod_page.get_by_role("main").inner_text()
    assert ModerationAction.objects.get().moderator_id == moderator.pk

    # Readers see a line in its place; its author sees it with the reason
    page.goto(topic.get_absolute_url())
    assert REPLY not in page.get_by_role("main").inner_text()
    assert "Hidden by a moderator." in page.get_by_role("main").inner_text()
    author_page = open_page(user=replier)
    author_page.goto(topic.get_absolute_url())
    assert REASON in author_page.get_by_role("main").inner_text()

    # The other moderation pages meet WCAG 2.2 AA too
    for path in [
        f"/community/moderation/p/{reply.pk}/edit/",
        f"/community/moderation/t/{topic.pk}/",
        f"/community/moderation/t/{topic.pk}/split/",
        "/community/moderation/waiting/",
        "/community/moderation/suspended/",
        "/community/moderation/settings/",
        f"/community/moderation/members/{replier.community_profile.pk}/",
    ]:
        mod_page.goto(path)
        assert mod_page.url.endswith(path), f"{path} sent the moderator to {mod_page.url}"
        axe.assert_no_violations(mod_page)
    page_problems.assert_none()
