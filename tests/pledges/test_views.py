"""The pledge pages through the test client: signing, confirming, the register, managing and reviewing."""

import csv
import io
import json
import re
import zlib

import pytest
from django.core import signing
from django.core.signing import TimestampSigner
from django.urls import reverse

from pledges import review, selectors, services, tokens
from pledges.models import Pledge, PledgeStatus, ProgressUpdate, UpdateStatus
from portal.models import Sector
from tests.factories import UserFactory
from tests.pledges.conftest import approved, image_bytes, make_reviewer, sign, sign_form_data

pytestmark = pytest.mark.django_db


def path_in(message, prefix: str) -> str:
    match = re.search(rf"https?://[^/\s]+({prefix}\S+/)", message.body)
    assert match, f"no {prefix} link in:\n{message.body}"
    return match.group(1)


# --- Signing and confirming ---------------------------------------------------------------------------------


def test_the_landing_page_explains_the_pledge_and_links_to_signing(client):
    approved()
    response = client.get(reverse("pledges:landing"))

    text = response.content.decode()
    assert "Value lived experience" in text and "Courageous leadership" in text
    assert "1 organisation has pledged" in text
    assert reverse("pledges:pledge-sign") in text


def test_the_sign_form_says_which_fields_browsers_may_fill_in(client):
    """WCAG 1.3.5: the contact's own details carry autocomplete; the senior leader is someone else."""
    page = client.get(reverse("pledges:pledge-sign")).content.decode()

    def autocomplete_of(name: str) -> str:
        tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', page)
        assert tag, f"no field {name}"
        found = re.search(r'autocomplete="([^"]*)"', tag.group(0))
        return found.group(1) if found else ""

    assert autocomplete_of("organisation_name") == "organization"
    assert autocomplete_of("website") == "url"
    assert autocomplete_of("contact_name") == "name"
    assert autocomplete_of("contact_email") == "email"
    assert autocomplete_of("leader_name") == "off"
    assert autocomplete_of("leader_role") == "off"
    request_page = client.get(reverse("pledges:manage-request")).content.decode()
    assert re.search(r'<input[^>]*name="email"[^>]*autocomplete="email"', request_page)


