"""An IS admin with two-step verification runs the champions network, clicked through as a person would: imports 40
champions from a CSV in which 2 rows are wrong, fixes them on the preview and confirms; the dashboard's coverage
changes; creates a cohort and a session, adds champions and invites one; writes an email to the cohort; and the
session reminder goes out through the outbox. The IS admins' pages (dashboard, totals, import, exports, emails) need
a staff member with a second factor, so axe scans them here rather than from pages.py.
"""

import datetime
import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from champions.models import Champion, Message, Session
from champions.services import reminders
from portal.models import CouncilArea
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

AREAS = [
    "Aberdeen City",
    "Aberdeenshire",
    "Angus",
    "Argyll and Bute",
    "Clackmannanshire",
    "Dumfries and Galloway",
    "Dundee City",
    "East Ayrshire",
    "East Lothian",
    "Falkirk",
    "Fife",
    "Glasgow City",
    "Highland",
    "Inverclyde",
    "Midlothian",
    "Moray",
    "North Ayrshire",
    "Perth and Kinross",
    "Stirling",
    "West Lothian",
]


@pytest.fixture(autouse=True)
def reference_data(live_server, django_db_serialized_rollback):
    """Reference data and groups from the migrations' own idempotent loaders (see test_journey_pledge.py)."""
    from importlib import import_module

    from django.apps import apps

    if not CouncilArea.objects.exists() or not Group.objects.filter(name="IS admins").exists():
        import_module("portal.migrations.0002_reference_data").load(apps, None)
        import_module("portal.migrations.0003_groups").create_groups(apps, None)


def make_admin():
    admin = UserFactory(is_staff=True, groups=["IS admins"], display_name="Isla Admin")
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "set-up-in-tests"})
    return admin


def champions_file() -> bytes:
    """40 champions over 20 council areas; row 13 has an email address without an @ and row 34 a misspelt area."""
    lines = ["Name,Job title,Email,Organisation,Organisation type,Council areas,NHS board,Date joined"]
    for n in range(1, 41):
        area = AREAS[n % len(AREAS)]
        email = f"champion{n}@council.example.org"
        if n == 12:
            email = "champion12.at.council.example.org"
        if n == 33:
            area = "Fyfe"
        lines.append(f"Champion {n:02d},Head of Service,{email},{area} Council,Local authority,{area},,01/04/2025")
    return ("\n".join(lines) + "\n").encode()


