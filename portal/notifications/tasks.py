from celery import shared_task

from portal.notifications import services


@shared_task(acks_late=True, ignore_result=True)
def send_email(email_id: int) -> str:
    return services.outbound_email_send(email_id=email_id)


@shared_task(ignore_result=True)
def fan_out(email_ids: list[int]) -> int:
    """One message from the request, many in the worker: the caller's request stays the same size at any scale."""
    for email_id in email_ids:
        send_email.delay(email_id)
    return len(email_ids)


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    return services.outbox_sweep()


@shared_task(ignore_result=True)
def send_daily_digests() -> int:
    return services.digests_send()
