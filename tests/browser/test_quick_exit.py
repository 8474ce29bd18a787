"""'Leave this site': someone at risk can leave the portal in one key press or click, and the page they were on is
not left behind in the tab's history. Without JavaScript it is still a plain link to a neutral site."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser


def same_address(url: str, expected: str) -> bool:
    """The browser adds a trailing slash to a bare origin ("https://www.google.co.uk" -> ".../")."""
    return url.rstrip("/") == expected.rstrip("/")


def test_leave_this_site_is_the_first_thing_after_the_skip_link(page):
    page.goto("/about/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Tab")

    assert page.evaluate("document.activeElement.id") == "quick-exit"
    # The accessible name tells screen reader users that history is not cleared.
    focused = page.locator("#quick-exit")
    assert focused.get_attribute("href") == settings.QUICK_EXIT_URL
    assert "Leave this site" in focused.inner_text()
    assert "does not clear your browsing history" in focused.inner_text()


def test_the_escape_hint_shows_only_when_escape_works(page):
    page.goto("/")

    assert page.get_by_text("Or press Esc.").is_visible()


EARLIER_SITE = "https://www.example.org/news"


def open_portal_after_another_site(page, route_external) -> int:
    """Someone comes to the portal from another site; returns the tab's history length once they are here."""
    route_external(page.context)
    page.goto(EARLIER_SITE)
    page.goto("/support/")
    return page.evaluate("history.length")


def assert_left_without_trace(page, history_before: int) -> None:
    page.wait_for_url(lambda url: same_address(url, settings.QUICK_EXIT_ALT_URL))
    # The portal page was replaced, not added to: the tab's history is no longer than before...
    assert page.evaluate("history.length") == history_before
    # ...so Back goes to where they were before the portal, not to the page they left.
    page.go_back()
    assert page.url == EARLIER_SITE, f"going back returned to {page.url}"


def test_clicking_leave_this_site_replaces_the_page_and_opens_the_neutral_site(page, route_external):
    history_before = open_portal_after_another_site(page, route_external)

    with page.context.expect_page() as new_tab:
        page.locator("#quick-exit").click()

    assert_left_without_trace(page, history_before)
    new_tab.value.wait_for_load_state()
    assert same_address(new_tab.value.url, settings.QUICK_EXIT_URL)


def test_pressing_escape_leaves_the_site_the_same_way(page, route_external):
    history_before = open_portal_after_another_site(page, route_external)

    with page.context.expect_page() as new_tab:
        page.keyboard.press("Escape")

    assert_left_without_trace(page, history_before)
    new_tab.value.wait_for_load_state()
    assert same_address(new_tab.value.url, settings.QUICK_EXIT_URL)


def test_without_javascript_leave_this_site_is_a_plain_link_to_the_neutral_site(open_page, route_external):
    page = open_page(java_script_enabled=False)
    route_external(page.context)
    page.goto("/support/")

    link = page.locator("#quick-exit")
    assert link.get_attribute("href") == settings.QUICK_EXIT_URL
    # No promise of an Escape key that cannot work without JavaScript.
    assert not page.get_by_text("Or press Esc.").is_visible()

    link.click()

    page.wait_for_url(lambda url: same_address(url, settings.QUICK_EXIT_URL))
    assert page.title() == "A neutral site"


