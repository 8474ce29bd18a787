"""Everything members write in the community is inert in Chromium under an XSS corpus (tests/support/xss_payloads.txt,
over 200 payloads): topic titles, post bodies (Markdown), display names (and the line about oneself), attachment
names, and group names and descriptions (a group kept by another app also names its category after itself).

Every payload goes into every one of those fields through the forms' own cleaning and the real services, once, in
bulk; then Chromium opens every page where they show: the front page, the topics' category on all its pages, each
topic, a long topic on all its pages, the search results on all their pages, the member directory on all its pages
and each member's page, the group list and each group, the reader's notifications on all their pages, and the
moderators' queue and audit log on all their pages. On each page nothing may have run (no dialog, `__xss` never
called, the title not rewritten), no element may carry an event-handler or data-xss attribute, no URL anywhere may
be javascript:, vbscript: or data:, no script may be anything but the portal's own files, no frame, base or meta
refresh may exist, no request may leave the portal, and a post's body holds only the tags and attributes the
sanitiser allows. And the text must still be there, as written: each title, name and file name in the page's text,
and each payload, exactly, in the code block its post also shows it in (so content that silently vanishes, or
that the page turns into something else, fails the test too).

The Content-Security-Policy is bypassed here (open_page), on purpose: the CSP is the second line of defence, and
this test checks the first, that what members write never becomes markup.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from django.http.multipartparser import MultiPartParser
from django.urls import reverse
from PIL import Image

from community.forms import ProfileForm, TopicForm
from community.models import Attachment, CommunityProfile, CommunitySettings, Group, Topic
from community.services import flags, groups, membership, moderation, posting, restructure
from portal.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from portal.notifications.services.notify import emails_withheld
from portal.permissions import StaffGroup
from tests.browser.test_journey_community import reference_data  # noqa: F401 - an autouse fixture, used here too
from tests.community.conftest import category, join
from tests.factories import StaffFactory, UserFactory
from tests.support.xss import load_corpus

pytestmark = pytest.mark.browser

READER_HANDLE = "xss-reader"
TITLES_WORD = "xsstitles"  # in every corpus topic's opening post, so one search finds them all
FENCE = "~" * 10


def norm(text: str) -> str:
    """Whitespace as a browser's rendered text has it: runs collapsed, ends trimmed."""
    return " ".join(text.split())


def upload_name(payload: str) -> str | None:
    """The file name Django gives an upload named `payload` (what MultiPartParser does to a browser's file name)."""
    return MultiPartParser.sanitize_file_name(MultiPartParser.__new__(MultiPartParser), payload)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 101, 189)).save(out, format="PNG")
    return out.getvalue()


def as_code(payload: str) -> str:
    """What a code block shows of the payload: Markdown turns each tab into spaces (to the next multiple of four)
    before it reads anything, code included."""
    return "\n".join(line.expandtabs(4) for line in payload.split("\n"))


def body_for(n: int, payload: str) -> str:
    """A post: a line to find and a mention first, then the payload as code (which must show exactly as written),
    then the payload as Markdown. The code comes before the raw payload, as an unclosed HTML block in Markdown takes
    in everything after it."""
    return f"Corpus item {n} {TITLES_WORD} for @{READER_HANDLE}\n\n{FENCE}\n{payload}\n{FENCE}\n\n{payload}\n"


GroupForm = modelform_factory(Group, fields=["name", "description"])


@dataclass
class Expect:
    """What a page must show: texts in its main content, a text in its title, payloads as code in post bodies."""

    texts: list[str] = field(default_factory=list)
    title: str = ""
    codes: list[str] = field(default_factory=list)


@dataclass
class Corpus:
    payloads: list[str]
    refused: list[str]  # payloads every form refused (NUL characters)
    pages: dict[str, Expect]  # path -> what it must show (member's view)
    moderator_pages: dict[str, Expect]


def _check_refused(payload: str) -> None:
    """A payload with a NUL character is refused by every form, with a message, and so never stored."""
    assert not ProfileForm(data=_profile_data(payload)).is_valid()
    topic_form = TopicForm(data={"title": payload[:200], "kind": "discussion", "body": payload, "content_note": ""})
    assert not topic_form.is_valid()
    assert {"title", "body"} <= set(topic_form.errors)
    assert not GroupForm(data={"name": payload[:120], "description": payload}).is_valid()
    assert upload_name(payload) is None or "\x00" not in (upload_name(payload) or "")