def test_signing_through_the_form_then_confirming_by_email_puts_it_in_review(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pledges:pledge-sign"), sign_form_data())

    assert response.status_code == 302 and response.url == reverse("pledges:pledge-sent")
    sent = client.get(response.url).content.decode()
    assert "jo@bothy.example.org" in sent and "What happens next" in sent
    pledge = Pledge.objects.get()
    assert pledge.status == PledgeStatus.AWAITING_CONFIRMATION
    assert [area.slug for area in pledge.council_areas.all()] == ["angus"]
    assert pledge.actions == ["lived-experience-design"]

    confirm = path_in(mailoutbox[0], "/pledge/confirm/")
    page = client.get(confirm)
    assert page.status_code == 200
    Pledge.objects.get(status=PledgeStatus.AWAITING_CONFIRMATION)  # a GET (mail scanners) confirms nothing
    response = client.post(confirm)

    assert response.status_code == 302 and response.url.startswith("/pledge/manage/")
    assert Pledge.objects.get().status == PledgeStatus.AWAITING_REVIEW
    manage = client.get(response.url).content.decode()
    assert "Waiting for review" in manage and "What happens next" in manage


def test_the_waiting_pages_show_the_actions_that_were_sent(client, django_capture_on_commit_callbacks, mailoutbox):
    """'Check your email' and the management page while waiting for review summarise what was sent, actions too."""
    chosen = "Involve people with lived experience in designing and reviewing services"
    data = sign_form_data(own_actions="Run a listening day each spring")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pledges:pledge-sign"), data)

    sent = client.get(response.url).content.decode()
    assert "What you sent" in sent
    for expected in (chosen, "Run a listening day each spring", "Young people tell us they want to be believed"):
        assert expected in sent
    assert "Pay or otherwise recognise people" not in sent  # an action not chosen

    managed = client.post(path_in(mailoutbox[0], "/pledge/confirm/"))
    manage = client.get(managed.url).content.decode()
    assert "Waiting for review" in manage
    assert "Your actions" in manage
    assert chosen in manage and "Run a listening day each spring" in manage


@pytest.mark.parametrize("state", ["confirmed", "approved", "withdrawn"])
def test_following_the_confirmation_link_again_gives_no_management_link(client, reviewer, state):
    pledge = sign()
    confirm = services.confirm_path(pledge)
    services.pledge_confirm(pledge=pledge)
    if state == "approved":
        review.pledge_approve(pledge=pledge, reviewer=reviewer)
    elif state == "withdrawn":
        services.pledge_withdraw(pledge=pledge)

    for response in (client.get(confirm), client.post(confirm)):
        assert response.status_code == 200
        text = response.content.decode()
        assert "/pledge/manage/" not in text.replace(reverse("pledges:manage-request"), "")
        assert "Yes, confirm the pledge" not in text
        if state == "withdrawn":
            assert "This pledge is closed" in text
        else:
            assert "This pledge is already confirmed" in text
            assert f'href="{reverse("pledges:manage-request")}"' in text
    pledge.refresh_from_db()
    assert pledge.status == {"confirmed": "awaiting_review", "approved": "approved", "withdrawn": "withdrawn"}[state]


def test_scotland_wide_signing(client):
    client.post(reverse("pledges:pledge-sign"), sign_form_data(areas=["scotland-wide"]))

    pledge = Pledge.objects.get()
    assert pledge.scotland_wide and not pledge.council_areas.exists()


def test_an_organisation_without_a_website_can_sign(client):
    """The website is optional (small organisations may have none): duplicates are then looked for by name only,
    and the register page leaves the row out rather than show an empty link."""
    page = client.get(reverse("pledges:pledge-sign")).content.decode()
    assert "Website (optional)" in page
    other = approved(organisation_name="Another Group", website="")

    response = client.post(reverse("pledges:pledge-sign"), sign_form_data(website=""))

    assert response.status_code == 302
    pledge = Pledge.objects.get(organisation_name="Bothy Youth Project")
    assert (pledge.website, pledge.website_domain, pledge.possible_duplicate_of) == ("", "", None)
    organisation_page = client.get(other.get_absolute_url()).content.decode()
    assert "Website" not in organisation_page
    assert 'href=""' not in organisation_page


def test_a_possible_duplicate_is_told_kindly_with_a_link_to_the_entry(client):
    existing = approved(organisation_name="Bothy Youth Project", website="https://bothy.example.org")

    response = client.post(reverse("pledges:pledge-sign"), sign_form_data(), follow=True)

    text = response.content.decode()
    assert "may already have signed" in text
    assert existing.get_absolute_url() in text
    assert Pledge.objects.filter(possible_duplicate_of=existing).count() == 1


@pytest.mark.parametrize("state", ["awaiting_confirmation", "awaiting_review", "changes_requested"])
def test_an_unpublished_possible_duplicate_is_not_mentioned_publicly(client, reviewer, state):
    earlier = sign(organisation_name="Bothy Youth Project", website="https://bothy.example.org")
    if state != "awaiting_confirmation":
        services.pledge_confirm(pledge=earlier)
    if state == "changes_requested":
        review.pledge_request_changes(pledge=earlier, reviewer=reviewer, message="Please name your actions.")

    response = client.post(reverse("pledges:pledge-sign"), sign_form_data(), follow=True)

    text = response.content.decode()
    assert "Check your email" in text
    assert Pledge.objects.filter(possible_duplicate_of=earlier).count() == 1  # reviewers are still told
    assert "already" not in text and "similar" not in text
    assert earlier.get_absolute_url() not in text


def test_a_logo_is_reencoded_and_resized_and_served_once_published(client, reviewer):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    upload = SimpleUploadedFile("our logo.png", image_bytes("PNG", size=(1800, 600)), content_type="image/png")
    client.post(reverse("pledges:pledge-sign"), {**sign_form_data(), "logo": upload})
    pledge = Pledge.objects.get()
    assert pledge.logo.name.endswith(".png")
    with Image.open(pledge.logo.path) as stored:
        assert stored.format == "PNG" and max(stored.size) == 600

    logo_url = reverse("pledges:organisation-logo", kwargs={"slug": pledge.slug})
    assert client.get(logo_url).status_code == 404  # not public until approved
    services.pledge_confirm(pledge=pledge)
    review.pledge_approve(pledge=pledge, reviewer=reviewer)
    response = client.get(logo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert logo_url in client.get(pledge.get_absolute_url()).content.decode()


# --- Confirmation and management links -------------------------------------------------------------------


def later(monkeypatch, seconds: int) -> None:
    """Move the signing clock on, as if the link were followed that much later."""
    import time

    real = time.time
    monkeypatch.setattr("django.core.signing.time.time", lambda: real() + seconds)


def test_an_expired_confirmation_link_says_so_and_changes_nothing(client, monkeypatch):
    pledge = sign()
    path = services.confirm_path(pledge)
    later(monkeypatch, 8 * 24 * 3600)  # links last 7 days

    response = client.post(path)

    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.AWAITING_CONFIRMATION


def test_an_expired_management_link_says_so(client, monkeypatch):
    pledge = approved()
    path = services.manage_path(pledge)
    assert client.get(path).status_code == 200
    later(monkeypatch, 24 * 3600 + 60)

    response = client.get(path)

    assert response.status_code == 410
    assert reverse("pledges:manage-request") in response.content.decode()


@pytest.mark.parametrize("salt", [tokens.CONFIRM_SALT, tokens.MANAGE_SALT])
def test_tampered_links_are_not_found(client, salt):
    pledge = approved()
    other = approved(organisation_name="Other Org", website="https://other.example.org", contact_email="o@e.org")
    good = tokens.make_token(pledge=pledge, salt=salt)
    name = "pledges:pledge-confirm" if salt == tokens.CONFIRM_SALT else "pledges:manage"
    forged_payload = TimestampSigner(salt=salt, key="not-the-secret").sign_object(
        {"p": other.pk, "e": other.contact_email}
    )
    wrong_salt = tokens.make_token(pledge=pledge, salt="something.else")

    for token in [good[:-2] + "xx", forged_payload, wrong_salt, "nonsense"]:
        assert client.get(reverse(name, kwargs={"token": token})).status_code == 404
    assert client.get(reverse(name, kwargs={"token": good})).status_code == 200


@pytest.mark.parametrize("salt", [tokens.CONFIRM_SALT, tokens.MANAGE_SALT])
def test_links_do_not_reveal_the_contact_email(client, salt):
    pledge = sign(contact_email="sam.contact@kinlochfirth.example.org")
    token = tokens.make_token(pledge=pledge, salt=salt)
    payload = token.split(":")[0]
    decoded = signing.b64_decode(payload.removeprefix(".").encode())
    if payload.startswith("."):
        decoded = zlib.decompress(decoded)

    assert b"sam.contact" not in decoded.lower() and b"kinlochfirth" not in decoded.lower()
    name = "pledges:pledge-confirm" if salt == tokens.CONFIRM_SALT else "pledges:manage"
    assert client.get(reverse(name, kwargs={"token": token})).status_code == 200
    # A genuinely signed link that names the address itself (the old form) is not accepted: like a link from before
    # a change of contact, it only offers to send a new one.
    old_form = TimestampSigner(salt=salt).sign_object({"p": pledge.pk, "e": pledge.contact_email})
    assert client.get(reverse(name, kwargs={"token": old_form})).status_code == 410


def test_links_stop_working_when_the_contact_changes(client):
    pledge = approved()
    old = services.manage_path(pledge)

    response = client.post(
        reverse("pledges:manage-contact", kwargs={"token": old.split("/")[-2]}),
        {"contact_name": "Kim New", "contact_email": "kim@example.org"},
    )

    assert response.status_code == 200
    stale = client.get(old)
    # Not a bare "not found": the same kind page as an expired link, with a way to ask for a new one.
    assert stale.status_code == 410
    assert "This link no longer works" in stale.content.decode()
    assert reverse("pledges:manage-request") in stale.content.decode()
    pledge.refresh_from_db()
    assert client.get(services.manage_path(pledge)).status_code == 200


def test_a_link_stays_dead_when_the_contact_is_changed_back(client):
    pledge = approved(contact_email="a@example.org")
    a_link = services.manage_path(pledge)
    services.pledge_change_contact(pledge=pledge, contact_name="B", contact_email="b@example.org")
    services.pledge_change_contact(pledge=pledge, contact_name="A", contact_email="a@example.org")

    assert client.get(a_link).status_code == 410
    pledge.refresh_from_db()
    assert client.get(services.manage_path(pledge)).status_code == 200


def test_a_contact_changed_in_the_admin_ends_the_old_links(admin_client, client):
    pledge = approved(contact_email="a@example.org")
    a_link = services.manage_path(pledge)
    change_url = reverse("admin:pledges_pledge_change", args=[pledge.pk])
    form = admin_client.get(change_url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "contact_email": "b@example.org",
            "sector": pledge.sector_id,
            "council_areas": [area.pk for area in pledge.council_areas.all()],
            "actions": json.dumps(pledge.actions),
            "possible_duplicate_of": "",
            "logo": "",
            "last_reminder_year": "",
        }
    )
    data = {key: value for key, value in data.items() if key in form.fields}

    response = admin_client.post(change_url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    pledge.refresh_from_db()
    assert pledge.contact_email == "b@example.org" and pledge.link_version == 1
    assert client.get(a_link).status_code == 410


def test_links_sent_before_link_versions_still_work_until_the_contact_changes(client):
    pledge = approved()
    payload = {"p": pledge.pk, "e": tokens.email_digest(pledge.contact_email, salt=tokens.MANAGE_SALT)}
    token = TimestampSigner(salt=tokens.MANAGE_SALT).sign_object(payload)
    old_link = reverse("pledges:manage", kwargs={"token": token})

    assert client.get(old_link).status_code == 200
    services.pledge_change_contact(pledge=pledge, contact_name="B", contact_email="b@example.org")
    assert client.get(old_link).status_code == 410


def test_asking_for_a_management_link_says_the_same_whoever_asks(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    pledge = approved()
    mailoutbox.clear()
    url = reverse("pledges:manage-request")

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": pledge.contact_email})
        unknown = client.post(url, {"email": "stranger@example.org"})

    assert known.status_code == unknown.status_code == 200
    strip = lambda r: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode())  # noqa: E731
    assert strip(known) == strip(unknown)
    assert [m.to for m in mailoutbox] == [[pledge.contact_email]]
    assert client.get(path_in(mailoutbox[0], "/pledge/manage/")).status_code == 200


def test_a_signed_in_contact_with_that_verified_email_sees_their_pledge(client):
    pledge = approved()
    client.force_login(UserFactory(email=pledge.contact_email))

    text = client.get(reverse("pledges:manage-request")).content.decode()

    assert pledge.organisation_name in text and "/pledge/manage/" in text


def test_an_unverified_account_does_not_get_the_pledge(client):
    pledge = approved()
    client.force_login(UserFactory(email=pledge.contact_email, verified=False))

    text = client.get(reverse("pledges:manage-request")).content.decode()

    assert pledge.organisation_name not in text


def test_the_contact_edits_publishes_an_update_and_withdraws_through_the_link(client, reviewer):
    pledge = approved(reviewer=reviewer)
    token = services.manage_path(pledge).split("/")[-2]

    response = client.post(
        reverse("pledges:manage-edit", kwargs={"token": token}),
        {"statement": "Better words.", "actions_leadership": ["roadmap"], "own_actions": ""},
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.edit_pending and pledge.pending_statement == "Better words."
    assert "Better words." not in client.get(pledge.get_absolute_url()).content.decode()

    response = client.post(
        reverse("pledges:manage-update", kwargs={"token": token}),
        {"done": "We trained every manager.", "next_steps": "We will review our letters."},
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.status == UpdateStatus.AWAITING_REVIEW
    review.update_approve(update=update, reviewer=reviewer)
    assert "We trained every manager." in client.get(pledge.get_absolute_url()).content.decode()

    response = client.post(reverse("pledges:manage-withdraw", kwargs={"token": token}), {"confirm": "on"})
    assert response.status_code == 302
    assert client.get(pledge.get_absolute_url()).status_code == 404
    assert "withdrawn" in client.get(services.manage_path(pledge)).content.decode()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "pledges:manage-edit",
            {"statement": "Better words.", "actions_leadership": ["roadmap"], "own_actions": ""},
            "This pledge can no longer be changed. Nothing was changed.",
        ),
        (
            "pledges:manage-contact",
            {"contact_name": "Kim New", "contact_email": "kim@example.org"},
            "This pledge can no longer be changed. Nothing was changed.",
        ),
        ("pledges:manage-withdraw", {"confirm": "on"}, "This pledge is already closed. Nothing was changed."),
    ],
)
def test_a_pledge_closed_while_the_page_was_open_is_told_kindly(
    client, monkeypatch, django_capture_on_commit_callbacks, mailoutbox, name, data, message
):
    """Withdrawn in another tab between the view's check and the service: a kind message, not a server error."""
    pledge = approved()
    token = services.manage_path(pledge).split("/")[-2]
    real = selectors.pledge_from_link

    def closed_just_after_the_check(*args, **kwargs):
        found = real(*args, **kwargs)
        Pledge.objects.filter(pk=found.pk).update(status=PledgeStatus.WITHDRAWN)
        return found  # the view still holds the open pledge it loaded

    monkeypatch.setattr(selectors, "pledge_from_link", closed_just_after_the_check)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(name, kwargs={"token": token}), data)

    assert response.status_code == 302 and response.url == reverse("pledges:manage", kwargs={"token": token})
    assert message in client.get(response.url).content.decode()
    fresh = Pledge.objects.get()
    assert (fresh.status, fresh.edit_pending, fresh.contact_email) == (
        PledgeStatus.WITHDRAWN,
        False,
        pledge.contact_email,
    )
    assert fresh.statement == pledge.statement and fresh.removed_at is None
    assert mailoutbox == []