def test_leave_this_site_never_hides_the_focused_element(open_page, signed_in_user):
    """WCAG 2.2 'Focus not obscured': the bar follows the reader down the page, so moving focus backwards up a long
    page must not tuck the focused link or field under it. Reduced motion turns off smooth
    scrolling, so each position is measured where the browser leaves it."""
    page = open_page(user=signed_in_user, reduced_motion="reduce")
    page.goto("/account/")
    page.locator(".ds_site-footer a").last.focus()

    hidden = []
    for _ in range(60):
        page.keyboard.press("Shift+Tab")
        state = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body || el.closest('.ds_hide-page')) return null;
                const bar = document.querySelector('.ds_hide-page').getBoundingClientRect();
                const box = el.getBoundingClientRect();
                const covered = bar.bottom > 0 && box.top >= bar.top && box.bottom <= bar.bottom;
                return {name: el.outerHTML.slice(0, 100), covered};
            }"""
        )
        if state is None:
            break
        if state["covered"]:
            hidden.append(state["name"])

    assert not hidden, "Focused elements hidden under 'Leave this site':\n" + "\n".join(hidden)


def test_escape_while_typing_stays_with_the_field(page, route_external):
    """Someone pressing Escape in the middle of writing must not lose what they wrote: only outside a field does
    Escape leave the site."""
    route_external(page.context)
    page.goto("/accounts/login/")
    field = page.get_by_label("Email address")
    field.fill("someone@example.org")
    field.press("Escape")
    page.wait_for_timeout(300)
    assert page.url.endswith("/accounts/login/")
    assert field.input_value() == "someone@example.org"


def test_without_javascript_the_small_screen_menu_opens_from_the_keyboard(open_page):
    page = open_page(java_script_enabled=False, viewport={"width": 360, "height": 800})
    page.goto("/about/")
    training = page.locator("#mobile-navigation").get_by_role("link", name="Training")
    assert not training.is_visible()
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "menu":
            break
    else:
        raise AssertionError("the menu toggle is not reachable with Tab")
    page.keyboard.press("Space")
    assert training.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Training"


# Where "Leave this site" is on the screen, and what a click at the middle of its button would land on.
QUICK_EXIT_BOX = """() => {
    const bar = document.querySelector('.ds_hide-page').getBoundingClientRect();
    const button = document.querySelector('#quick-exit').getBoundingClientRect();
    const x = (button.left + button.right) / 2, y = (button.top + button.bottom) / 2;
    const hit = document.elementFromPoint(x, y);
    return {
        bar: {left: bar.left, right: bar.right, top: bar.top, bottom: bar.bottom},
        button: {left: button.left, right: button.right, top: button.top, bottom: button.bottom},
        hitIsTheLink: !!hit && hit.closest('a') === document.querySelector('#quick-exit'),
        viewport: {width: document.documentElement.clientWidth, height: window.innerHeight},
        scrollY: window.scrollY,
        maxScroll: document.documentElement.scrollHeight - window.innerHeight,
    };
}"""


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("width", [1280, 320])
def test_leave_this_site_stays_in_view_and_clickable_down_a_long_page(open_page, route_external, width, javascript):
    """Someone who needs to leave must not have to scroll back up first: at every scroll position the button is
    on the screen, whole, across the full width (nothing cut off at either side) and on top of whatever has scrolled
    under it, with or without JavaScript."""
    page = open_page(viewport={"width": width, "height": 600}, java_script_enabled=javascript)
    page.goto("/support/")

    at_top = page.evaluate(QUICK_EXIT_BOX)
    # In its own place at the top, the bar covers nothing: the header starts below it.
    header_top = page.evaluate("document.querySelector('.ds_site-header').getBoundingClientRect().top")
    assert header_top >= at_top["bar"]["bottom"]
    assert at_top["maxScroll"] > 600, "the page is not long enough to test scrolling"

    for fraction in (0, 0.25, 0.5, 0.75, 1):
        page.evaluate("y => window.scrollTo({top: y, behavior: 'instant'})", int(at_top["maxScroll"] * fraction))
        box = page.evaluate(QUICK_EXIT_BOX)
        where = f"at {width}px wide, scrolled to {box['scrollY']}px"
        assert box["scrollY"] == pytest.approx(at_top["maxScroll"] * fraction, abs=1), where
        assert box["bar"]["top"] == 0, where
        assert box["bar"]["left"] == 0 and box["bar"]["right"] == box["viewport"]["width"], where
        button = box["button"]
        assert button["left"] >= 0 and button["right"] <= box["viewport"]["width"], where
        assert button["top"] >= 0 and button["bottom"] <= box["viewport"]["height"], where
        assert box["hitIsTheLink"], f"something covers 'Leave this site' {where}"

    # And it still works from the bottom of the page.
    if not javascript:
        route_external(page)
        page.mouse.click(
            (button["left"] + button["right"]) / 2,
            (button["top"] + button["bottom"]) / 2,
        )
        page.wait_for_url(lambda url: same_address(url, settings.QUICK_EXIT_URL))


@pytest.mark.parametrize("width", [1280, 320])
def test_nothing_the_page_jumps_to_is_hidden_under_leave_this_site(open_page, width):
    """The bar follows the reader down the page, so whatever a link, the skip link or a form's error summary takes
    them to must land below it, not under it (html's scroll-padding-top)."""
    page = open_page(viewport={"width": width, "height": 600})

    # The skip link, once focused, is shown above the bar, not beneath it.
    page.goto("/support/")
    page.keyboard.press("Tab")
    skip_link_hit = page.evaluate(
        """() => {
            const box = document.activeElement.getBoundingClientRect();
            const hit = document.elementFromPoint((box.left + box.right) / 2, (box.top + box.bottom) / 2);
            return hit === document.activeElement;
        }"""
    )
    assert skip_link_hit, "the focused skip link is covered"

    # A link to a heading further down the page.
    page.goto("/support/#browsing-safely")
    page.wait_for_function("window.scrollY > 0")
    gap = page.evaluate(
        """() => document.querySelector('#browsing-safely').getBoundingClientRect().top
                 - document.querySelector('.ds_hide-page').getBoundingClientRect().bottom"""
    )
    assert gap >= 0, f"the heading is {-gap}px under the bar"

    # A form sent back with problems: the error summary is focused and in view, below the bar.
    page.goto("/training/which-level/?submitted=1")
    page.wait_for_function("document.activeElement.classList.contains('ds_error-summary')")
    gap = page.evaluate(
        """() => document.activeElement.getBoundingClientRect().top
                 - document.querySelector('.ds_hide-page').getBoundingClientRect().bottom"""
    )
    assert gap >= 0, f"the error summary is {-gap}px under the bar"


def test_the_support_page_says_what_leave_this_site_really_does(page, route_external):
    """The support page promises no more than the quick exit does. Its one warning that is easy to miss: only the
    page someone was on is replaced, so portal pages opened earlier in the same tab are still behind Back."""
    route_external(page.context)
    page.goto(EARLIER_SITE)
    page.goto("/about/")
    page.goto("/support/")
    words = page.locator("#browsing-safely ~ p, #browsing-safely ~ ul").all_inner_texts()
    text = " ".join(words)
    assert "opens in a new tab" in text
    assert "does not clear your browsing history" in text
    assert "other portal pages you opened earlier in the same tab can still be reached with Back" in text

    with page.context.expect_page() as new_tab:
        page.keyboard.press("Escape")
    new_tab.value.wait_for_load_state()
    page.wait_for_url(lambda url: same_address(url, settings.QUICK_EXIT_ALT_URL))
    page.go_back()
    assert page.url.endswith("/about/"), "the support page's warning about earlier pages is no longer true"
