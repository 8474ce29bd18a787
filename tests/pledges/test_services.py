"""The pledge's rules, on the real database, with emails checked after commit."""

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone

from pledges import review, services, tasks
from pledges.models import Pledge, PledgeStatus, ProgressUpdate, UpdateStatus
from pledges.notifications import PLEDGE_REVIEW_NEEDED
from tests.pledges.conftest import approved, sign

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def links(message) -> list[str]:
    return re.findall(r"https?://\S+/pledge/\S+/", message.body)


def review_needed_titles(reviewer) -> list[str]:
    notes = reviewer.notifications.filter(event__kind=PLEDGE_REVIEW_NEEDED.name).order_by("created_at", "pk")
    return [note.title for note in notes]


def test_editing_before_confirmation_does_not_trouble_reviewers(reviewer):
    pledge = sign()

    services.pledge_edit(pledge=pledge, statement="Better words.", actions=["roadmap"], own_actions="")

    assert review_needed_titles(reviewer) == []


def test_signing_waits_for_confirmation_and_emails_a_confirmation_link(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        pledge = sign()

    assert pledge.status == PledgeStatus.AWAITING_CONFIRMATION
    assert not Pledge.objects.public().exists()
    assert [m.to for m in mailoutbox] == [["sam@kinlochfirth.example.org"]]
    assert mailoutbox[0].subject == "Please confirm the leadership pledge for Kinloch Firth Council"
    assert any("/pledge/confirm/" in link for link in links(mailoutbox[0]))


def test_confirming_puts_the_pledge_in_the_review_queue_and_tells_reviewers(reviewer):
    pledge = sign()

    assert services.pledge_confirm(pledge=pledge) is True
    assert services.pledge_confirm(pledge=pledge) is False  # following the link twice changes nothing more

    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.AWAITING_REVIEW
    assert pledge.confirmed_at is not None
    assert list(Pledge.objects.needing_review()) == [pledge]
    assert reviewer.notifications.filter(event__kind=PLEDGE_REVIEW_NEEDED.name).count() == 1


def test_approving_publishes_and_emails_the_contact(reviewer, django_capture_on_commit_callbacks, mailoutbox):
    pledge = sign()
    services.pledge_confirm(pledge=pledge)

    with django_capture_on_commit_callbacks(execute=True):
        review.pledge_approve(pledge=pledge, reviewer=reviewer)

    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.APPROVED and pledge.signed_at is not None
    assert list(Pledge.objects.public()) == [pledge]
    assert mailoutbox[-1].subject == "Good news about the pledge for Kinloch Firth Council"
    assert pledge.get_absolute_url() in mailoutbox[-1].body


def test_asking_for_changes_emails_the_message_and_the_edit_goes_back_to_review(
    reviewer, django_capture_on_commit_callbacks, mailoutbox
):
    pledge = sign()
    services.pledge_confirm(pledge=pledge)

    with django_capture_on_commit_callbacks(execute=True):
        review.pledge_request_changes(pledge=pledge, reviewer=reviewer, message="Please name your actions.")

    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.CHANGES_REQUESTED
    assert "Please name your actions." in mailoutbox[-1].body
    assert any("/pledge/manage/" in link for link in links(mailoutbox[-1]))

    services.pledge_edit(pledge=pledge, statement="A clearer statement.", actions=["roadmap"], own_actions="")

    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.AWAITING_REVIEW
    assert pledge.statement == "A clearer statement."
    assert review_needed_titles(reviewer) == [
        "A pledge from Kinloch Firth Council is waiting for review",
        "The pledge from Kinloch Firth Council is changed and waiting for review again",
    ]


def test_rejecting_records_the_reason_and_emails_it(reviewer, django_capture_on_commit_callbacks, mailoutbox):
    pledge = sign()
    services.pledge_confirm(pledge=pledge)

    with django_capture_on_commit_callbacks(execute=True):
        review.pledge_reject(pledge=pledge, reviewer=reviewer, reason="This is a test entry.")

    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.REJECTED
    assert pledge.review_message == "This is a test entry."
    assert "This is a test entry." in mailoutbox[-1].body
    assert not Pledge.objects.public().exists()


@pytest.mark.parametrize(
    ("decision", "edit", "reason"),
    [
        ("approve", False, "Approved"),
        ("approve", True, "Edits approved"),
        ("reject", False, "Not accepted"),
        ("reject", True, "Edits not accepted"),
    ],
)
def test_decisions_write_only_the_fields_they_change_and_are_still_in_the_history(reviewer, decision, edit, reason):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if edit:
        pledge = approved(reviewer=reviewer)
        services.pledge_edit(pledge=pledge, statement="New words.", actions=["roadmap"], own_actions="")
    else:
        pledge = sign()
        services.pledge_confirm(pledge=pledge)
    before = pledge.history.count()

    with CaptureQueriesContext(connection) as queries:
        if decision == "approve":
            review.pledge_approve(pledge=pledge, reviewer=reviewer)
        else:
            review.pledge_reject(pledge=pledge, reviewer=reviewer, reason="Not this time.")

    table = Pledge._meta.db_table
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(f'UPDATE "{table}"')]
    assert len(updates) == 1
    assert "contact_email" not in updates[0] and "organisation_name" not in updates[0]  # not touched, not rewritten
    assert pledge.history.count() == before + 1
    latest = pledge.history.first()
    assert (latest.history_change_reason, latest.history_user) == (reason, reviewer)