# --- The public register and open data ---------------------------------------------------------------------


@pytest.fixture
def register(db, reviewer):
    fife = approved(reviewer=reviewer)
    bothy = approved(
        reviewer=reviewer,
        organisation_name="Bothy Youth Project",
        organisation_type="third_sector",
        sector=Sector.objects.get(slug="third-sector"),
        website="https://bothy.example.org",
        areas=["angus"],
        contact_email="jo@bothy.example.org",
    )
    national = approved(
        reviewer=reviewer,
        organisation_name="Learning Together Scotland",
        organisation_type="national_body",
        website="https://learn.example.org",
        areas=[],
        scotland_wide=True,
        contact_email="l@learn.example.org",
    )
    hidden = sign(organisation_name="Not Yet Approved", website="https://nya.example.org", contact_email="n@e.org")
    return {"fife": fife, "bothy": bothy, "national": national, "hidden": hidden}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"fife", "bothy", "national"}),
        ({"q": "bothy"}, {"bothy"}),
        ({"organisation_type": "national_body"}, {"national"}),
        ({"area": "angus"}, {"bothy"}),
        ({"area": "scotland-wide"}, {"national"}),
        ({"sector": "public-sector"}, {"fife", "national"}),
        ({"year": "1999"}, {"fife", "bothy", "national"}),  # an unknown year is ignored, not an error page
        ({"area": "fife", "q": "kinloch"}, {"fife"}),
    ],
)
def test_register_search_and_filters(client, register, query, expected):
    response = client.get(reverse("pledges:register-list"), query)

    assert response.status_code == 200
    shown = {key for key, pledge in register.items() if pledge.organisation_name in response.content.decode()}
    assert shown == expected
    assert "3 organisations have pledged" in response.content.decode()
    # The count is announced from a live region around the heading, which stays a heading.
    live_count = r'<div role="status">\s*<h2 class="ds_search-results__title">[^<]*\d+ organisation'
    assert re.search(live_count, response.content.decode())


