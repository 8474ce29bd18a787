"""Emails to a cohort or a filtered set of champions through the outbox, with a record of who was sent what; session
reminders two days before and on the morning, each sent once; follow-up reminders with nothing confidential."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from champions.models import Message, MessageRecipient, Session, SupportLog
from champions.notifications import FOLLOW_UP_DUE, MESSAGE, SESSION_REMINDER
from champions.services import messaging, people, programme, reminders
from portal.models import CouncilArea
from portal.notifications.models import EmailSuppression, Event, OutboundEmail
from portal.notifications.registry import Delivery
from portal.notifications.services import preference_set
from tests.champions.helpers import make_champion, make_cohort, make_session, make_support_log
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort_of_four(is_admin):
    """A cohort with a linked champion, two by address only, and one who stepped down; one outsider in Angus."""
    linked = make_champion(by=is_admin, name="Linked", user=UserFactory(email="linked.account@example.org"))
    plain = make_champion(by=is_admin, name="Plain")
    suppressed = make_champion(by=is_admin, name="Suppressed")
    gone = make_champion(by=is_admin, name="Gone")
    people.champion_change_status(champion=gone, status="stepped_down", since=timezone.localdate(), by=is_admin)
    make_champion(by=is_admin, name="Outsider", areas=("angus",))
    cohort = make_cohort(members=[linked, plain, suppressed, gone], name="Tayside set")
    return {"cohort": cohort, "linked": linked, "plain": plain, "suppressed": suppressed, "gone": gone}


def test_a_message_to_a_cohort_is_recorded_and_sent_through_the_outbox(
    is_admin, cohort_of_four, django_capture_on_commit_callbacks, mailoutbox
):
    EmailSuppression.objects.create(email=cohort_of_four["suppressed"].email, kind=MESSAGE.name)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        message = messaging.message_send(
            subject="Our next gathering",
            body="Hello all,\n\n**Save the date**: <script>x</script>",
            cohort=cohort_of_four["cohort"],
            filters={},
            by=is_admin,
        )

    recipients = {r.champion.name: r for r in message.recipients.select_related("outbound_email", "champion")}
    assert set(recipients) == {"Linked", "Plain", "Suppressed"}  # never the champion who stepped down
    assert recipients["Linked"].email == "linked.account@example.org"
    assert recipients["Suppressed"].outbound_email is None  # they unsubscribed: recorded, not emailed
    assert recipients["Plain"].outbound_email.status == OutboundEmail.Status.SENT
    assert sorted(m.to[0] for m in mailoutbox) == sorted(["linked.account@example.org", cohort_of_four["plain"].email])
    email = mailoutbox[0]
    assert email.subject == "Our next gathering"
    html = email.alternatives[0][0]
    assert "<strong>Save the date</strong>" in html and "<script>" not in html
    assert "Stop these emails" in email.body  # not a service message: people can turn it off
    assert message.audience == "Members of Tayside set" and message.body_html.count("<strong>") == 1


def test_a_message_respects_a_champions_preference(
    is_admin, cohort_of_four, django_capture_on_commit_callbacks, mailoutbox
):
    preference_set(user_id=cohort_of_four["linked"].user_id, kind=MESSAGE, delivery=Delivery.OFF)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        message = messaging.message_send(
            subject="News", body="Words.", cohort=cohort_of_four["cohort"], filters={}, by=is_admin
        )

    assert "linked.account@example.org" not in [m.to[0] for m in mailoutbox]
    assert message.recipients.get(champion=cohort_of_four["linked"]).outbound_email is None


def test_filters_choose_active_champions_by_area(is_admin, cohort_of_four):
    audience = messaging.audience_for(cohort=None, filters={"area": "angus"})
    assert [c.name for c in audience.champions] == ["Outsider"]
    assert audience.words == f"Active champions covering {CouncilArea.objects.get(slug='angus').name}"
    everyone = messaging.audience_for(cohort=None, filters={})
    assert "Gone" not in {c.name for c in everyone.champions} and everyone.words.endswith("across the network")


def test_nobody_matching_sends_nothing(is_admin):
    with pytest.raises(messaging.MessageError):
        messaging.message_send(subject="x", body="y", cohort=None, filters={"area": "orkney-islands"}, by=is_admin)
    assert not Message.objects.exists() and not Event.objects.exists()


def test_compose_preview_send_in_the_portal(client, is_admin, cohort_of_four, django_capture_on_commit_callbacks):
    client.force_login(is_admin)
    url = reverse("champions:admin-message-compose")
    data = {"cohort": cohort_of_four["cohort"].pk, "subject": "Hello", "body": "A *short* note.", "status": "active"}

    assert client.get(url).status_code == 200
    empty = client.post(url, {"action": "preview"})
    assert empty.status_code == 400 and "<title>Error: Write an email" in empty.content.decode()
    preview = client.post(url, {**data, "action": "preview"})
    text = preview.content.decode()
    assert "Members of Tayside set: <strong>3 champions</strong>" in text and "<em>short</em>" in text
    assert 'value="send"' in text and not Message.objects.exists()  # a preview sends nothing
    changing = client.post(url, {**data, "action": "change"})
    assert changing.status_code == 200 and "A *short* note." in changing.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {**data, "action": "send"})

    message = Message.objects.get()
    assert sent["Location"] == reverse("champions:admin-message-detail", args=[message.pk])
    detail = client.get(sent["Location"]).content.decode()
    assert "Sent" in detail and cohort_of_four["plain"].email in detail
    assert MessageRecipient.objects.filter(message=message).count() == 3


def test_a_cohort_and_filters_together_are_refused_kindly(client, is_admin, cohort_of_four):
    client.force_login(is_admin)
    response = client.post(
        reverse("champions:admin-message-compose"),
        {"cohort": cohort_of_four["cohort"].pk, "area": "fife", "subject": "x", "body": "y", "action": "send"},
    )
    assert response.status_code == 400 and "Choose a cohort or filters, not both" in response.content.decode()
    assert not Message.objects.exists()


# --- Session reminders ---------------------------------------------------------------------------------------


def _session_on(cohort, starts: datetime.datetime) -> Session:
    return programme.session_save(
        cohort=cohort,
        session=None,
        data={
            "theme": "Safe spaces",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=2),
            "venue": "Perth Concert Hall",
        },
    )


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_session_reminders_go_two_days_before_and_on_the_morning_once_each(
    is_admin, cohort_of_four, django_capture_on_commit_callbacks, mailoutbox
):
    today = timezone.localdate()
    session = _session_on(cohort_of_four["cohort"], _at(today + datetime.timedelta(days=2), 14))
    far = _session_on(cohort_of_four["cohort"], _at(today + datetime.timedelta(days=9), 14))
    cancelled = _session_on(cohort_of_four["cohort"], _at(today + datetime.timedelta(days=2), 10))
    programme.session_cancel(session=cancelled)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        early = reminders.session_reminders_send(now=_at(today, 9))
        again = reminders.session_reminders_send(now=_at(today, 9) + datetime.timedelta(minutes=15))
    assert (early, again) == (1, 0)
    assert len(mailoutbox) == 3  # linked, plain and suppressed (not unsubscribed from reminders); never "Gone"
    assert mailoutbox[0].subject.startswith("Coming up on ") and "Safe spaces" in mailoutbox[0].subject

    mailoutbox.clear()
    day = today + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        too_early = reminders.session_reminders_send(now=_at(day, 6))
        morning = reminders.session_reminders_send(now=_at(day, 7))
        twice = reminders.session_reminders_send(now=_at(day, 8))
    assert (too_early, morning, twice) == (0, 1, 0)
    assert {m.subject for m in mailoutbox} == {"Today: Safe spaces"}
    session.refresh_from_db()
    far.refresh_from_db()
    assert session.reminder_day_sent_at and far.reminder_early_sent_at is None
    assert Event.objects.filter(kind=SESSION_REMINDER.name).count() == 2


def test_a_session_added_for_tomorrow_gets_one_early_reminder_and_a_morning_one(
    is_admin, cohort_of_four, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    session = _session_on(cohort_of_four["cohort"], _at(today + datetime.timedelta(days=1), 10))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.session_reminders_send(now=_at(today, 16)) == 1
        assert reminders.session_reminders_send(now=_at(today + datetime.timedelta(days=1), 7)) == 1
        assert reminders.session_reminders_send(now=_at(today + datetime.timedelta(days=1), 11)) == 0
    session.refresh_from_db()
    assert session.reminder_early_sent_at and session.reminder_day_sent_at


def test_a_reminder_claimed_elsewhere_is_not_sent_again(is_admin, cohort_of_four):
    session = make_session(cohort=cohort_of_four["cohort"], days=2)
    Session.objects.filter(pk=session.pk).update(reminder_early_sent_at=timezone.now())
    assert reminders.session_remind(session=session, which=reminders.EARLY) is False
    assert not Event.objects.filter(kind=SESSION_REMINDER.name).exists()


# --- Follow-up reminders -------------------------------------------------------------------------------------


def test_follow_up_reminders_go_once_to_the_owner_with_nothing_confidential(
    is_admin, django_capture_on_commit_callbacks, mailoutbox
):
    champion = make_champion(by=is_admin, name="Private Person")
    due = make_support_log(champion=champion, by=is_admin)
    SupportLog.objects.filter(pk=due.pk).update(follow_up_on=timezone.localdate())
    make_support_log(champion=champion, by=is_admin)  # not due for a fortnight
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = reminders.follow_up_reminders_send()
        again = reminders.follow_up_reminders_send()

    assert (first, again) == (1, 0)
    event = Event.objects.get(kind=FOLLOW_UP_DUE.name)
    assert event.context == {} and event.url == reverse("champions:admin-support-detail", args=[due.pk])
    assert [m.to for m in mailoutbox] == [[is_admin.email]]
    email = mailoutbox[0]
    everything = email.subject + email.body + email.alternatives[0][0]
    assert email.subject == "A follow-up is due"
    assert "Confidential worries" not in everything and "Private Person" not in everything
    assert "Talk to the chief executive" not in everything
