"""The notifications API the apps lean on: kinds as registered objects, grouping repeats into one line and one
email, and retention. The outbox's delivery rules are in test_notifications.py."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pledges.notifications import PLEDGE_CONFIRM, PLEDGE_REVIEW_NEEDED
from portal.notifications import registry, services
from portal.notifications.kinds import ANNOUNCEMENT
from portal.notifications.models import Event, Notification, OutboundEmail
from portal.notifications.registry import Delivery, Kind
from tests.factories import UserFactory
from training.notifications import NEW_RESOURCE

REPLY = registry.register(
    Kind(
        name="tests.grouped_reply",
        label="Grouped replies in tests",
        description="Someone replied in a topic you follow.",
        template="portal/email/announcement",
        group_title="{count} new replies in {topic_title}",
    )
)
# Held five minutes, as a forum's reply kind would be: replies in that time fold into one email.
HELD_REPLY = registry.register(
    Kind(
        name="tests.held_grouped_reply",
        label="Held grouped replies in tests",
        description="Someone replied in a topic you follow.",
        template="portal/email/announcement",
        group_title="{count} new replies in {topic_title}",
        email_delay_seconds=300,
    )
)


def reply(recipients, n: int, *, kind: Kind = REPLY, topic: int = 123, **kwargs):
    return services.notify(
        recipients=recipients,
        kind=kind,
        title=f"New reply in Welcome from person {n}",
        context={"topic_title": "Welcome", "headline": f"Reply {n} in Welcome", "message": f"Reply number {n}."},
        url=f"/community/topics/{topic}/#reply-{n}",
        group_key=f"topic:{topic}",
        **kwargs,
    )


# --- Kinds are objects, declared in each app's notifications.py ---------------------------------------------------


def test_each_apps_kinds_are_registered_by_discovery_as_the_objects_code_imports():
    assert registry.get("pledges.confirm") is PLEDGE_CONFIRM
    assert registry.get("pledges.review_needed") is PLEDGE_REVIEW_NEEDED
    assert registry.get("training.new_resource") is NEW_RESOURCE
    assert registry.get("portal.announcement") is ANNOUNCEMENT


@pytest.mark.django_db
def test_notify_refuses_a_kind_name_or_an_unregistered_kind():
    user = UserFactory()
    with pytest.raises(TypeError):
        services.notify(recipients=[user], kind="tests.grouped_reply", title="x")
    stray = Kind(name="tests.never_registered", label="x", description="x", template="portal/email/announcement")
    with pytest.raises(LookupError):
        services.notify(recipients=[user], kind=stray, title="x")
    with pytest.raises(ValueError):
        services.notify(recipients=["a@example.org"], kind=PLEDGE_CONFIRM, title="x", group_key="pledge:1")
    assert not Event.objects.exists()


def test_no_code_names_a_kind_by_string():
    """Kinds travel as objects; a "pledges.confirm" string in a call would bypass the registry's checks."""
    root = Path(settings.BASE_DIR)
    offenders = []
    for app in ("portal", "training", "pledges", "community", "champions"):
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if re.search(r"\bkinds?=[\"'][a-z_]+\.[a-z_]+[\"']", line):
                    offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []


# --- Grouping -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_five_replies_with_one_key_are_one_line_in_the_bell_and_one_email(client):
    """Each reply commits on its own, as in the forum; the email is held long enough for the later ones to fold in."""
    user = UserFactory()
    for n in range(1, 6):
        with transaction.atomic():
            reply([user], n, kind=HELD_REPLY)

    note = Notification.objects.get()
    assert note.count == 5 and note.read_at is None
    assert note.display_title == "5 new replies in Welcome"
    assert note.event.url == "/community/topics/123/#reply-5"  # the link goes to the latest

    client.force_login(user)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "5 new replies in Welcome" in html
    assert '1<span class="visually-hidden"> unread' in html

    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.PENDING and email.notification_id == note.pk
    OutboundEmail.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    assert services.outbox_sweep() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reply 5 in Welcome"
    assert "Reply number 5." in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_replies_in_one_transaction_fold_into_one_email_sent_straight_away():
    user = UserFactory()
    with transaction.atomic():
        for n in range(1, 6):
            reply([user], n)
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT
    assert Notification.objects.get().count == 5


