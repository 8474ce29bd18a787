"""Inviting a champion to link their account to their record, and accepting the invitation."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from champions import tokens
from champions.models import Champion, ChampionStatus
from champions.notifications import INVITATION
from champions.services._history import set_change_reason, set_history_user
from champions.services.cohort_groups import champion_groups_sync
from portal.models import User
from portal.notifications.services import notify


class InvitationError(Exception):
    """The invitation cannot be sent or accepted; the message says why, kindly."""


class InvitationForAnotherAddress(InvitationError):
    """The signed-in account has not confirmed the address the invitation was sent to. `sent_to` is that address,
    partly masked, for the page that explains what to do."""

    def __init__(self, sent_to: str) -> None:
        super().__init__("This invitation was sent to another email address.")
        self.sent_to = sent_to


def mask_address(address: str) -> str:
    """Enough of an address for its owner to recognise it, not enough to read it: "mo•••@fife.example.org"."""
    local, _, domain = address.partition("@")
    shown = local[:2] if len(local) > 3 else local[:1]
    return f"{shown}•••@{domain}"


def holds_address(user: User, address: str) -> bool:
    """Whether `user` has confirmed `address` (any of their addresses, whatever its case)."""
    return bool(EmailAddress.objects.filter(user=user, verified=True, email__iexact=address.strip()).exists())


def invitation_check_account(*, champion: Champion, user: User) -> None:
    """The invitation is for whoever holds its address, not for whoever holds the link: raises
    InvitationForAnotherAddress unless `user` has confirmed the address it was sent to."""
    if not holds_address(user, champion.email):
        raise InvitationForAnotherAddress(mask_address(champion.email))


def invitation_path(champion: Champion) -> str:
    return reverse("champions:invitation-accept", kwargs={"token": tokens.make_token(champion)})


@transaction.atomic
def champion_invite(*, champion: Champion, by: User) -> Champion:
    """Email the champion a link (through the outbox) that links an account to the record. A new invitation ends
    any earlier one. Raises InvitationError if the record is already linked or the champion has stepped down."""
    champion = Champion.objects.select_for_update().get(pk=champion.pk)
    if champion.user_id is not None:
        raise InvitationError("This champion's record is already linked to an account.")
    if champion.status == ChampionStatus.STEPPED_DOWN:
        raise InvitationError("This champion has stepped down. Change their status first to invite them again.")
    champion.invitation_version = F("invitation_version") + 1
    champion.invited_at = timezone.now()
    champion.invited_by = by
    set_history_user(champion, by)
    set_change_reason(champion, "Invitation sent")
    champion.save()
    champion.refresh_from_db()
    notify(
        recipients=[champion.email],
        kind=INVITATION,
        title="Your place in the trauma champions network",
        context={"name": champion.name},
        subject_object=champion,
        url=invitation_path(champion),
    )
    return champion


def invitation_read(token: str) -> Champion:
    """The champion a link is for. Raises tokens.LinkExpired, tokens.LinkInvalid or tokens.LinkSuperseded."""
    claims = tokens.read_token(token)
    champion = Champion.objects.filter(pk=claims.champion_id).first()
    if champion is None:
        raise tokens.LinkInvalid
    if not claims.is_current_for(champion) or champion.user_id is not None:
        raise tokens.LinkSuperseded
    return champion


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Champion:
    """Link `user`'s account to the record the link is for; the link stops working. Only an account that has
    confirmed the address the invitation was sent to may connect (a forwarded or leaked link is no use to anyone
    else). Raises the token errors of invitation_read, InvitationForAnotherAddress, or InvitationError if the
    account is already linked to another champion's record."""
    champion = invitation_read(token)
    champion = Champion.objects.select_for_update().get(pk=champion.pk)
    if not tokens.read_token(token).is_current_for(champion) or champion.user_id is not None:
        raise tokens.LinkSuperseded
    invitation_check_account(champion=champion, user=user)
    if Champion.objects.filter(user=user).exclude(pk=champion.pk).exists():
        raise InvitationError("Your account is already linked to a champion's record. Sign in with another account.")
    champion.user = user
    champion.invitation_accepted_at = timezone.now()
    champion.invitation_version = F("invitation_version") + 1
    set_history_user(champion, user)
    set_change_reason(champion, "Invitation accepted")
    champion.save()
    champion.refresh_from_db()
    champion_groups_sync(champion=champion)
    return champion