def test_register_sorts_by_name_and_counts_matches(client, register):
    text = client.get(reverse("pledges:register-list"), {"sort": "name", "organisation_type": "third_sector"}).content
    assert "1 organisation matches your search" in text.decode()
    text = client.get(reverse("pledges:register-list"), {"sort": "name"}).content.decode()
    names = ["Bothy Youth Project", "Kinloch Firth Council", "Learning Together Scotland"]
    assert [text.index(name) for name in names] == sorted(text.index(name) for name in names)


def test_register_year_filter(client, register):
    year = register["fife"].signed_at.year
    response = client.get(reverse("pledges:register-list"), {"year": str(year)})
    assert "Kinloch Firth Council" in response.content.decode()


def test_organisation_page_shows_only_public_pledges(client, register):
    assert client.get(register["fife"].get_absolute_url()).status_code == 200
    hidden = reverse("pledges:organisation-detail", kwargs={"slug": register["hidden"].slug})
    assert client.get(hidden).status_code == 404


def test_open_data_has_public_fields_only(client, register):
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("pledges:register-csv")).getvalue().decode())))
    data = json.loads(client.get(reverse("pledges:register-json")).getvalue())

    assert [row["name"] for row in rows] == [o["name"] for o in data["organisations"]]
    assert data["count"] == 3 and len(rows) == 3
    everything = json.dumps(data) + str(rows)
    assert "sam@kinlochfirth.example.org" not in everything and "Sam Contact" not in everything
    columns = [name for name, _ in __import__("pledges.selectors", fromlist=["x"]).OPEN_DATA_COLUMNS]
    assert list(rows[0]) == columns
    open_data_page = client.get(reverse("pledges:open-data")).content.decode()
    assert all(f"<code>{name}</code>" in open_data_page for name in columns)


