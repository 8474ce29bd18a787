"""The trauma champions network, clicked through as people would: an IS admin adds a champion to a cohort, adds a
session and invites the champion; the champion follows the emailed link, connects their account, sees the session
and downloads its .ics; the IS admin takes attendance with the keyboard and records a confidential one-to-one
conversation. Every page on the way, a champion's space and the IS admins' pages, is scanned by axe-core here (they
need data and a staff member with two-step verification, so they are not in pages.py), and their HTML is checked by
the Nu Html Checker in the last test.
"""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from champions.models import Attendance, Champion, SupportLogAccess
from portal.models import CouncilArea
from tests.browser.test_html_valid import check_html, java  # noqa: F401 (java is a fixture)
from tests.champions import helpers
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp/portal-journey-champions"


@pytest.fixture(autouse=True)
def reference_data(live_server, django_db_serialized_rollback):
    """As in test_journey_pledge.py: the migrations' reference data and groups, loaded again if an earlier test in
    the session emptied them."""
    from importlib import import_module

    from django.apps import apps

    if not CouncilArea.objects.exists() or not Group.objects.filter(name="IS admins").exists():
        import_module("portal.migrations.0002_reference_data").load(apps, None)
        import_module("portal.migrations.0003_groups").create_groups(apps, None)


def make_admin():
    admin = UserFactory(is_staff=True, groups=["IS admins"], display_name="Isla Admin")
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "set-up-in-tests"})
    return admin


def test_an_admin_invites_a_champion_who_sees_their_session(open_page, mailoutbox, page_problems, axe):
    admin = make_admin()
    champion = helpers.make_champion(by=admin, areas=("fife",), name="Morag MacLeod", email="morag@fife.example.org")
    cohort = helpers.make_cohort(members=[champion], name="Cohort Fife 2026")
    helpers.make_plan(area="fife", by=admin)
    helpers.make_delivery(champion=champion, by=admin)

    # The IS admin: the list, the champion, the cohort; adds a session with the keyboard and mouse
    admin_page = open_page(user=admin)
    admin_page.goto("/staff/")
    admin_page.get_by_role("link", name="Trauma champions network").click()
    admin_page.wait_for_url("**/champions/manage/")
    axe.assert_no_violations(admin_page)
    admin_page.get_by_role("link", name="Morag MacLeod").click()
    axe.assert_no_violations(admin_page)
    admin_page.get_by_role("button", name="Send an invitation").click()
    assert "An invitation is on its way" in admin_page.get_by_role("status").first.inner_text()

    admin_page.goto(reverse("champions:admin-cohort-detail", args=[cohort.pk]))
    axe.assert_no_violations(admin_page)
    admin_page.get_by_role("link", name="Add a session").click()
    axe.assert_no_violations(admin_page)
    admin_page.get_by_label("Theme").fill("Listening to lived experience")
    admin_page.get_by_label("Starts").fill("2030-05-14T10:00")
    admin_page.get_by_label("Ends").fill("2030-05-14T12:00")
    admin_page.get_by_role("button", name="Save the session").click()
    # Neither a link nor a venue: a kind error, and what was typed is kept
    assert admin_page.title().startswith("Error: ")
    assert "Give a link to join online or a venue" in admin_page.get_by_role("alert").inner_text()
    assert admin_page.get_by_label("Theme").input_value() == "Listening to lived experience"
    axe.assert_no_violations(admin_page)
    page_problems.clear()  # the 400 of the refused form was meant
    admin_page.get_by_label("Link to join online").fill("https://meet.example.org/fife")
    admin_page.get_by_role("button", name="Save the session").click()
    admin_page.wait_for_url("**/champions/manage/sessions/*/")
    axe.assert_no_violations(admin_page)
    session_url = admin_page.url
    admin_page.screenshot(path=f"{SCREENSHOTS}-1-session.png", full_page=True)

    # The champion follows the emailed link, signed in, and connects
    user = UserFactory(email="Morag@Fife.example.org")  # the invitation's address: only its holder may connect
    link = next(
        re.search(r"https?://[^/\s]+(/champions/join/\S+/)", m.body).group(1)
        for m in reversed(mailoutbox)
        if "morag@fife.example.org" in m.to
    )
    # Someone else holding the link is told, kindly, that it is for another address
    stranger_page = open_page(user=UserFactory(email="someone.else@example.org"))
    stranger_page.goto(link)
    assert "mo•••@fife.example.org" in stranger_page.locator("main").inner_text()
    axe.assert_no_violations(stranger_page)
    page = open_page(user=user)
    page.goto(link)
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Connect this account").click()
    page.wait_for_url("**/champions/my/")
    assert Champion.objects.get(pk=champion.pk).user == user
    axe.assert_no_violations(page)
    page.screenshot(path=f"{SCREENSHOTS}-2-space.png", full_page=True)
    ics = page.get_by_role("link", name="Add to your calendar (.ics)").first
    with page.expect_download() as download:
        ics.click()
    with open(download.value.path(), encoding="utf-8") as ics_file:
        assert "BEGIN:VCALENDAR" in ics_file.read()
    page.get_by_role("link", name="Listening to lived experience", exact=True).click()
    axe.assert_no_violations(page)
    for name in ("Your details", "Your area's plans", "Training delivered"):
        page.goto(reverse("champions:space"))
        page.get_by_role("link", name=name, exact=True).first.click()
        axe.assert_no_violations(page)

    # Attendance, taken with the keyboard only
    admin_page.goto(session_url)
    admin_page.get_by_label("Present").first.focus()
    admin_page.keyboard.press("Space")
    admin_page.get_by_role("button", name="Save attendance").focus()
    admin_page.keyboard.press("Enter")
    admin_page.get_by_text("Attendance is saved for 1 champion.").wait_for()
    assert Attendance.objects.get(champion=champion).status == "present"

    # A confidential one-to-one record, and the access log that shows it was read
    admin_page.goto(reverse("champions:admin-support-list", args=[champion.pk]))
    axe.assert_no_violations(admin_page)
    admin_page.get_by_label("Topics").fill("Getting the leadership team on board.")
    admin_page.get_by_label("Agreed action 1 (optional)").fill("Share the roadmap.")
    admin_page.get_by_role("button", name="Save the record").click()
    admin_page.wait_for_url("**/champions/manage/support/*/")
    axe.assert_no_violations(admin_page)
    admin_page.goto(reverse("champions:admin-support-access"))
    axe.assert_no_violations(admin_page)
    assert SupportLogAccess.objects.filter(user=admin).count() >= 3
    page_problems.assert_none()


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_the_admin_pages_scan_clean(javascript, open_page, axe, page_problems):
    admin = make_admin()
    network = _network(admin)
    page = open_page(user=admin, java_script_enabled=javascript)
    for url in _admin_urls(network):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        if javascript:  # axe-core is a script: it runs only where scripts do
            axe.assert_no_violations(page)
    page_problems.assert_none()