@pytest.mark.django_db(transaction=True)
def test_an_email_already_sent_is_not_folded_into_so_later_news_is_told():
    user = UserFactory()
    reply([user], 1)
    reply([user], 2)
    assert len(mail.outbox) == 2
    assert Notification.objects.get().count == 2


@pytest.mark.django_db
def test_news_arriving_while_its_email_is_being_sent_never_makes_a_second_unsent_email():
    """One unsent email per notification: a send that then fails goes back to pending without meeting a twin."""
    user = UserFactory()
    reply([user], 1, kind=HELD_REPLY)
    OutboundEmail.objects.update(status=OutboundEmail.Status.SENDING, claimed_at=timezone.now() - timedelta(days=1))
    reply([user], 2, kind=HELD_REPLY)
    email = OutboundEmail.objects.get()
    assert email.event_id == Notification.objects.get().event_id  # a retry would send the latest
    services.outbox_sweep()  # the lease has run out: back to pending, and sent (tasks run in-process here)
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Reply 2 in Welcome"


@pytest.mark.django_db
def test_a_failed_grouped_email_is_not_retried_when_a_newer_one_carries_the_news():
    user = UserFactory()
    reply([user], 1, kind=HELD_REPLY)
    OutboundEmail.objects.update(status=OutboundEmail.Status.FAILED)
    reply([user], 2, kind=HELD_REPLY)
    failed, newer = OutboundEmail.objects.order_by("pk")
    assert newer.status == OutboundEmail.Status.PENDING
    assert services.outbound_email_retry(email_ids=[failed.pk]) == 0
    failed.refresh_from_db()
    assert failed.status == OutboundEmail.Status.FAILED


@pytest.mark.django_db
def test_grouping_keeps_keys_people_and_read_notifications_apart():
    reader, other = UserFactory.create_batch(2)
    reply([reader, other], 1)
    reply([reader], 2, topic=456)
    services.notifications_mark_read(user=reader)
    reply([reader, other], 3)

    assert Notification.objects.filter(recipient=other).get().count == 2
    rows = Notification.objects.filter(recipient=reader).order_by("pk")
    # Read notifications keep what the person saw; the new reply starts a fresh unread line.
    assert [(n.group_key, n.count, n.read_at is None) for n in rows] == [
        ("topic:123", 1, False),
        ("topic:456", 1, False),
        ("topic:123", 1, True),
    ]


@pytest.mark.django_db
def test_a_person_who_turned_the_kind_off_gets_nothing_folded_or_new():
    user = UserFactory()
    reply([user], 1)
    services.preference_set(user_id=user.pk, kind=REPLY, delivery=Delivery.OFF)
    reply([user], 2)
    assert Notification.objects.get().count == 1


@pytest.mark.django_db(transaction=True)
def test_grouped_replies_are_one_line_of_the_daily_summary():
    user = UserFactory()
    services.preference_set(user_id=user.pk, kind=REPLY, delivery=Delivery.DIGEST)
    for n in range(1, 6):
        reply([user], n)
    services.notify(recipients=[user], kind=REPLY, title="Something else", context={"topic_title": "Other"})
    assert mail.outbox == []
    assert services.digests_send() == 1
    body = mail.outbox[0].body
    assert body.count("5 new replies in Welcome") == 1 and "Something else" in body
    assert mail.outbox[0].subject == "Your daily summary: 6 new things in the portal"


@pytest.mark.django_db
def test_grouping_stays_set_based_whatever_the_number_of_recipients(django_assert_max_num_queries):
    """Guards against per-recipient queries when folding: 30 people cost what one does, and what an ungrouped
    notify() costs (test_notifications.py allows it 8)."""
    users = UserFactory.create_batch(30)
    reply(users, 1)
    with django_assert_max_num_queries(8):
        reply(users, 2)
    assert set(Notification.objects.values_list("count", flat=True)) == {2}
    assert Notification.objects.count() == 30