def _profile_data(payload: str) -> dict[str, object]:
    return {
        "display_name": payload[:80],
        "about": payload[:300],
        "organisation_visibility": "members",
        "role_visibility": "members",
        "sector_visibility": "members",
        "council_area_visibility": "members",
        "listed_in_directory": "on",
    }


def build_corpus() -> tuple[Corpus, object, object]:
    """The data, through the forms' cleaning and the services: a reader (a member of every group, who sees content
    notes open), a moderator with two-step verification, and per payload a member named with it who starts a topic
    titled with it (its opening post holding it, with a picture named with it) in the category of a private group
    named and described with it, replies with it in one long topic, is approved by the moderator (the audit log names
    them) and has their topic flagged by the reader (with it as the note) and locked by the moderator."""
    payloads = load_corpus()
    assert len(payloads) >= 120 and len(set(payloads)) == len(payloads), "The corpus needs 120 distinct payloads"
    refused = [p for p in payloads if "\x00" in p]
    for payload in refused:
        _check_refused(payload)
    accepted = [p for p in payloads if "\x00" not in p]

    reader = join(UserFactory(), name="Xss Reader", listed_in_directory=True, always_reveal_content_notes=True)
    assert reader.community_profile.handle == READER_HANDLE
    mod = join(StaffFactory(groups=[StaffGroup.MODERATORS.value]), name="Isla Moderator")
    CommunitySettings.objects.filter(pk=1).update(require_member_approval=True)
    everyone = category("Everyone together")
    corpus_category = category("The corpus")
    long_topic = posting.topic_create(author=reader, category=everyone, title="The long topic", body="Hello all.")
    image = png()
    pages: dict[str, Expect] = {}
    moderator_pages: dict[str, Expect] = {}
    members: list[tuple[CommunityProfile, str]] = []
    topics: list[Topic] = []
    with emails_withheld():
        for n, payload in enumerate(accepted, 1):
            profile_form = ProfileForm(data=_profile_data(payload))
            assert profile_form.is_valid(), (payload, profile_form.errors)
            person = UserFactory()
            profile = membership.profile_create(
                user=person,
                display_name=profile_form.cleaned_data["display_name"],
                about=profile_form.cleaned_data["about"],
                listed_in_directory=True,
            )
            membership.guidelines_accept(profile=profile, version=membership.latest_guidelines())
            moderation.member_approve(profile=profile, moderator=mod)
            members.append((profile, payload))

            group_form = GroupForm(data={"name": payload[:120], "description": payload})
            assert group_form.is_valid(), (payload, group_form.errors)
            group = groups.group_sync(
                key=f"xss:{n}",
                name=group_form.cleaned_data["name"],
                description=group_form.cleaned_data["description"],
                user_ids=[reader.pk, person.pk],
            )

            name = upload_name(payload)
            files = {"attachment": SimpleUploadedFile(name, image, content_type="image/png")} if name else {}
            topic_form = TopicForm(
                data={"title": payload[:200], "kind": "discussion", "body": body_for(n, payload), "content_note": ""},
                files=files,
            )
            assert topic_form.is_valid(), (payload, topic_form.errors)
            data = topic_form.cleaned_data
            topic = posting.topic_create(
                author=person,
                category=corpus_category,
                title=data["title"],
                body=data["body"],
                attachment=data["attachment"],
            )
            topics.append(topic)
            posting.post_reply(author=person, topic=long_topic, body=body_for(n, payload), content_note=payload[:120])
            flags.flag_create(post=topic.posts.get(number=1), member=reader, reason="other", note=payload[:1000])
            restructure.topic_set_locked(topic=topic, moderator=mod, locked=True)

            profile.refresh_from_db()
            texts = [profile.display_name]
            attachment = Attachment.objects.filter(post__topic=topic).first()
            if attachment is not None:
                texts.append(attachment.name)
            pages[topic.get_absolute_url()] = Expect(texts=[topic.title, *texts], title=topic.title, codes=[payload])
            pages[profile.get_absolute_url()] = Expect(
                texts=[profile.display_name, profile.about], title=profile.display_name
            )
            pages[group.get_absolute_url()] = Expect(texts=[group.name, group.description], title=group.name)
    CommunitySettings.objects.filter(pk=1).update(require_member_approval=False)

    names = [p.display_name for p, _ in members]
    titles = [t.title for t in topics]
    group_rows = list(Group.objects.filter(key__startswith="xss:"))
    # Lists, each on all its pages (the texts are shared out among the pages by the test, which reads them all).
    pages["/community/"] = Expect(texts=[t for g in group_rows for t in (g.name, g.description)])
    pages[f"list:{corpus_category.get_absolute_url()}"] = Expect(texts=titles + names)
    pages[reverse("community:group-list")] = Expect(texts=[t for g in group_rows for t in (g.name, g.description)])
    pages[f"list:{reverse('community:member-list')}"] = Expect(texts=names)
    pages[f"list:{long_topic.get_absolute_url()}?page=1"] = Expect(texts=names, codes=accepted)
    pages[f"list:{reverse('community:search')}?q={TITLES_WORD}"] = Expect(texts=titles)
    pages[f"list:{reverse('notifications:list')}"] = Expect(texts=[norm(f"{n} mentioned you in") for n in names])
    moderator_pages[f"list:{reverse('community:moderation-queue')}"] = Expect(texts=titles + names)
    moderator_pages[f"list:{reverse('community:moderation-log')}"] = Expect(texts=titles + names)
    return Corpus(payloads, refused, pages, moderator_pages), reader, mod