def test_the_csv_and_the_json_share_one_column_list(client, register):
    """Both come from pledges.exports.REGISTER: the JSON keeps typed values, the CSV their plain text."""
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("pledges:register-csv")).getvalue().decode())))
    data = json.loads(client.get(reverse("pledges:register-json")).getvalue())["organisations"]

    assert [list(organisation) for organisation in data] == [list(row) for row in rows]
    fife = next(organisation for organisation in data if organisation["name"] == "Kinloch Firth Council")
    assert isinstance(fife["scotland_wide"], bool) and isinstance(fife["council_areas"], list)
    fife_row = next(row for row in rows if row["name"] == "Kinloch Firth Council")
    assert fife_row["council_areas"] == "; ".join(fife["council_areas"])
    assert fife_row["scotland_wide"] == ("true" if fife["scotland_wide"] else "false")


def test_the_feed_lists_new_signatories(client, register):
    response = client.get(reverse("pledges:register-feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    assert b"Bothy Youth Project" in response.content and b"Not Yet Approved" not in response.content


def test_the_feed_names_its_author_and_links_to_site_url(client, register, settings):
    """RFC 4287: an Atom feed without an author on the feed (or every entry) is invalid, and readers reject it. Its
    links and ids come from SITE_URL, whatever name the feed was fetched by."""
    from xml.etree import ElementTree

    settings.SITE_URL = "https://portal.example.scot"
    settings.ALLOWED_HOSTS = ["other-name.example.org"]
    atom = "{http://www.w3.org/2005/Atom}"

    response = client.get(reverse("pledges:register-feed"), HTTP_HOST="other-name.example.org")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - the portal's own feed

    assert feed.findtext(f"{atom}author/{atom}name") == settings.PORTAL_NAME
    entries = feed.findall(f"{atom}entry")
    assert entries
    hrefs = [link.get("href") for link in feed.iter(f"{atom}link")]
    hrefs += [feed.findtext(f"{atom}author/{atom}uri")]
    assert all(href.startswith("https://portal.example.scot/") for href in hrefs), hrefs
    ids = [feed.findtext(f"{atom}id")] + [entry.findtext(f"{atom}id") for entry in entries]
    assert all("portal.example.scot" in value for value in ids), ids


def test_summary_shows_every_council_area_with_gaps(client, register):
    text = client.get(reverse("pledges:summary")).content.decode()

    assert "<svg" in text and "Organisations signing each month" in text
    assert text.count("None yet") == 30  # 32 areas, two of them served (Fife and Angus)
    assert "Shetland Islands" in text


# --- Review ---------------------------------------------------------------------------------------------------


def test_review_pages_are_for_is_admins_only(client):
    pledge = sign()
    services.pledge_confirm(pledge=pledge)
    urls = [reverse("pledges:review-list"), reverse("pledges:review-detail", kwargs={"pk": pledge.pk})]

    for url in urls:
        assert client.get(url).status_code == 302  # signed out: to sign in
    client.force_login(UserFactory(is_staff=True, groups=["Content editors"]))
    for url in urls:
        assert client.get(url).status_code == 404
    client.force_login(UserFactory(groups=["IS admins"], is_staff=True))  # no two-step verification yet
    assert client.get(urls[0]).url == reverse("mfa_index")


def test_a_reviewer_approves_from_the_queue_and_sees_the_history(reviewer_client, reviewer):
    pledge = sign()
    services.pledge_confirm(pledge=pledge)

    queue = reviewer_client.get(reverse("pledges:review-list")).content.decode()
    assert pledge.organisation_name in queue
    detail_url = reverse("pledges:review-detail", kwargs={"pk": pledge.pk})
    response = reviewer_client.post(detail_url, {"decision": "approve", "message": ""})

    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.APPROVED
    detail = reviewer_client.get(detail_url).content.decode()
    assert "Approved" in detail and "Email confirmed" in detail and str(reviewer) in detail


def test_the_reviewer_sees_the_logo_before_it_is_public(client, reviewer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("logo.png", image_bytes("PNG"), content_type="image/png")
    client.post(reverse("pledges:pledge-sign"), {**sign_form_data(), "logo": upload})
    pledge = Pledge.objects.get()
    services.pledge_confirm(pledge=pledge)
    logo_url = reverse("pledges:review-logo", kwargs={"pk": pledge.pk})

    assert client.get(logo_url).status_code == 302  # signed out: to sign in
    client.force_login(UserFactory(is_staff=True, groups=["Content editors"]))
    assert client.get(logo_url).status_code == 404
    client.force_login(reviewer)
    detail = client.get(reverse("pledges:review-detail", kwargs={"pk": pledge.pk})).content.decode()
    assert f'<img class="portal-pledge-logo" src="{logo_url}" alt="{pledge.organisation_name} logo">' in detail
    response = client.get(logo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == pledge.logo.open("rb").read()
    # Not yet public, so never kept by a shared cache, and still not on the public address.
    assert response["Cache-Control"] == "private, no-store"
    assert client.get(reverse("pledges:organisation-logo", kwargs={"slug": pledge.slug})).status_code == 404


def test_a_pledge_without_a_logo_says_so_to_the_reviewer(reviewer_client):
    pledge = sign()
    services.pledge_confirm(pledge=pledge)

    detail = reviewer_client.get(reverse("pledges:review-detail", kwargs={"pk": pledge.pk})).content.decode()
    assert "None given" in detail and "portal-pledge-logo" not in detail
    assert reviewer_client.get(reverse("pledges:review-logo", kwargs={"pk": pledge.pk})).status_code == 404


def test_asking_for_changes_needs_a_message(reviewer_client):
    pledge = sign()
    services.pledge_confirm(pledge=pledge)

    response = reviewer_client.post(
        reverse("pledges:review-detail", kwargs={"pk": pledge.pk}), {"decision": "changes", "message": "  "}
    )

    assert response.status_code == 400
    assert "Please write a message" in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.AWAITING_REVIEW


def test_removing_from_the_register_records_the_reason(reviewer_client, client):
    pledge = approved()
    url = reverse("pledges:review-remove", kwargs={"pk": pledge.pk})

    assert reviewer_client.post(url, {"reason": ""}).status_code == 400
    assert Pledge.objects.get().is_public
    reviewer_client.post(url, {"reason": "Asked to leave by the organisation's board."})

    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.REMOVED
    assert pledge.removal_reason == "Asked to leave by the organisation's board."
    assert client.get(pledge.get_absolute_url()).status_code == 404


def test_reviewing_a_progress_update(reviewer_client):
    pledge = approved()
    update = services.update_submit(pledge=pledge, done="Did things.", next_steps="Do more.")
    url = reverse("pledges:review-update", kwargs={"pk": update.pk})

    assert "Did things." in reviewer_client.get(url).content.decode()
    assert reviewer_client.post(url, {"decision": "reject", "message": ""}).status_code == 400
    reviewer_client.post(url, {"decision": "approve"})

    update.refresh_from_db()
    assert update.status == UpdateStatus.APPROVED


@pytest.mark.parametrize("publish", [False, True], ids=["in-review", "on-the-register"])
def test_the_admins_currently_link_opens_the_logo_not_media(client, admin_client, publish):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("logo.png", image_bytes("PNG"), content_type="image/png")
    client.post(reverse("pledges:pledge-sign"), {**sign_form_data(), "logo": upload})
    pledge = Pledge.objects.get()
    services.pledge_confirm(pledge=pledge)
    if publish:
        pledge = review.pledge_approve(pledge=pledge, reviewer=make_reviewer())

    page = admin_client.get(reverse("admin:pledges_pledge_change", args=[pledge.pk])).content.decode()

    [link] = re.findall(r'<p class="file-upload">Currently: <a href="([^"]+)">', page)
    expected = (
        reverse("pledges:organisation-logo", args=[pledge.slug])
        if publish
        else reverse("pledges:review-logo", args=[pledge.pk])
    )
    assert link == expected
    assert admin_client.get(link).status_code == 200
