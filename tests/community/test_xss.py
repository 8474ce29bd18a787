"""What members write stays text, without a browser: the XSS corpus (tests/support/xss_payloads.txt) through the post
renderer, and the faults the browser test (tests/browser/test_xss_community.py) found, each pinned here."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile

from community.models import Attachment, Topic
from community.services import membership, posting
from community.services.mentions import link_mentions
from community.views.posting import markdown_literal
from portal.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_member_markdown
from portal.notifications.models import Notification
from portal.notifications.services.notify import short_title
from tests.community.conftest import category, join, member
from tests.support.xss import load_corpus

pytestmark = pytest.mark.django_db


class _Elements(HTMLParser):
    """Every start tag and its attributes, as a browser's tokenizer would see them in the stored HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def _scheme(url: str) -> str:
    """The scheme a browser reads in a link (the URL Standard: C0 controls and spaces trimmed from the ends, tabs and
    line breaks removed anywhere, then letters, digits, "+", "-" and "." before a colon), or "" for a relative one."""
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(chr(n) for n in range(33))))
    found = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return found.group(1).lower() if found else ""


def test_every_payload_renders_to_allowed_tags_and_safe_links_only():
    problems = []
    for payload in load_corpus():
        html, _ = posting.render(payload, author=None)
        parser = _Elements()
        parser.feed(html)
        for tag, attrs in parser.found:
            if tag not in ALLOWED_TAGS:
                problems.append((payload, tag))
            allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
            for name, value in attrs:
                if name not in allowed:
                    problems.append((payload, f"{tag} {name}"))
                if name == "href" and value is not None and _scheme(value) not in ("", "http", "https", "mailto"):
                    problems.append((payload, value))
    assert problems == []


def test_a_long_name_mentioning_in_a_long_title_is_told_with_a_shortened_line():
    """A notification's line is built from a name (up to 80 characters) and a title (up to 200): the column holds
    200, and PostgreSQL refused the longer line, so the post itself failed."""
    reader = member(name="Reader")
    writer = join(name="W" * 40 + " " + "X" * 39)
    made = posting.topic_create(
        author=writer, category=category(), title=("A very long title " * 12)[:200], body="Hello @reader"
    )
    [told] = Notification.objects.filter(recipient=reader)
    assert len(told.title) <= 200 and told.title.endswith("…")
    assert told.title.startswith(f"{writer.community_profile.display_name} mentioned you in A very long title")
    assert Topic.objects.filter(pk=made.pk).exists()


def test_short_titles_are_kept_and_long_ones_cut_at_a_word():
    assert short_title("New reply in Letters") == "New reply in Letters"
    cut = short_title("word " * 60)
    assert len(cut) <= 200 and cut.endswith("word…")
    assert len(short_title("x" * 500)) == 200


def test_handles_are_only_what_the_mention_parser_reads():
    """slugify keeps underscores, so "Jo_Smith" became the handle jo_smith, which no @mention could reach."""
    assert membership.handle_for("Jo_Smith") == "jo-smith"
    assert membership.handle_for("<script>__xss(1)</script>") == "script-xss1script"
    assert membership.handle_for("___") == "member"
    writer = member(name="Ailsa Grant")
    jo = join(name="Jo_Smith")
    _, mentioned = link_mentions(f"Hello @{jo.community_profile.handle}", author=writer)
    assert [p.user_id for p in mentioned] == [jo.pk]


def test_handles_in_tilde_fenced_code_are_left_as_typed():
    writer, morven = member(name="Ailsa Grant"), member(name="Morven Reid")
    text = "Hi @morven-reid\n\n~~~~\nsay @morven-reid\n~~~~\n\n```\n@morven-reid\n```\n"
    linked, mentioned = link_mentions(text, author=writer)
    assert [p.user_id for p in mentioned] == [morven.pk]
    assert linked.count("](/community/members/") == 1
    assert "~~~~\nsay @morven-reid\n~~~~" in linked


class _StrongText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag == "strong"

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "strong"

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text += data


def test_a_quoted_members_name_shows_exactly_as_they_wrote_it():
    """A quote starts "**<name>** wrote:": a name such as "<b>Sam</b>", "*Sam*" or "Tom &amp; Jerry" was read as
    Markdown or HTML there, and lost or changed."""
    wrong = []
    for payload in load_corpus():
        if "\x00" in payload:
            continue  # the profile form refuses it
        name = " ".join(payload[:80].split())
        html = render_member_markdown(f"> **{markdown_literal(name)}** wrote:\n>\n> Hello")
        parser = _StrongText()
        parser.feed(str(html))
        if parser.text != name:
            wrong.append((name, parser.text))
    assert wrong == []


def test_a_file_whose_name_has_nothing_usable_on_disk_is_still_stored():
    """A picture named `'>` made the storage refuse the name as suspicious, and the post was lost with it."""
    writer = member(name="Ailsa Grant")
    upload = posting.Upload(content=ContentFile(b"%PDF-1.4\n%\n", name="x"), name="'>", kind="pdf", size=9)
    made = posting.topic_create(author=writer, category=category(), title="Notes", body="Here.", attachment=upload)
    [stored] = Attachment.objects.filter(post__topic=made)
    assert stored.name == "'>" and stored.file.name.endswith(".pdf")
    long = posting.Upload(content=ContentFile(b"%PDF-1.4\n%\n", name="x"), name="a" * 200 + ".pdf", kind="pdf", size=9)
    reply = posting.post_reply(author=writer, topic=made, body="More.", attachment=long)
    assert Attachment.objects.get(post=reply).file.name.endswith("a.pdf")