# What runs in the page after it loads: everything that would show a payload had become markup.
INSPECT = """({allowedTags, allowedAttributes}) => {
  const problems = [];
  const origin = location.origin;
  const urlAttributes = ["href", "src", "action", "formaction", "data", "poster", "background", "xlink:href",
                         "srcdoc", "ping", "cite", "codebase", "lowsrc", "dynsrc"];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on") || name === "data-xss" || name === "srcdoc" || name === "formaction") {
        problems.push(`${element.tagName} has ${name}="${attribute.value}"`);
      }
      if (urlAttributes.includes(name)) {
        let scheme = "";
        try { scheme = new URL(attribute.value, document.baseURI).protocol; } catch (error) { scheme = ""; }
        if (["javascript:", "vbscript:", "data:"].includes(scheme)) {
          problems.push(`${element.tagName} has ${name}="${attribute.value}"`);
        }
      }
    }
  }
  for (const script of document.scripts) {
    if (!script.src || !script.src.startsWith(`${origin}/static/`)) {
      problems.push(`a script that is not the portal's: ${script.outerHTML.slice(0, 200)}`);
    }
  }
  for (const selector of ["iframe", "frame", "frameset", "object", "embed", "applet", "portal", "base",
                          "meta[http-equiv]", "link[rel=import]", "[autofocus]"]) {
    for (const element of document.querySelectorAll(selector)) {
      problems.push(`unexpected element: ${element.outerHTML.slice(0, 200)}`);
    }
  }
  for (const form of document.forms) {
    if (new URL(form.action, document.baseURI).origin !== origin) {
      problems.push(`a form that posts away: ${form.outerHTML.slice(0, 200)}`);
    }
  }
  const bodies = ".portal-post__body, .portal-post .ds_details__text";
  for (const body of document.querySelectorAll(bodies)) {
    for (const element of body.querySelectorAll("*")) {
      const tag = element.tagName.toLowerCase();
      if (element.closest(bodies) !== body) continue;  // a body inside (a post folded away) is its own
      if (!allowedTags.includes(tag)) problems.push(`a post holds <${tag}>`);
      for (const attribute of element.attributes) {
        const allowed = (allowedAttributes[tag] || []).concat(tag === "a" ? ["rel"] : []);
        // The design system's tracking script marks links with data-section and the like; data-xss is caught above.
        if (attribute.name.startsWith("data-")) continue;
        if (!allowed.includes(attribute.name)) problems.push(`a post's <${tag}> has ${attribute.name}`);
      }
    }
  }
  const main = document.querySelector("main");
  return {
    problems,
    calls: window.__xssCalls || [],
    title: document.title,
    text: main ? main.innerText : "",
    codes: Array.from(document.querySelectorAll(".portal-post__body pre code")).map(code => code.textContent),
    next: (Array.from(document.querySelectorAll(".ds_pagination a")).find(
      link => /^(Older topics|More members|More results|More flagged posts|Older actions|Next)/.test(
        link.textContent.trim())
      || link.getAttribute("rel") === "next"
      || link.classList.contains("ds_pagination__link--next")) || {}).href || null,
  };
}"""

