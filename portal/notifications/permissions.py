"""Who may open which notification. Views ask this, nothing else.

A notification is its recipient's alone: staff see none of anyone else's here (the admin has its own rules).
"""

from portal.models import User
from portal.notifications import selectors
from portal.notifications.models import Notification


def notification_get_for_user(*, pk: int, user: User) -> Notification:
    """The person's own notification. Someone else's answers "not found", exactly like a missing one."""
    return selectors.notification_get(user=user, pk=pk)
