"""Reads of notifications and preferences. Outside the notifications package, apps read preferences only here."""

from typing import cast

from django.core.paginator import Page, Paginator
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


PAGE_SIZE = 25


class _FirstPage:
    """What Paginator needs of a list of `total` items of which only the first page is held: its count and slices
    of that page."""

    def __init__(self, total: int, first: list[Notification]) -> None:
        self.total, self.first = total, first

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[Notification]:
        return self.first[index]


def notification_page(*, user: User, number: str | None) -> Page[Notification]:
    """One page of a person's notifications, newest first. The first page (the one the header's link opens) is
    cached with the unread count, until a notification is written, read or purged; other pages are two queries."""
    if number not in (None, "", "1"):
        return Paginator(notification_list(user=user), PAGE_SIZE).get_page(number)

    def build() -> tuple[int, list[Notification]]:
        rows = notification_list(user=user)
        return rows.count(), list(rows[:PAGE_SIZE])

    total, first = cached(
        [NOTIFICATIONS_CACHE, personal(NOTIFICATIONS_CACHE, user.pk)],
        f"first-page:{user.pk}",
        build,
        timeout=PERSONAL_TIMEOUT,
        local=False,
    )
    return Paginator(cast(list[Notification], _FirstPage(total, first)), PAGE_SIZE).get_page(1)


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
