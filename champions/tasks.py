from celery import shared_task

from champions.services import reminders


@shared_task
def send_session_reminders() -> int:
    """Every quarter of an hour (Celery beat): session reminders due now, each sent once."""
    return reminders.session_reminders_send()


@shared_task
def send_follow_up_reminders() -> int:
    """Daily (Celery beat): tell IS owners of one-to-one records that a follow-up is due, once per record."""
    return reminders.follow_up_reminders_send()