def test_an_is_admin_imports_champions_fixes_two_rows_and_runs_the_network(
    open_page, live_server, mailoutbox, page_problems, axe
):
    admin = make_admin()
    page = open_page(user=admin)

    # The dashboard: no coverage yet, said in words as well as drawn.
    page.goto(reverse("champions:admin-dashboard"))
    assert page.get_by_role("heading", name="Council areas: 0 of 32 have an active champion").is_visible()
    axe.assert_no_violations(page)

    # Import: upload a file with two wrong rows.
    page.get_by_role("link", name="Import from a spreadsheet").click()
    page.wait_for_url("**/manage/import/champions/")
    axe.assert_no_violations(page)
    page.get_by_label("Choose a CSV file").set_input_files(
        files=[{"name": "champions.csv", "mimeType": "text/csv", "buffer": champions_file()}]
    )
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url("**/manage/import/champions/check/")
    assert page.get_by_role("heading", name="2 rows need a change").is_visible()
    assert page.title().startswith("Error: Check the champions before saving")
    axe.assert_no_violations(page)
    assert Champion.objects.count() == 0

    # Fix both rows on the preview (the header is row 1), as a person would from the error summary's links.
    page.get_by_role("link", name=re.compile(r"Row 13, Email")).click()
    row13 = page.get_by_role("group", name="Row 13")
    row13.get_by_label("Email").fill("champion12@council.example.org")
    page.get_by_role("group", name="Row 34").get_by_label("Council areas").fill("Fife")
    with page.expect_navigation():
        page.get_by_role("button", name="Check my changes").click()
    assert page.get_by_text("Every row is ready now.").is_visible()
    assert page.get_by_role("heading", name="need a change").count() == 0
    assert Champion.objects.count() == 0
    page.get_by_role("button", name="Add 40 champions").click()
    page.wait_for_url("**/champions/manage/")
    assert page.get_by_text("40 champions added.").is_visible()
    assert Champion.objects.count() == 40
    assert Champion.objects.filter(email="champion12@council.example.org").exists()
    assert [a.name for a in Champion.objects.get(name="Champion 33").council_areas.all()] == ["Fife"]

    # The dashboard's coverage changes.
    page.get_by_role("link", name="Network dashboard and tools").click()
    page.wait_for_url("**/manage/dashboard/")
    assert page.get_by_role("heading", name="Council areas: 20 of 32 have an active champion").is_visible()
    assert page.get_by_text("12 without an active champion:").is_visible()

    # A cohort and a session, through the cohort pages.
    page.goto(reverse("champions:admin-cohort-list"))
    page.get_by_role("link", name="Add a cohort").click()
    page.get_by_label("Name").fill("Spring set")
    page.get_by_label("Starts on").fill("2026-01-05")
    page.get_by_role("button", name="Save the cohort").click()
    page.wait_for_url(re.compile(r".*/manage/cohorts/\d+/$"))
    # The champions to add are found by name (a bounded list of checkboxes, however large the network)
    page.get_by_label("Name or organisation").fill("Champion 0")
    page.get_by_role("button", name="Find champions").click()
    for name in ("Champion 01", "Champion 02", "Champion 03"):
        page.locator("label.ds_checkbox__label", has_text=re.compile(rf"^{name},")).click()
    page.get_by_role("button", name="Add to the cohort").click()
    assert page.get_by_text("3 champions joined Spring set.").is_visible()
    page.get_by_role("link", name="Add a session").click()
    starts = timezone.localtime(timezone.now() + datetime.timedelta(days=2)).replace(hour=14, minute=0)
    page.get_by_label("Theme").fill("Safe and kind letters")
    page.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Link to join online").fill("https://meet.example.org/spring")
    page.get_by_role("button", name="Save the session").click()
    page.wait_for_load_state()
    session = Session.objects.get(theme="Safe and kind letters")
    assert session.cohort.memberships.count() == 3

    # Invite one champion from their record.
    invited = Champion.objects.get(name="Champion 01")
    page.goto(reverse("champions:admin-champion-detail", args=[invited.pk]))
    page.get_by_role("button", name="Send an invitation").click()
    assert page.get_by_text(f"An invitation is on its way to {invited.email}").is_visible()
    assert any(invited.email in m.to for m in mailoutbox)

    # An email to the cohort: compose, preview, send; the record says who it went to.
    page.goto(reverse("champions:admin-message-list"))
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Write an email").click()
    page.get_by_label("Send to a cohort").select_option(label="Spring set")
    page.get_by_label("Subject").fill("Welcome to the spring set")
    page.get_by_label("Message").fill("We are glad you are here.\n\n**First meeting** is on its way.")
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Preview the email").click()
    assert page.get_by_text("3 champions", exact=True).is_visible()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Send to 3 champions").click()
    page.wait_for_url(re.compile(r".*/manage/emails/\d+/$"))
    assert page.get_by_text("Your message is on its way to 3 champions.").is_visible()
    axe.assert_no_violations(page)
    assert Message.objects.get().recipients.count() == 3
    assert sum(m.subject == "Welcome to the spring set" for m in mailoutbox) == 3

    # The reminder two days before goes out through the outbox (what the beat task runs), once.
    before = len(mailoutbox)
    assert reminders.session_reminders_send() == 1
    assert reminders.session_reminders_send() == 0
    reminder_mail = [m for m in mailoutbox[before:] if "Safe and kind letters" in m.subject]
    assert len(reminder_mail) == 3 and "https://meet.example.org/spring" in reminder_mail[0].body

    # The other tools' pages meet WCAG 2.2 AA too.
    for name in ("admin-training-totals", "admin-exports", "admin-support-export", "admin-dashboard"):
        page.goto(reverse(f"champions:{name}"))
        axe.assert_no_violations(page)
    page_problems.assert_none()


def test_the_import_preview_works_without_javascript(open_page, page_problems):
    admin = make_admin()
    page = open_page(user=admin, java_script_enabled=False)

    page.goto(reverse("champions:admin-import", args=["champions"]))
    page.get_by_label("Choose a CSV file").set_input_files(
        files=[{"name": "champions.csv", "mimeType": "text/csv", "buffer": champions_file()}]
    )
    page.get_by_role("button", name="Check the file").click()
    for box in page.get_by_role("group", name="Row 13").locator("input").all():
        box.fill("")  # every field emptied: the row is left out
    page.get_by_role("group", name="Row 34").get_by_label("Council areas").fill("Fife")
    page.get_by_role("button", name="Check my changes").click()
    assert page.get_by_text("Left out at your request: row 13.").is_visible()
    page.get_by_role("button", name="Add 39 champions").click()
    page.wait_for_url("**/champions/manage/")
    assert Champion.objects.count() == 39
    page_problems.assert_none()