def test_only_waiting_pledges_can_be_decided(reviewer):
    pledge = sign()  # not confirmed yet

    with pytest.raises(services.PledgeStateError):
        review.pledge_approve(pledge=pledge, reviewer=reviewer)
    with pytest.raises(services.PledgeStateError):
        review.pledge_request_changes(pledge=pledge, reviewer=reviewer, message="x")

    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.AWAITING_CONFIRMATION


def test_edits_to_an_approved_pledge_wait_for_review_while_the_published_text_stays(reviewer):
    pledge = approved(reviewer=reviewer)

    services.pledge_edit(pledge=pledge, statement="New words.", actions=["roadmap"], own_actions="Our own step")

    pledge.refresh_from_db()
    assert pledge.is_public and pledge.edit_pending
    assert pledge.statement != "New words." and pledge.pending_statement == "New words."
    assert pledge in Pledge.objects.needing_review()
    assert (
        review_needed_titles(reviewer)[-1] == "Changes to the pledge from Kinloch Firth Council are waiting for review"
    )

    review.pledge_approve(pledge=pledge, reviewer=reviewer)

    pledge.refresh_from_db()
    assert (pledge.statement, pledge.actions, pledge.own_actions) == ("New words.", ["roadmap"], "Our own step")
    assert not pledge.edit_pending


def test_rejecting_an_edit_keeps_the_published_text(reviewer):
    pledge = approved(reviewer=reviewer)
    published = pledge.statement
    services.pledge_edit(pledge=pledge, statement="Unwanted.", actions=[], own_actions="x")

    review.pledge_reject(pledge=pledge, reviewer=reviewer, reason="Please keep to the pledge.")

    pledge.refresh_from_db()
    assert pledge.is_public and pledge.statement == published and not pledge.edit_pending


def test_removal_takes_the_pledge_off_the_register_and_keeps_the_reason_in_history(reviewer):
    pledge = approved(reviewer=reviewer)

    review.pledge_remove(pledge=pledge, reviewer=reviewer, reason="The organisation has closed.")

    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.REMOVED and pledge.removal_reason == "The organisation has closed."
    assert not Pledge.objects.public().exists()
    latest = pledge.history.latest("history_date")
    assert latest.history_change_reason == "Removed from the register"
    assert latest.history_user == reviewer
    assert pledge.history.count() >= 4  # signed, confirmed, approved, removed


def test_withdrawing_removes_at_once_and_cannot_be_repeated():
    pledge = approved()

    services.pledge_withdraw(pledge=pledge)

    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.WITHDRAWN and not Pledge.objects.public().exists()
    with pytest.raises(services.PledgeStateError):
        services.pledge_withdraw(pledge=pledge)


def test_changing_the_contact_tells_both_people(django_capture_on_commit_callbacks, mailoutbox):
    pledge = approved()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_change_contact(pledge=pledge, contact_name="New Person", contact_email="New@Example.org")

    pledge.refresh_from_db()
    assert pledge.contact_email == "new@example.org"
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == ["new@example.org", "sam@kinlochfirth.example.org"]


@pytest.mark.parametrize(
    ("name", "website"),
    [
        ("The Kinloch Firth Council Ltd", "https://other.example.org"),  # same name once normalised
        ("Something Else Entirely", "http://WWW.kinlochfirth.example.org/about"),  # same website domain
    ],
)
def test_a_matching_name_or_website_is_flagged_as_a_possible_duplicate(name, website):
    first = approved()

    second = sign(organisation_name=name, website=website, contact_email="other@example.org")

    assert second.possible_duplicate_of == first


def test_a_different_organisation_is_not_flagged():
    approved()

    other = sign(organisation_name="Bothy Youth Project", website="https://bothy.example.org")

    assert other.possible_duplicate_of is None


