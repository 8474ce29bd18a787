"""Bad input is refused kindly and changes nothing; markup in what people write stays inert everywhere."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pledges import review, services
from pledges.models import Pledge, ProgressUpdate, UpdateStatus
from portal.notifications.models import OutboundEmail
from tests.pledges.conftest import approved, image_bytes, make_reviewer, sign_form_data

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'


def assert_nothing_saved():
    assert not Pledge.objects.exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"organisation_name": ""}, "Please give your organisation&#x27;s name."),
        ({"statement": "word " * 151}, "Please shorten this to 150 words or fewer. It has 151 words, so take out 1."),
        ({"website": "javascript:alert(1)"}, "The website must start with https:// or http://"),
        ({"website": "ftp://files.example.org"}, "The website must start with https:// or http://"),
        ({"website": "https://"}, "Please give the website address in the form https://www.example.org"),
        ({"areas": []}, "Please choose at least one council area, or &quot;Scotland-wide&quot;."),
        ({"areas": ["scotland-wide", "fife"]}, "Please choose either &quot;Scotland-wide&quot; or particular"),
        ({"leader_confirmed": None}, "Please confirm that a senior leader has authorised the pledge."),
        ({"contact_email": "not-an-email"}, "Please give an email address in the form name@example.org."),
        ({"actions_lived": [], "own_actions": ""}, "Please choose at least one action, or add one of your own."),
        ({"own_actions": "\n".join(f"Action {n}" for n in range(11))}, "Please list 10 actions or fewer."),
    ],
)
def test_each_refusal_says_what_to_change_and_saves_nothing(client, changes, message):
    response = client.post(reverse("pledges:pledge-sign"), sign_form_data(**changes))

    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert message in text
    assert_nothing_saved()


def test_a_statement_of_exactly_150_words_is_accepted(client):
    response = client.post(reverse("pledges:pledge-sign"), sign_form_data(statement="word " * 150))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG logos cannot"),
        ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "SVG logos cannot"),
        ("logo.png", b"this is not an image at all", "We could not read this file as an image"),
        ("logo.gif", image_bytes("GIF"), "The logo must be a PNG or JPEG image"),
        ("logo.png", image_bytes("PNG")[:60], "We could not read this file as an image"),
        ("logo.png", b"\x89PNG" + b"\0" * (2 * 1024 * 1024 + 10), "Please choose a PNG or JPEG of 2 MB or less"),
    ],
)
def test_logos_are_checked_by_content(client, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="image/png")

    response = client.post(reverse("pledges:pledge-sign"), {**sign_form_data(), "logo": upload})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert_nothing_saved()


def test_a_jpeg_named_png_is_stored_as_jpeg(client):
    upload = SimpleUploadedFile("logo.png", image_bytes("JPEG"), content_type="image/png")

    client.post(reverse("pledges:pledge-sign"), {**sign_form_data(), "logo": upload})

    assert Pledge.objects.get().logo.name.endswith(".jpg")


def test_the_honeypot_keeps_nothing_but_looks_the_same(client):
    response = client.post(reverse("pledges:pledge-sign"), sign_form_data(nickname="http://spam.example"))

    assert response.status_code == 302 and response.url == reverse("pledges:pledge-sent")
    assert_nothing_saved()
    assert "Check your email" in client.get(response.url).content.decode()


def test_signing_is_rate_limited_per_address(client):
    url = reverse("pledges:pledge-sign")
    for n in range(5):
        data = sign_form_data(organisation_name=f"Org {n}", website=f"https://org{n}.example.org")
        assert client.post(url, data).status_code == 302
    refused = client.post(url, sign_form_data(organisation_name="Org 6", website="https://org6.example.org"))
    assert refused.status_code == 429
    assert "Please wait a moment" in refused.content.decode()
    assert Pledge.objects.count() == 5
    other_address = client.post(
        url, sign_form_data(organisation_name="Org 7", website="https://org7.example.org"), REMOTE_ADDR="10.0.0.9"
    )
    assert other_address.status_code == 302


def test_management_link_requests_are_rate_limited(client):
    url = reverse("pledges:manage-request")
    for _ in range(5):
        assert client.post(url, {"email": "someone@example.org"}).status_code == 200
    assert client.post(url, {"email": "someone@example.org"}).status_code == 429


def test_management_request_honeypot_sends_nothing(client, django_capture_on_commit_callbacks, mailoutbox):
    pledge = approved()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pledges:manage-request"), {"email": pledge.contact_email, "nickname": "x"})
    assert response.status_code == 200 and mailoutbox == []


def test_bad_edits_and_updates_change_nothing(client):
    pledge = approved()
    token = services.manage_path(pledge).split("/")[-2]

    edit = client.post(reverse("pledges:manage-edit", kwargs={"token": token}), {"statement": "w " * 151})
    update = client.post(reverse("pledges:manage-update", kwargs={"token": token}), {"done": "", "next_steps": ""})
    contact = client.post(reverse("pledges:manage-contact", kwargs={"token": token}), {"contact_email": "nope"})
    withdraw = client.post(reverse("pledges:manage-withdraw", kwargs={"token": token}), {})

    assert [r.status_code for r in (edit, update, contact, withdraw)] == [400, 400, 400, 400]
    assert "Please tick the box to confirm" in withdraw.content.decode()
    assert "Please say what your organisation did." in update.content.decode()
    fresh = Pledge.objects.get()
    assert (fresh.status, fresh.edit_pending, fresh.contact_email) == (pledge.status, False, pledge.contact_email)
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("field", ["done", "next_steps"])
def test_a_progress_update_over_the_character_limit_is_refused_kindly(client, field):
    pledge = approved()
    token = services.manage_path(pledge).split("/")[-2]
    data = {"done": "We trained every team.", "next_steps": "We will ask people what changed."}
    data[field] = "a" * 4001  # one long "word": within the word limit, over the character limit

    response = client.post(reverse("pledges:manage-update", kwargs={"token": token}), data)

    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Please shorten this to 4,000 characters or fewer." in text
    assert not ProgressUpdate.objects.exists()
    data[field] = "a" * 4000
    assert client.post(reverse("pledges:manage-update", kwargs={"token": token}), data).status_code == 302


def test_a_giant_register_search_gets_a_clear_message(client):
    approved()

    response = client.get(reverse("pledges:register-list"), {"q": "Kinloch " * 50})

    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Please search with 200 characters or fewer." in text
    assert client.get(reverse("pledges:register-list"), {"q": "k" * 200}).status_code == 200


# --- Markup stays inert --------------------------------------------------------------------------------------


@pytest.fixture
def hostile(db):
    reviewer = make_reviewer()
    pledge = approved(
        reviewer=reviewer,
        organisation_name='Evil <b>Org</b> "Ltd"',
        statement=SCRIPT,
        own_actions='<a href="javascript:alert(1)">click</a>',
        leader_name="<i>Leader</i>",
    )
    update = services.update_submit(pledge=pledge, done=SCRIPT, next_steps=SCRIPT)
    review.update_approve(update=update, reviewer=reviewer)
    services.update_submit(pledge=pledge, done=SCRIPT, next_steps=SCRIPT)  # this one waits in the review queue
    services.pledge_edit(pledge=pledge, statement=SCRIPT + " edited", actions=[], own_actions=SCRIPT)
    return pledge, reviewer


ESCAPED_NAME = "Evil &lt;b&gt;Org&lt;/b&gt; &quot;Ltd&quot;"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def assert_inert(html: str, *escaped: str) -> None:
    """No live markup from what people wrote, and each given text is there in its escaped form."""
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert '<a href="javascript' not in html
    assert "<b>Org</b>" not in html and "<i>Leader</i>" not in html
    for text in escaped:
        assert text in html, f"{text!r} is not on the page"


def test_markup_in_a_statement_is_shown_as_text_on_every_page(client, hostile):
    pledge, reviewer = hostile
    token = services.manage_path(pledge).split("/")[-2]
    public = [
        pledge.get_absolute_url(),
        reverse("pledges:register-list"),
        reverse("pledges:register-list") + "?q=Evil",
    ]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200
        assert_inert(response.content.decode(), ESCAPED_NAME)
    assert_inert(client.get(pledge.get_absolute_url()).content.decode(), ESCAPED_SCRIPT)
    for name in ["pledges:manage", "pledges:manage-edit"]:
        assert_inert(client.get(reverse(name, kwargs={"token": token})).content.decode(), ESCAPED_SCRIPT)
    client.force_login(reviewer)
    # The queue lists the pledge (its edit waits) and the waiting progress update, both under the hostile name.
    queue = client.get(reverse("pledges:review-list")).content.decode()
    assert_inert(queue, ESCAPED_NAME, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img")
    assert queue.count(ESCAPED_NAME) >= 2
    detail = client.get(reverse("pledges:review-detail", kwargs={"pk": pledge.pk})).content.decode()
    assert_inert(detail, ESCAPED_NAME, ESCAPED_SCRIPT)
    waiting = pledge.updates.get(status=UpdateStatus.AWAITING_REVIEW)
    review_update = client.get(reverse("pledges:review-update", kwargs={"pk": waiting.pk})).content.decode()
    assert_inert(review_update, ESCAPED_NAME, ESCAPED_SCRIPT)


def test_markup_is_plain_text_in_the_csv_json_and_feed(client, hostile):
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("pledges:register-csv")).getvalue().decode())))
    assert rows[0]["statement"] == SCRIPT  # CSV is not HTML: the exact text, which a spreadsheet shows as text

    raw_json = client.get(reverse("pledges:register-json"))
    assert raw_json["Content-Type"].startswith("application/json")
    body = raw_json.getvalue()  # read once: a file's content is streamed
    assert b"<script" not in body and b"\\u003cscript" in body
    assert json.loads(body)["organisations"][0]["statement"] == SCRIPT

    feed = client.get(reverse("pledges:register-feed"))
    assert b"<script" not in feed.content
    root = ET.fromstring(feed.content)  # noqa: S314 - the portal's own feed
    entry = root.find("{http://www.w3.org/2005/Atom}entry")
    summary = entry.find("{http://www.w3.org/2005/Atom}summary")
    # Atom summaries are HTML: after XML parsing the reader must still get escaped markup, never a live tag.
    assert summary.get("type") == "html"
    assert "<script" not in summary.text and "&lt;script&gt;" in summary.text
    assert entry.find("{http://www.w3.org/2005/Atom}title").text == 'Evil <b>Org</b> "Ltd"'


def test_csv_cells_that_look_like_formulas_are_made_plain(client):
    approved(statement='=HYPERLINK("http://evil.example")', organisation_name="@Org")

    rows = list(csv.DictReader(io.StringIO(client.get(reverse("pledges:register-csv")).getvalue().decode())))

    assert rows[0]["statement"].startswith("'=") and rows[0]["name"] == "'@Org"


def test_emails_escape_what_people_wrote(django_capture_on_commit_callbacks, mailoutbox):
    pledge = approved(organisation_name="<b>Org</b>")
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_send_manage_links(email=pledge.contact_email)
    html = [alt for m in mailoutbox for alt, _ in m.alternatives]
    assert len(html) == 1
    assert "<b>Org</b>" not in html[0] and "&lt;b&gt;Org&lt;/b&gt;" in html[0]


AMPERSAND_NAME = "Smith & Jones's <Trust>"


def test_email_subjects_are_plain_text(django_capture_on_commit_callbacks, mailoutbox):
    """A subject is not HTML: "Smith & Jones's" must not arrive as "Smith &amp; Jones&#x27;s"."""
    reviewer = make_reviewer()
    with django_capture_on_commit_callbacks(execute=True):
        pledge = approved(reviewer=reviewer, organisation_name=AMPERSAND_NAME)
        services.pledge_send_manage_links(email=pledge.contact_email)
        services.pledge_change_contact(pledge=pledge, contact_name="Kim New", contact_email="kim@example.org")

    subjects = [message.subject for message in mailoutbox]
    assert len(subjects) == 5  # confirm, approved, manage link, new contact's link, old contact told
    for subject in subjects:
        assert AMPERSAND_NAME in subject, subject
        assert "&amp;" not in subject and "&#x27;" not in subject and "&lt;" not in subject


def test_every_subject_template_turns_escaping_off():
    """Each subject template on its own, rendered the way Django renders any template (escaping on by default)."""
    from pathlib import Path

    from django.conf import settings
    from django.template.loader import render_to_string

    folder = Path(settings.BASE_DIR) / "templates" / "pledges" / "email"
    names = sorted(path.name for path in folder.glob("*_subject.txt"))
    assert len(names) == 6
    context = {"organisation": AMPERSAND_NAME, "years": 2, "decision": "approved", "new_contact": False}
    for name in names:
        assert AMPERSAND_NAME in render_to_string(f"pledges/email/{name}", context), name


# An address the form's EmailField accepts (up to 320 characters) but the 254-character column cannot hold:
# PostgreSQL refuses it, so the form must say so instead of the save failing with a server error.
TOO_LONG_EMAIL = "a" * 250 + "@example.org"


def test_a_contact_email_too_long_to_store_is_a_kind_form_error(client):
    sign = client.post(reverse("pledges:pledge-sign"), sign_form_data(contact_email=TOO_LONG_EMAIL))
    pledge = approved()
    token = services.manage_path(pledge).split("/")[-2]
    contact = client.post(
        reverse("pledges:manage-contact", kwargs={"token": token}),
        {"contact_name": "Sam New", "contact_email": TOO_LONG_EMAIL},
    )

    assert [sign.status_code, contact.status_code] == [400, 400]
    for response in (sign, contact):
        assert "Please give an email address of 254 characters or fewer." in response.content.decode()
    assert Pledge.objects.get().contact_email == pledge.contact_email
