# Celery's autodiscovery reads <app>.tasks; the portal's tasks live beside the code they serve.
from portal.notifications.tasks import (
    deliver_event,
    purge_old_notifications,
    send_daily_digests,
    send_emails,
    sweep_outbox,
)

__all__ = ["deliver_event", "purge_old_notifications", "send_daily_digests", "send_emails", "sweep_outbox"]
