"""Celery tasks: each takes ids, calls one service and returns. Services reach these only lazily (see services)."""

from celery import shared_task

from portal.notifications import services


@shared_task(acks_late=True, ignore_result=True)
def send_emails(email_ids: list[int]) -> dict[str, int]:
    """Send a batch of outbox rows over one mail-server connection. Safe to run twice: each row is claimed.

    Then, unless the mail server said "later", top the bulk queue up: a worker with capacity asks for more work
    itself, so a backlog drains at the speed the workers send rather than the sweeper's pace. (Not with tasks run
    in-process: the hand-over would send there and then, one batch inside another.)
    """
    outcomes = services.outbound_emails_send(email_ids=email_ids)
    if "busy" not in outcomes and not services.tasks_run_in_process():
        services.outbox_top_up()
    return outcomes


@shared_task(ignore_result=True)
def deliver_event(event_id: int) -> int:
    """One message from the request, batches in the worker: the request stays the same size at any scale."""
    return services.event_deliver(event_id=event_id)


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    return services.outbox_sweep()


@shared_task(ignore_result=True)
def send_daily_digests() -> int:
    return services.digests_send()


@shared_task(ignore_result=True)
def purge_old_notifications() -> dict[str, int]:
    """Beat, daily: sent emails and read notifications older than NOTIFICATIONS_RETENTION_DAYS go."""
    return services.notifications_purge()
