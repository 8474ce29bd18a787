"""The reviewers' decisions: approving, asking for changes to, rejecting and removing pledges, and publishing or
turning down progress updates. Every email about them goes through the outbox."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from pledges.models import Pledge, PledgeStatus, ProgressUpdate, UpdateStatus
from pledges.notifications import PLEDGE_REVIEW_DECISION
from pledges.selectors import REGISTER_CACHE
from pledges.services import PledgeStateError, _set_change_reason, _set_history_user, _tell_contact, manage_path
from portal.cache import bump
from portal.models import User

# --- Pledges ----------------------------------------------------------------------------------------------------


_PENDING_FIELDS = ["edit_pending", "pending_statement", "pending_actions", "pending_own_actions"]


def _audit(pledge: Pledge, reviewer: User | None, reason: str) -> None:
    _set_history_user(pledge, reviewer)
    _set_change_reason(pledge, reason[:100])


@transaction.atomic
def pledge_approve(*, pledge: Pledge, reviewer: User) -> Pledge:
    """Put a new pledge on the register, or publish the edits waiting on an approved one.

    Raises PledgeStateError when there is nothing to approve. Side effects: the contact is told, with a link to the
    organisation's page; the cached register, summary and open data are made stale.
    """
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    now = timezone.now()
    if pledge.status == PledgeStatus.APPROVED and pledge.edit_pending:
        pledge.statement, pledge.actions, pledge.own_actions = (
            pledge.pending_statement,
            pledge.pending_actions,
            pledge.pending_own_actions,
        )
        pledge.edit_pending, pledge.pending_statement, pledge.pending_actions, pledge.pending_own_actions = (
            False,
            "",
            [],
            "",
        )
        what = "Your changes are now on the register."
        _audit(pledge, reviewer, "Edits approved")
        changed = ["statement", "actions", "own_actions", *_PENDING_FIELDS]
    elif pledge.status == PledgeStatus.AWAITING_REVIEW:
        pledge.status = PledgeStatus.APPROVED
        pledge.signed_at = pledge.signed_at or now
        what = "Your organisation is now on the public register of organisations that have signed the pledge."
        _audit(pledge, reviewer, "Approved")
        changed = ["status", "signed_at"]
    else:
        raise PledgeStateError("This pledge is not waiting for review.")
    pledge.review_message = ""
    pledge.save(update_fields=[*changed, "review_message"])  # simple-history still records the whole pledge
    bump(REGISTER_CACHE)
    _tell_contact(
        pledge,
        kind=PLEDGE_REVIEW_DECISION,
        title=f"The pledge for {pledge.organisation_name} is approved",
        url=pledge.get_absolute_url(),
        decision="approved",
        message=what,
    )
    return pledge


@transaction.atomic
def pledge_request_changes(*, pledge: Pledge, reviewer: User, message: str) -> Pledge:
    """Ask the contact to change a pledge (or its waiting edits) before it is published.

    Raises PledgeStateError when nothing is waiting for review. Side effects: the message is emailed to the contact
    with a management link, so they can make the change without an account.
    """
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.status == PledgeStatus.AWAITING_REVIEW:
        pledge.status = PledgeStatus.CHANGES_REQUESTED
    elif not (pledge.status == PledgeStatus.APPROVED and pledge.edit_pending):
        raise PledgeStateError("This pledge is not waiting for review.")
    pledge.review_message = message.strip()
    _audit(pledge, reviewer, "Changes asked for")
    pledge.save(update_fields=["status", "review_message"])
    _tell_contact(
        pledge,
        kind=PLEDGE_REVIEW_DECISION,
        title=f"Please make a change to the pledge for {pledge.organisation_name}",
        url=manage_path(pledge),
        decision="changes",
        message=pledge.review_message,
    )
    return pledge


@transaction.atomic
def pledge_reject(*, pledge: Pledge, reviewer: User, reason: str) -> Pledge:
    """Turn down a new pledge, or the edits waiting on an approved one (the approved text stays published).

    Raises PledgeStateError when nothing is waiting for review. Side effects: the reason is emailed to the contact.
    """
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.status == PledgeStatus.APPROVED and pledge.edit_pending:
        pledge.edit_pending, pledge.pending_statement, pledge.pending_actions, pledge.pending_own_actions = (
            False,
            "",
            [],
            "",
        )
        title = f"Your changes to the pledge for {pledge.organisation_name} were not published"
        _audit(pledge, reviewer, "Edits not accepted")
        changed = _PENDING_FIELDS
    elif pledge.status in {PledgeStatus.AWAITING_REVIEW, PledgeStatus.CHANGES_REQUESTED}:
        pledge.status = PledgeStatus.REJECTED
        title = f"The pledge for {pledge.organisation_name} was not accepted"
        _audit(pledge, reviewer, "Not accepted")
        changed = ["status"]
    else:
        raise PledgeStateError("This pledge is not waiting for review.")
    pledge.review_message = reason.strip()
    pledge.save(update_fields=[*changed, "review_message"])  # simple-history still records the whole pledge
    _tell_contact(
        pledge, kind=PLEDGE_REVIEW_DECISION, title=title, url="", decision="rejected", message=pledge.review_message
    )
    return pledge


@transaction.atomic
def pledge_remove(*, pledge: Pledge, reviewer: User, reason: str) -> Pledge:
    """Take a pledge off the public register, keeping the reason and the pledge itself in the history.

    Raises PledgeStateError unless the pledge is on the register. Side effects: none beyond the history record (and
    the cached register made stale); the team tells the organisation in their own words.
    """
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.status != PledgeStatus.APPROVED:
        raise PledgeStateError("Only a pledge on the register can be removed from it.")
    pledge.status = PledgeStatus.REMOVED
    pledge.removal_reason = reason.strip()
    pledge.removed_at = timezone.now()
    _audit(pledge, reviewer, "Removed from the register")
    pledge.save(update_fields=["status", "removal_reason", "removed_at"])
    bump(REGISTER_CACHE)
    return pledge


# --- Progress updates ------------------------------------------------------------------------------------------


@transaction.atomic
def update_approve(*, update: ProgressUpdate, reviewer: User) -> ProgressUpdate:
    """Publish a progress update on the organisation's page. Side effects: the contact is told; the cached register
    is made stale."""
    update = ProgressUpdate.objects.select_for_update().select_related("pledge").get(pk=update.pk)
    if update.status != UpdateStatus.AWAITING_REVIEW:
        raise PledgeStateError("This update is not waiting for review.")
    update.status, update.published_at, update.review_message = UpdateStatus.APPROVED, timezone.now(), ""
    _set_history_user(update, reviewer)
    update.save()
    bump(REGISTER_CACHE)
    _tell_contact(
        update.pledge,
        kind=PLEDGE_REVIEW_DECISION,
        title=f"The progress update from {update.pledge.organisation_name} is published",
        url=update.pledge.get_absolute_url(),
        decision="approved",
        message="Your progress update is now on your organisation's page.",
    )
    return update


@transaction.atomic
def update_reject(*, update: ProgressUpdate, reviewer: User, reason: str) -> ProgressUpdate:
    """Do not publish a progress update. Side effects: the reason is emailed to the contact with a management link,
    so they can write a new one."""
    update = ProgressUpdate.objects.select_for_update().select_related("pledge").get(pk=update.pk)
    if update.status != UpdateStatus.AWAITING_REVIEW:
        raise PledgeStateError("This update is not waiting for review.")
    update.status, update.review_message = UpdateStatus.REJECTED, reason.strip()
    _set_history_user(update, reviewer)
    update.save()
    _tell_contact(
        update.pledge,
        kind=PLEDGE_REVIEW_DECISION,
        title=f"The progress update from {update.pledge.organisation_name} was not published",
        url=manage_path(update.pledge),
        decision="update_rejected",
        message=update.review_message,
    )
    return update
