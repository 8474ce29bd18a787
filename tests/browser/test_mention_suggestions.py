"""@mention suggestions (static/js/community-mentions.js), from the keyboard: a member types @ and two letters in the
reply box, hears how many members match, moves through the list with the arrow keys, inserts one with Enter, and
posts; the member mentioned is told. axe-core checks the page with the list open. Escape closes the list and leaves
the person on the page (not "Leave this site"). Without JavaScript there is no list, and typing @handle still works
(tests/browser/test_journey_community.py)."""

import pytest
from playwright.sync_api import expect

from community.models import Mention, Post
from community.notifications import MENTION
from community.services import posting
from portal.notifications.models import Notification
from tests.browser.test_journey_community import reference_data  # noqa: F401 - an autouse fixture, used here too
from tests.community.conftest import category, join
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_a_member_chooses_a_suggested_mention_with_the_keyboard_and_posts(open_page, axe, page_problems):
    where = category("Sharing practice")
    morven = join(UserFactory(), name="Morven Reid", listed_in_directory=True)
    join(UserFactory(), name="Moira Stewart", listed_in_directory=True)
    join(UserFactory(), name="Mo Hidden")  # not listed and never posted: never suggested
    writer = join(UserFactory(), name="Callum Baird")
    made = posting.topic_create(author=morven, category=where, title="Letters", body="How do you word letters?")

    page = open_page(user=writer)
    page.goto(made.get_absolute_url())
    field = page.get_by_label("Your reply")
    assert field.get_attribute("aria-autocomplete") == "list"
    listbox = page.locator(f"#{field.get_attribute('aria-controls')}")
    assert listbox.get_attribute("role") == "listbox"
    assert listbox.get_attribute("aria-label") == "Members you can mention"
    status = page.locator(".portal-mentions ~ [role=status]")
    expect(listbox).to_be_hidden()

    field.focus()
    page.keyboard.type("Thank you @mo")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options).to_have_text(["Moira Stewart (@moira-stewart)", "Morven Reid (@morven-reid)"])
    expect(status).to_have_text("2 members found. Use the up and down arrow keys to choose one, then Enter.")
    axe.assert_no_violations(page)  # with the list open

    page.keyboard.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    assert field.get_attribute("aria-activedescendant") == options.nth(0).get_attribute("id")
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    assert field.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    assert field.input_value() == "Thank you @morven-reid "
    assert field.get_attribute("aria-activedescendant") is None
    expect(status).to_have_text("Inserted @morven-reid.")

    # Escape closes a list without leaving the site; the text stays as typed.
    page.keyboard.type("and @moi")
    expect(options).to_have_text(["Moira Stewart (@moira-stewart)"])
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    assert page.url.endswith(made.get_absolute_url())
    for _ in range(len("@moi")):
        page.keyboard.press("Backspace")
    page.keyboard.type("for the letters.")
    assert field.input_value() == "Thank you @morven-reid and for the letters."

    page.get_by_role("button", name="Post your reply").click()
    page.wait_for_url("**/community/t/*/?page=1#post-2")
    reply = Post.objects.get(topic=made, number=2)
    assert reply.body_markdown == "Thank you @morven-reid and for the letters."
    assert Mention.objects.filter(post=reply, member=morven).exists()
    assert Notification.objects.filter(recipient=morven, kind=MENTION.name).count() == 1
    page_problems.assert_none()


def test_the_new_topic_page_suggests_too_and_without_javascript_there_is_no_list(open_page):
    where = category("Sharing practice")
    join(UserFactory(), name="Morven Reid", listed_in_directory=True)
    writer = join(UserFactory(), name="Callum Baird")
    page = open_page(user=writer)
    page.goto(f"{where.get_absolute_url()}new/")
    page.get_by_label("Your post").focus()
    page.keyboard.type("Hello @mor")
    expect(page.get_by_role("option")).to_have_text(["Morven Reid (@morven-reid)"])
    page.keyboard.press("Tab")  # nothing chosen: Tab leaves the box and the list closes
    expect(page.locator(".portal-mentions")).to_be_hidden()

    plain = open_page(user=writer, java_script_enabled=False)
    plain.goto(f"{where.get_absolute_url()}new/")
    assert plain.get_by_label("Your post").get_attribute("aria-autocomplete") is None
    assert plain.locator(".portal-mentions").count() == 0
