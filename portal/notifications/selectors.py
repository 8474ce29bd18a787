from django.db.models import QuerySet
from django.http import Http404

from portal.notifications.models import Notification


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.for_user(user).select_related("event")


def notification_get(*, user, pk: int) -> Notification:
    """A person's own notification; anyone else's answers 'not found', like a missing one."""
    try:
        return Notification.objects.for_user(user).select_related("event").get(pk=pk)
    except Notification.DoesNotExist:
        raise Http404("No such notification.") from None
