# Celery's autodiscovery reads <app>.tasks; the portal's tasks live beside the code they serve.
from portal.notifications.tasks import fan_out, send_daily_digests, send_email, sweep_outbox

__all__ = ["fan_out", "send_daily_digests", "send_email", "sweep_outbox"]
