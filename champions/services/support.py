"""Writes to the confidential one-to-one support log, and the record of who read it.

Nothing here notifies anyone or queues anything: the log never goes into a notification's context or an email."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone

from champions.models import AccessAction, AgreedAction, Champion, SupportLog, SupportLogAccess
from portal.models import User

LOG_FIELDS = ("met_on", "is_person", "topics", "notes", "follow_up_on")


def _date_or_none(value: object) -> datetime.date | None:
    return value if isinstance(value, datetime.date) else None


def support_access_record(
    *, user: User, action: str, champion: Champion | None = None, log: SupportLog | None = None
) -> SupportLogAccess:
    """Write down that `user` read or changed the confidential log. Called on every read, GET included: this is the
    one write a GET makes here, because the issue asks that no read goes unrecorded."""
    return SupportLogAccess.objects.create(
        user=user, action=action, champion=champion or (log.champion if log else None), log=log
    )


@transaction.atomic
def support_log_create(
    *, champion: Champion, data: Mapping[str, object], actions: Iterable[Mapping[str, object]], by: User
) -> SupportLog:
    """A new one-to-one record with its agreed actions (each a mapping of owner, owner_name, text, due_on)."""
    log = SupportLog(champion=champion, created_by=by)
    for name in LOG_FIELDS:
        if name in data:
            setattr(log, name, data[name])
    log.save()
    AgreedAction.objects.bulk_create(
        [
            AgreedAction(
                log=log,
                owner=str(action["owner"]),
                owner_name=str(action.get("owner_name") or ""),
                text=str(action["text"]),
                due_on=_date_or_none(action.get("due_on")),
            )
            for action in actions
            if action.get("text")
        ]
    )
    support_access_record(user=by, action=AccessAction.CREATED, log=log)
    return log


@transaction.atomic
def support_log_update(
    *, log: SupportLog, data: Mapping[str, object], new_actions: Iterable[Mapping[str, object]], by: User
) -> SupportLog:
    for name in LOG_FIELDS:
        if name in data:
            setattr(log, name, data[name])
    log.save()
    for action in new_actions:
        if action.get("text"):
            due = action.get("due_on")
            AgreedAction.objects.create(
                log=log,
                owner=str(action["owner"]),
                owner_name=str(action.get("owner_name") or ""),
                text=str(action["text"]),
                due_on=_date_or_none(due),
            )
    support_access_record(user=by, action=AccessAction.EDITED, log=log)
    return log


@transaction.atomic
def agreed_actions_done(*, log: SupportLog, done_ids: Iterable[int], by: User) -> None:
    """Mark the given actions of `log` done and the rest not done."""
    done = set(done_ids)
    now = timezone.now()
    log.actions.filter(pk__in=done, done_at__isnull=True).update(done_at=now)
    log.actions.exclude(pk__in=done).update(done_at=None)
    support_access_record(user=by, action=AccessAction.EDITED, log=log)


@transaction.atomic
def support_follow_up_done(*, log: SupportLog, by: User) -> SupportLog:
    log.follow_up_done_at = timezone.now()
    log.save(update_fields=["follow_up_done_at", "updated_at"])
    support_access_record(user=by, action=AccessAction.EDITED, log=log)
    return log
