"""Reads of notifications and preferences. Outside the notifications package, apps read preferences only here."""

from django.db.models import QuerySet
from django.http import Http404

from portal.cache import PERSONAL_TIMEOUT, cached, personal
from portal.models import User
from portal.notifications.models import Notification, Preference
from portal.notifications.registry import Delivery, Kind

# Bumped by notify() (which writes for many people in one statement, so it cannot say whose counts changed) and on
# any other change to notifications; the personal namespace ("notifications.<user id>") by marking things read.
NOTIFICATIONS_CACHE = "notifications"


def notification_list(*, user: User) -> QuerySet[Notification]:
    # The event is read for each row's display title (grouped notifications are worded from its context).
    return Notification.objects.for_user(user).select_related("event")


def unread_count(*, user: User) -> int:
    """The number of unread notifications for the header of every page: from the cache until a notification is
    written or read, else one query."""
    return cached(
        [NOTIFICATIONS_CACHE, personal(NOTIFICATIONS_CACHE, user.pk)],
        f"unread:{user.pk}",
        lambda: Notification.objects.for_user(user).unread().count(),
        timeout=PERSONAL_TIMEOUT,
        local=False,
    )


def notification_get(*, user: User, pk: int) -> Notification:
    """A person's own notification; anyone else's answers 'not found', like a missing one."""
    try:
        return Notification.objects.for_user(user).select_related("event").get(pk=pk)
    except Notification.DoesNotExist:
        raise Http404("No such notification.") from None


def preference_get(*, user_id: int, kind: Kind) -> Delivery:
    """How this person hears about this kind: their choice, or the kind's default if they never chose."""
    chosen = Preference.objects.filter(user_id=user_id, kind=kind.name).values_list("delivery", flat=True).first()
    return Delivery(chosen) if chosen else kind.default


def preferences_chosen(*, user_id: int) -> dict[str, Delivery]:
    """The choices a person made, by kind name; kinds they never chose about are absent."""
    return {
        name: Delivery(delivery)
        for name, delivery in Preference.objects.filter(user_id=user_id).values_list("kind", "delivery")
    }