def _network(admin):
    me = helpers.make_champion(by=admin, areas=("fife",), name="Morag MacLeod", user=UserFactory())
    cohort = helpers.make_cohort(members=[me], name="Cohort A")
    session = helpers.make_session(cohort=cohort)
    return {
        "me": me,
        "cohort": cohort,
        "session": session,
        "plan": helpers.make_plan(area="fife", by=admin),
        "delivery": helpers.make_delivery(champion=me, by=admin),
        "log": helpers.make_support_log(champion=me, by=admin),
        "shared": helpers.make_shared_file(cohort=cohort, by=admin),
    }


def _admin_urls(w) -> list[str]:
    return [
        reverse("champions:admin-champion-list"),
        reverse("champions:admin-champion-create"),
        reverse("champions:admin-champion-detail", args=[w["me"].pk]),
        reverse("champions:admin-champion-edit", args=[w["me"].pk]),
        reverse("champions:admin-support-list", args=[w["me"].pk]),
        reverse("champions:admin-support-detail", args=[w["log"].pk]),
        reverse("champions:admin-support-access"),
        reverse("champions:admin-cohort-list"),
        reverse("champions:admin-cohort-create"),
        reverse("champions:admin-cohort-detail", args=[w["cohort"].pk]),
        reverse("champions:admin-cohort-edit", args=[w["cohort"].pk]),
        reverse("champions:admin-session-create", args=[w["cohort"].pk]),
        reverse("champions:admin-session-detail", args=[w["session"].pk]),
        reverse("champions:admin-session-edit", args=[w["session"].pk]),
        reverse("champions:admin-plan-list"),
        reverse("champions:admin-plan-create"),
        reverse("champions:admin-plan-detail", args=[w["plan"].pk]),
        reverse("champions:admin-plan-edit", args=[w["plan"].pk]),
        reverse("champions:admin-training-list"),
        reverse("champions:admin-training-create"),
        reverse("champions:admin-training-edit", args=[w["delivery"].pk]),
    ]


def _space_urls(w) -> list[str]:
    return [
        reverse("champions:space"),
        reverse("champions:space-details"),
        reverse("champions:space-session", args=[w["session"].pk]),
        reverse("champions:space-plans"),
        reverse("champions:space-plan-create"),
        reverse("champions:space-plan", args=[w["plan"].pk]),
        reverse("champions:space-plan-edit", args=[w["plan"].pk]),
        reverse("champions:space-training"),
        reverse("champions:space-training-create"),
        reverse("champions:space-training-edit", args=[w["delivery"].pk]),
    ]


@pytest.mark.django_db
def test_the_champions_pages_are_valid_html(java, tmp_path):  # noqa: F811 (the imported fixture)
    """The pages pages.py cannot list (they need a champion and an IS admin), and the forms with their errors."""
    admin = make_admin()
    network = _network(admin)
    as_admin, as_champion = Client(), Client()
    as_admin.force_login(admin)
    as_champion.force_login(network["me"].user)
    documents = {}
    for client, urls in ((as_admin, _admin_urls(network)), (as_champion, _space_urls(network))):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            documents[url.strip("/").replace("/", "-")] = response.content.decode()
    failed = as_admin.post(reverse("champions:admin-champion-create"), {"name": ""})
    documents["champion-create-errors"] = failed.content.decode()
    findings = check_html(documents, tmp_path, java=java)
    from tests.browser.test_html_valid import KNOWN_EXCEPTIONS

    problems = [f for f in findings if not any(known.matches(f) for known in KNOWN_EXCEPTIONS)]
    assert not problems, "\n".join(str(problem) for problem in problems)
