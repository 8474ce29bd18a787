"""Notifications: the one way the portal tells people things, in the portal and by email.

Apps call `portal.notifications.services.notify(...)` inside their own transaction. It writes in-app notifications and
outbound email rows beside the caller's data; delivery happens after commit through Celery, and a sweeper on beat
re-enqueues anything a broker outage or a killed worker left behind. See docs/notifications.md.
"""