@pytest.mark.django_db
def test_a_recipients_query_that_names_a_person_twice_still_folds_once():
    from portal.models import User

    user = UserFactory(groups=["IS admins", "Content editors"])
    twice = User.objects.filter(groups__name__in=["IS admins", "Content editors"])
    assert twice.count() == 2
    reply(twice, 1)
    reply(twice, 2)
    assert Notification.objects.get(recipient=user).count == 2


def test_a_group_title_that_names_a_missing_key_still_reads_sensibly():
    assert REPLY.title_for(title="New reply", count=3, context={}) == "New reply (and 2 more)"
    assert REPLY.title_for(title="New reply", count=1, context={}) == "New reply"


# --- Retention ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_retention_deletes_what_is_done_with_and_old_in_batches_and_keeps_the_rest():
    user = UserFactory()
    old = timezone.now() - timedelta(days=settings.NOTIFICATIONS_RETENTION_DAYS + 1)
    recent = timezone.now() - timedelta(days=1)

    def email(status, when):
        return OutboundEmail.objects.create(kind=REPLY.name, to_email="a@example.org", status=status, due_at=when)

    doomed_emails = [email(OutboundEmail.Status.SENT, old) for _ in range(3)] + [
        email(OutboundEmail.Status.SKIPPED, old)
    ]
    kept_emails = [
        email(OutboundEmail.Status.PENDING, old),
        email(OutboundEmail.Status.FAILED, old),
        email(OutboundEmail.Status.SENT, recent),
    ]
    event = Event.objects.create(kind=REPLY.name, created_at=old)
    orphan = Event.objects.create(kind=REPLY.name, created_at=old)

    def note(read_at, created_at):
        return Notification.objects.create(
            recipient=user, event=event, kind=REPLY.name, title="x", read_at=read_at, created_at=created_at
        )

    doomed_notes = [note(old, old) for _ in range(3)]
    kept_notes = [note(None, old), note(recent, recent)]

    with CaptureQueriesContext(connection) as queries:
        deleted = services.notifications_purge(batch_size=2)

    assert deleted == {"emails": 4, "notifications": 3, "events": 1}
    assert set(OutboundEmail.objects.values_list("pk", flat=True)) == {e.pk for e in kept_emails}
    assert set(Notification.objects.values_list("pk", flat=True)) == {n.pk for n in kept_notes}
    assert not Event.objects.filter(pk=orphan.pk).exists() and Event.objects.filter(pk=event.pk).exists()
    assert not OutboundEmail.objects.filter(pk__in=[e.pk for e in doomed_emails]).exists()
    assert not Notification.objects.filter(pk__in=[n.pk for n in doomed_notes]).exists()
    table = f'"{OutboundEmail._meta.db_table}"'
    outbox_deletes = [
        sql
        for sql in (q["sql"] for q in queries.captured_queries)
        if sql.startswith("DELETE FROM " + table) and table + '."id" IN' in sql  # noqa: S608 - reading, not running
    ]
    assert len(outbox_deletes) == 2  # four rows, two ids per statement


def test_retention_runs_nightly_and_defaults_to_ninety_days():
    from portal.settings import CELERY_BEAT_SCHEDULE

    assert settings.NOTIFICATIONS_RETENTION_DAYS == 90
    tasks = {entry["task"] for entry in CELERY_BEAT_SCHEDULE.values()}
    assert "portal.notifications.tasks.purge_old_notifications" in tasks


@pytest.mark.django_db
def test_emails_withheld_tells_people_in_the_portal_and_writes_no_email():
    user = UserFactory()
    with services.emails_withheld():
        reply([user], 1)
        reply([user, "someone@example.org"], 2, topic=456)
    assert Notification.objects.filter(recipient=user).count() == 2
    assert not OutboundEmail.objects.exists()
    reply([user], 3, topic=789)  # outside the block, emails are written again
    assert OutboundEmail.objects.filter(recipient=user).count() == 1
