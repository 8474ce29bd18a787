from celery import shared_task

from pledges import services


@shared_task
def send_anniversary_reminders() -> int:
    """Daily (Celery beat): invite a progress update from each pledge on its signing anniversary."""
    return services.send_anniversary_reminders()
