"""The notifications API, one module per job; import from here.

- notify.py: `notify()` (the one function apps call) and `queue_rendered_email()` for allauth's emails
- delivery.py: the outbox's hand-over to Celery (two queues, the sweeper, topping the bulk queue up) and its backlog
- sending.py: claim, build once, send over one connection, finish; retry with backoff
- rendering.py: an outbox row into an email, and the portal's layout around emails written elsewhere
- preferences.py: people's choices and unsubscribe links (the only writer of Preference)
- digests.py: daily summaries
- inbox.py: read and seen in the portal
- retention.py: deleting what is done with

Tasks import these services; services reach the tasks only through delivery's _publish_*() functions, which import
them when first used, so there is no import loop.
"""

from portal.notifications.services.delivery import (
    Backlog,
    bulk_queue_depth,
    enqueue_emails,
    enqueue_event,
    event_deliver,
    outbound_email_retry,
    outbox_backlog,
    outbox_oldest_due_age,
    outbox_sweep,
    outbox_top_up,
    tasks_run_in_process,
)
from portal.notifications.services.digests import digests_send
from portal.notifications.services.inbox import notifications_mark_read, notifications_mark_seen
from portal.notifications.services.notify import emails_withheld, notify, queue_rendered_email
from portal.notifications.services.preferences import (
    UNSUBSCRIBE_SALT,
    UnsubscribeLinkExpired,
    address_digest,
    preference_set,
    preferences_set,
    unsubscribe,
    unsubscribe_read,
    unsubscribe_token,
)
from portal.notifications.services.rendering import absolute_url, build_message, render_email, render_layout
from portal.notifications.services.retention import notifications_purge
from portal.notifications.services.sending import (
    SENT_BODY_CLEARED,
    outbound_email_send,
    outbound_emails_send,
    retry_delay,
)

__all__ = [
    "SENT_BODY_CLEARED",
    "UNSUBSCRIBE_SALT",
    "Backlog",
    "UnsubscribeLinkExpired",
    "absolute_url",
    "address_digest",
    "build_message",
    "bulk_queue_depth",
    "digests_send",
    "emails_withheld",
    "enqueue_emails",
    "enqueue_event",
    "event_deliver",
    "notifications_mark_read",
    "notifications_mark_seen",
    "notifications_purge",
    "notify",
    "outbound_email_retry",
    "outbound_email_send",
    "outbound_emails_send",
    "outbox_backlog",
    "outbox_oldest_due_age",
    "outbox_sweep",
    "outbox_top_up",
    "preference_set",
    "preferences_set",
    "queue_rendered_email",
    "render_email",
    "render_layout",
    "retry_delay",
    "tasks_run_in_process",
    "unsubscribe",
    "unsubscribe_read",
    "unsubscribe_token",
]
