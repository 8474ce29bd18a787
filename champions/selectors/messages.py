"""Reads about the emails the Improvement Service composed for champions, and who each went to."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from champions.models import Champion, Message, MessageRecipient
from champions.selectors.paging import Page, keyset_page

MESSAGE_PAGE_SIZE = 50
RECIPIENT_PAGE_SIZE = 100
PREVIEW_NAMES = 50


def message_list(*, cursor: str | None = None, size: int = MESSAGE_PAGE_SIZE) -> Page[Message]:
    """Sent messages, newest first, with who sent each and how many champions it went to: one query a page."""
    rows = Message.objects.select_related("sent_by", "cohort").annotate(recipient_count=Count("recipients"))
    return keyset_page(rows, field="id", kind="int", descending=True, cursor=cursor, size=size)


def message_detail(pk: int) -> Message:
    return get_object_or_404(
        Message.objects.select_related("sent_by", "cohort").annotate(recipient_count=Count("recipients")), pk=pk
    )


def message_recipients(
    message: Message, *, cursor: str | None = None, size: int = RECIPIENT_PAGE_SIZE
) -> Page[MessageRecipient]:
    """Who a message went to, with each email's state in the outbox: one query a page."""
    rows = MessageRecipient.objects.filter(message=message).select_related("champion", "outbound_email")
    return keyset_page(rows, field="id", kind="int", descending=False, cursor=cursor, size=size)


def audience_preview(champions: QuerySet[Champion], *, limit: int = PREVIEW_NAMES) -> tuple[list[Champion], int]:
    """The first names a message would go to, and how many in all: two queries."""
    names = list(champions.only("pk", "name", "organisation_name", "user_id").order_by("name", "pk")[:limit])
    return names, champions.count()
