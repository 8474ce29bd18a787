"""The outbox under faults, for real: PostgreSQL, a private redis-server, a real Celery worker and an SMTP server.

These need PostgreSQL (DATABASE_URL) and the redis-server binary, as CI has; elsewhere they are skipped, saying so.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from portal.notifications import services
from portal.notifications.models import OutboundEmail
from tests.factories import UserFactory
from tests.support.outbox import FAULT_TEST_MARKS, notify, people, statuses, use_broker
from tests.support.services import SMTPSink, wait_for

pytestmark = FAULT_TEST_MARKS


def assert_each_delivered_once(sink: SMTPSink, expected: int) -> None:
    ids = sink.message_ids()
    assert len(ids) == expected, f"{len(ids)} delivered, expected {expected}"
    assert len(set(ids)) == expected, "an email was delivered twice"
    assert set(ids) == set(OutboundEmail.objects.values_list("message_id", flat=True))
    assert statuses() == {OutboundEmail.Status.SENT: expected}


def test_commit_sends_exactly_once_and_rollback_sends_nothing(broker, sink, start_worker):
    start_worker(broker_url=broker.url, email_url=sink.url)
    users = people(5)
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(users[:2])
        raise RuntimeError("the caller's action failed")
    with transaction.atomic():
        notify(users)
    wait_for(lambda: sink.count() >= 5, timeout=60, what="5 emails in the sink")
    wait_for(lambda: statuses() == {"sent": 5}, timeout=10, what="rows marked sent")
    assert_each_delivered_once(sink, 5)
    assert sorted(m["To"] for m in sink.messages) == sorted(u.email for u in users)
    assert all(m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in sink.messages)


def test_broker_down_at_commit_loses_nothing(broker, sink, start_worker):
    users = people(20)
    broker.stop()
    with transaction.atomic():
        notify(users)  # the person's action succeeds although the broker is down
    assert statuses() == {OutboundEmail.Status.PENDING: 20}
    assert not OutboundEmail.objects.filter(enqueued_at__isnull=False).exists()
    assert services.outbox_sweep() == 0  # still down: nothing handed over, nothing lost

    broker.start()
    use_broker(broker.url)
    start_worker(broker_url=broker.url, email_url=sink.url, concurrency=2)
    assert services.outbox_sweep() == 20
    wait_for(lambda: sink.count() >= 20, timeout=60, what="20 emails in the sink")
    wait_for(lambda: statuses() == {"sent": 20}, timeout=10, what="rows marked sent")
    assert_each_delivered_once(sink, 20)


def test_worker_killed_mid_batch_delivers_each_email_exactly_once(broker, start_worker, settings):
    settings.OUTBOX_SENDING_LEASE_SECONDS = 2
    settings.OUTBOX_REQUEUE_AFTER_SECONDS = 2
    users = people(200)
    with SMTPSink(rcpt_delay=0.03) as sink:
        first = start_worker(broker_url=broker.url, email_url=sink.url, concurrency=1)
        with transaction.atomic():
            notify(users)
        wait_for(lambda: sink.count() >= 40, timeout=90, what="the first 40 emails")
        # Kill while the worker waits on the SMTP server mid-conversation: that email is not yet accepted.
        sink.in_rcpt.clear()
        sink.in_rcpt.wait(timeout=10)
        first.kill()
        delivered_before = sink.count()
        assert delivered_before < 200, "the batch finished before the worker could be killed"
        assert OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING).count() <= 1

        start_worker(broker_url=broker.url, email_url=sink.url, concurrency=2)

        def all_sent() -> bool:
            services.outbox_sweep()
            return statuses() == {"sent": 200}

        wait_for(all_sent, timeout=180, interval=1, what="all 200 emails sent after the restart")
        assert_each_delivered_once(sink, 200)


def test_refusing_mail_server_retries_then_fails_and_an_admin_retry_sends_it(broker, sink, start_worker, client):
    from allauth.mfa.models import Authenticator

    sink.refuse = True
    start_worker(
        broker_url=broker.url,
        email_url=sink.url,
        OUTBOX_MAX_ATTEMPTS="3",
        OUTBOX_RETRY_BASE_SECONDS="0.2",
        OUTBOX_RETRY_MAX_SECONDS="1",
    )
    with transaction.atomic():
        notify(people(1))
    row = OutboundEmail.objects.get()

    def failed_for_good() -> bool:
        services.outbox_sweep()
        row.refresh_from_db()
        return row.status == OutboundEmail.Status.FAILED

    wait_for(failed_for_good, timeout=60, interval=0.3, what="the email to be marked failed")
    assert row.attempts == 3
    assert "451" in row.last_error
    assert sink.count() == 0

    admin = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "set-up-in-tests"})
    client.force_login(admin)
    changelist = reverse("admin:portal_outboundemail_changelist")
    assert row.to_email in client.get(changelist + "?status__exact=failed").content.decode()
    sink.refuse = False
    client.post(changelist, {"action": "retry", "_selected_action": [row.pk]})
    wait_for(lambda: sink.count() == 1, timeout=30, what="the retried email")
    wait_for(lambda: statuses() == {"sent": 1}, timeout=10, what="the row marked sent")
    assert_each_delivered_once(sink, 1)