def test_two_organisations_of_the_same_name_signing_at_once_both_get_a_slug(monkeypatch):
    first = sign()
    real = services._unique_slug
    calls = []

    def raced(name):
        """The first look happened before the other signing was saved, so it offers the slug now taken."""
        calls.append(name)
        return first.slug if len(calls) == 1 else real(name)

    monkeypatch.setattr(services, "_unique_slug", raced)

    second = sign(contact_email="other@kinlochfirth.example.org")

    assert len(calls) == 2
    assert (first.slug, second.slug) == ("kinloch-firth-council", "kinloch-firth-council-2")
    assert Pledge.objects.count() == 2
    assert [area.slug for area in second.council_areas.all()] == ["fife"]
    assert second.history.count() == 1


def test_normalising_names():
    assert services.normalise_name("The Open Door & Recovery Trust, Ltd.") == "open door recovery trust"
    assert services.website_domain("https://www.Example.org:8443/path") == "example.org"


def test_manage_links_go_only_to_the_contact_and_a_waiting_pledge_gets_its_confirmation_again(
    django_capture_on_commit_callbacks, mailoutbox
):
    live = approved()
    waiting = sign(organisation_name="Other", website="https://other.example.org", contact_email=live.contact_email)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.pledge_send_manage_links(email="SAM@kinlochfirth.example.org")
        nobody = services.pledge_send_manage_links(email="nobody@example.org")

    assert (sent, nobody) == (2, 0)
    bodies = sorted(m.body for m in mailoutbox)
    assert any("/pledge/manage/" in body and live.organisation_name in body for body in bodies)
    assert any("/pledge/confirm/" in body and waiting.organisation_name in body for body in bodies)


def test_progress_updates_are_reviewed_before_they_are_published(reviewer):
    pledge = approved(reviewer=reviewer)

    first = services.update_submit(pledge=pledge, done="Trained 40 staff.", next_steps="Review our letters.")
    second = services.update_submit(pledge=pledge, done="Set up a panel.", next_steps="Recruit with the panel.")

    assert not ProgressUpdate.objects.filter(status=UpdateStatus.APPROVED).exists()
    review.update_approve(update=first, reviewer=reviewer)
    review.update_reject(update=second, reviewer=reviewer, reason="Please leave out people's names.")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (UpdateStatus.APPROVED, UpdateStatus.REJECTED)
    with pytest.raises(services.PledgeStateError):
        review.update_approve(update=second, reviewer=reviewer)


def test_a_pledge_not_yet_on_the_register_cannot_report_progress():
    pledge = sign()

    with pytest.raises(services.PledgeStateError):
        services.update_submit(pledge=pledge, done="x", next_steps="y")
    assert not ProgressUpdate.objects.exists()


def _signed_on(pledge: Pledge, day: datetime.date) -> None:
    Pledge.objects.filter(pk=pledge.pk).update(
        signed_at=datetime.datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)
    )


def test_anniversary_reminders_go_once_a_year_on_or_after_the_anniversary(
    django_capture_on_commit_callbacks, mailoutbox
):
    due = approved()
    not_yet = approved(organisation_name="Later Org", website="https://later.example.org", contact_email="l@e.org")
    this_year = approved(organisation_name="New Org", website="https://new.example.org", contact_email="n@e.org")
    withdrawn = approved(organisation_name="Gone Org", website="https://gone.example.org", contact_email="g@e.org")
    _signed_on(due, datetime.date(2024, 3, 10))
    _signed_on(not_yet, datetime.date(2024, 3, 20))
    _signed_on(this_year, datetime.date(2025, 1, 5))
    _signed_on(withdrawn, datetime.date(2024, 3, 1))
    services.pledge_withdraw(pledge=withdrawn)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = services.send_anniversary_reminders(today=datetime.date(2025, 3, 12))
        again = services.send_anniversary_reminders(today=datetime.date(2025, 3, 13))

    assert (first, again) == (1, 0)
    assert [m.to for m in mailoutbox] == [[due.contact_email]]
    assert mailoutbox[0].subject == "1 year since Kinloch Firth Council signed the pledge: share your progress"
    assert "/pledge/manage/" in mailoutbox[0].body
    due.refresh_from_db()
    assert due.last_reminder_year == 2025


def test_a_pledge_signed_on_29_february_is_reminded_on_28_february(django_capture_on_commit_callbacks, mailoutbox):
    pledge = approved()
    _signed_on(pledge, datetime.date(2024, 2, 29))

    assert services.send_anniversary_reminders(today=datetime.date(2025, 2, 27)) == 0
    assert services.send_anniversary_reminders(today=datetime.date(2025, 2, 28)) == 1


def test_the_beat_task_runs_the_reminders(monkeypatch):
    pledge = approved()
    last_year = timezone.localdate() - datetime.timedelta(days=366)
    _signed_on(pledge, last_year)

    assert tasks.send_anniversary_reminders.delay().get() == 1
    pledge.refresh_from_db()
    assert pledge.last_reminder_year == timezone.localdate().year


def test_the_reminder_is_on_the_beat_schedule(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "pledges.tasks.send_anniversary_reminders" in tasks_scheduled