MARKER = """
window.__xssCalls = [];
window.__xss = (n) => { window.__xssCalls.push(String(n)); };
"""


class Inspector:
    """One browser page that records dialogs and requests leaving the portal, and checks each page it opens."""

    def __init__(self, page, live_url: str) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.away: list[str] = []
        self.pages_seen = 0
        self.live_url = live_url
        page.context.set_default_timeout(30_000)  # a busy machine; a page that never loads still fails
        page.add_init_script(MARKER)
        page.on("dialog", self._dialog)
        page.on("request", self._request)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message} on {self.page.url}")
        dialog.dismiss()

    def _request(self, request) -> None:
        # This machine has no internet: a request that leaves the portal fails by itself, and is recorded here.
        if not request.url.startswith((self.live_url, "data:")):
            self.away.append(request.url)

    def open(self, path: str) -> dict:
        # The document parsed and the portal's (deferred) scripts run: an injected script would have run by then,
        # and anything that waits for an event (onload, onerror, autofocus) is found by its attributes below.
        response = self.page.goto(path, wait_until="domcontentloaded")
        assert response is not None and response.status == 200, f"{path} answered {response and response.status}"
        found = self.page.evaluate(
            INSPECT,
            {
                "allowedTags": sorted(ALLOWED_TAGS),
                "allowedAttributes": {k: sorted(v) for k, v in ALLOWED_ATTRIBUTES.items()},
            },
        )
        self.pages_seen += 1
        where = self.page.url
        assert found["problems"] == [], f"On {where}:\n" + "\n".join(found["problems"][:20])
        assert found["calls"] == [], f"Payloads ran on {where}: {found['calls']}"
        assert not self.dialogs, f"Dialogs opened: {self.dialogs}"
        assert not self.away, f"Requests left the portal: {self.away}"
        assert not re.match(r"xss-\d+", found["title"]), f"A payload set the title on {where}: {found['title']}"
        return found


def check_page(inspector: Inspector, path: str, expect: Expect) -> None:
    """Open `path` (and, for "list:" paths, every next page) and check that everything expected is shown."""
    paged = path.startswith("list:")
    url: str | None = path.removeprefix("list:")
    text, titles, codes = "", [], []
    while url:
        found = inspector.open(url)
        if not paged:
            assert inspector.page.url.endswith(url), f"{url} went to {inspector.page.url}"
        text += "\n" + norm(found["text"])
        titles.append(found["title"])
        codes += [code.rstrip("\n") for code in found["codes"]]
        url = found["next"] if paged else None
    missing = [t for t in expect.texts if t and norm(t) not in text]
    assert not missing, f"Not shown as written on {path}: {missing[:5]}"
    if expect.title:
        assert any(norm(expect.title) in title for title in titles), f"{path}'s title is {titles}"
    missing_codes = [c for c in expect.codes if as_code(c).rstrip("\n") not in codes]
    assert not missing_codes, f"Payloads not shown exactly as code on {path}: {missing_codes[:5]}"


def test_the_xss_corpus_is_inert_wherever_it_shows(open_page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    corpus, reader, mod = build_corpus()
    assert len(corpus.refused) >= 1  # the NUL payloads were refused by every form (build_corpus checked how)

    member = Inspector(open_page(user=reader), live_server.url)
    for path, expect in corpus.pages.items():
        check_page(member, path, expect)
    moderator = Inspector(open_page(user=mod), live_server.url)
    for path, expect in corpus.moderator_pages.items():
        check_page(moderator, path, expect)
    # Every page that shows one of them was opened: three per payload, and the lists on all their pages.
    accepted = len(corpus.payloads) - len(corpus.refused)
    assert member.pages_seen >= 3 * accepted + 6
