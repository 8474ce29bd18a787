"""Every write to a pledge and its progress updates, and every email about them (through the outbox). The reviewers'
decisions are in pledges/review.py."""

from __future__ import annotations

import datetime
import re
import unicodedata
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from pledges import tokens
from pledges.models import Pledge, PledgeStatus, ProgressUpdate
from pledges.notifications import (
    PLEDGE_ANNIVERSARY,
    PLEDGE_CONFIRM,
    PLEDGE_CONTACT_CHANGED,
    PLEDGE_MANAGE_LINK,
    PLEDGE_REVIEW_NEEDED,
)
from pledges.permissions import reviewers
from pledges.selectors import REGISTER_CACHE
from portal.cache import bump
from portal.models import CouncilArea, Sector, User
from portal.notifications.registry import Kind
from portal.notifications.services import notify

# Words that do not tell organisations apart, so "The Example Trust Ltd" matches "Example Trust".
_NAME_NOISE = {"the", "ltd", "limited", "plc", "llp", "scio", "cic", "and"}


class PledgeStateError(Exception):
    """The pledge is not in a state where this can happen (already confirmed, withdrawn, and so on)."""


# --- History ----------------------------------------------------------------------------------------------------
# simple-history reads two attributes off an instance when its next save() writes the history record: `_change_reason`
# becomes history_change_reason and `_history_user` becomes history_user (without it, the signed-in user of the
# current request, through simple-history's middleware). They are neither fields nor declared on the models, so
# these helpers set them, typed, in one place.


def _set_change_reason(instance: Model, reason: str) -> None:
    setattr(instance, "_change_reason", reason)  # noqa: B010 (not a declared attribute: see above)


def _set_history_user(instance: Model, user: User | None) -> None:
    setattr(instance, "_history_user", user)  # noqa: B010 (not a declared attribute: see above)


# --- Duplicates -------------------------------------------------------------------------------------------------


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace("&", " and ")
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(word for word in words if word not in _NAME_NOISE)


def website_domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def find_possible_duplicate(*, organisation_name: str, website: str, exclude_pk: int | None = None) -> Pledge | None:
    """An earlier pledge with the same normalised name or website domain, preferring one on the register."""
    name, domain = normalise_name(organisation_name), website_domain(website)
    match = Q(normalised_name=name) if name else Q(pk__in=[])
    if domain:
        match |= Q(website_domain=domain)
    candidates = Pledge.objects.filter(match).exclude(status__in=[PledgeStatus.WITHDRAWN, PledgeStatus.REJECTED])
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    on_register = candidates.filter(status=PledgeStatus.APPROVED).order_by("signed_at").first()
    return on_register or candidates.order_by("created_at").first()


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, n = base, 2
    while Pledge.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


SLUG_ATTEMPTS = 5


def _save_with_unique_slug(pledge: Pledge, name: str) -> None:
    """Save a new pledge under a free slug. Two organisations of the same name signing at once can both find a slug
    free, and the second save then breaks the unique constraint: each try runs in a savepoint and picks again."""
    for attempt in range(SLUG_ATTEMPTS):
        pledge.slug = _unique_slug(name)
        try:
            with transaction.atomic():
                pledge.save()
        except IntegrityError:
            if attempt == SLUG_ATTEMPTS - 1 or not Pledge.objects.filter(slug=pledge.slug).exists():
                raise  # not a slug clash, or still clashing after every try
            pledge.pk = None
        else:
            return


# --- Links and emails -------------------------------------------------------------------------------------------


def confirm_path(pledge: Pledge) -> str:
    return reverse(
        "pledges:pledge-confirm", kwargs={"token": tokens.make_token(pledge=pledge, salt=tokens.CONFIRM_SALT)}
    )


def manage_path(pledge: Pledge) -> str:
    return reverse("pledges:manage", kwargs={"token": tokens.make_token(pledge=pledge, salt=tokens.MANAGE_SALT)})


def _tell_contact(pledge: Pledge, *, kind: Kind, title: str, url: str, **context: object) -> None:
    notify(
        recipients=[pledge.contact_email],
        kind=kind,
        title=title,
        context={"organisation": pledge.organisation_name, "contact_name": pledge.contact_name, **context},
        subject_object=pledge,
        url=url,
    )


def _tell_reviewers(pledge: Pledge, *, title: str) -> None:
    notify(
        recipients=reviewers(),
        kind=PLEDGE_REVIEW_NEEDED,
        title=title,
        context={"organisation": pledge.organisation_name},
        subject_object=pledge,
        url=reverse("pledges:review-detail", kwargs={"pk": pledge.pk}),
    )


# --- Signing ----------------------------------------------------------------------------------------------------


@transaction.atomic
def pledge_sign(
    *,
    organisation_name: str,
    organisation_type: str,
    sector: Sector,
    council_areas: list[CouncilArea],
    scotland_wide: bool,
    website: str,
    size_band: str,
    statement: str,
    actions: list[str],
    own_actions: str,
    leader_name: str,
    leader_role: str,
    contact_name: str,
    contact_email: str,
    logo: ContentFile[bytes] | None = None,
) -> Pledge:
    """Record a new pledge, waiting for its contact to confirm their email address.

    Rule: nothing is public until the contact confirms and a reviewer approves. A pledge whose normalised name or
    website domain matches an earlier one is flagged for reviewers (never refused: names are shared by accident).
    Side effects: a confirmation email with a signed link, valid for a week, to the contact through the outbox.
    """
    pledge = Pledge(
        organisation_name=organisation_name.strip(),
        normalised_name=normalise_name(organisation_name),
        organisation_type=organisation_type,
        sector=sector,
        scotland_wide=scotland_wide,
        website=website,
        website_domain=website_domain(website),
        size_band=size_band,
        statement=statement.strip(),
        actions=list(actions),
        own_actions=own_actions.strip(),
        leader_name=leader_name.strip(),
        leader_role=leader_role.strip(),
        leader_confirmed=True,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip().lower(),
        possible_duplicate_of=find_possible_duplicate(organisation_name=organisation_name, website=website),
    )
    if logo is not None:
        if logo.name is None:
            raise ValueError("The logo has no file name (portal.uploads.clean_image names it).")
        pledge.logo.save(logo.name, logo, save=False)
    _set_change_reason(pledge, "Signed")
    _save_with_unique_slug(pledge, organisation_name)
    pledge.council_areas.set(council_areas)
    _tell_contact(
        pledge,
        kind=PLEDGE_CONFIRM,
        title=f"Confirm the pledge for {pledge.organisation_name}",
        url=confirm_path(pledge),
    )
    return pledge


@transaction.atomic
def pledge_confirm(*, pledge: Pledge) -> bool:
    """The contact followed the confirmation link: the pledge now waits for review. Returns whether it changed.

    Rule: only a pledge waiting for confirmation changes. Following the link again (it lasts 7 days) changes nothing
    and returns False; the caller must then not hand out a management link, which is deliberately short-lived and
    is asked for separately. Side effects: reviewers are told in the portal.
    """
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.status != PledgeStatus.AWAITING_CONFIRMATION:
        return False
    pledge.status = PledgeStatus.AWAITING_REVIEW
    pledge.confirmed_at = timezone.now()
    _set_change_reason(pledge, "Email confirmed")
    pledge.save(update_fields=["status", "confirmed_at"])
    _tell_reviewers(pledge, title=f"A pledge from {pledge.organisation_name} is waiting for review")
    return True


@transaction.atomic
def pledge_resend_confirmation(*, pledge: Pledge) -> None:
    if pledge.status != PledgeStatus.AWAITING_CONFIRMATION:
        raise PledgeStateError("This pledge is already confirmed.")
    _tell_contact(
        pledge,
        kind=PLEDGE_CONFIRM,
        title=f"Confirm the pledge for {pledge.organisation_name}",
        url=confirm_path(pledge),
    )


# --- The contact's own changes ---------------------------------------------------------------------------------


@transaction.atomic
def pledge_edit(*, pledge: Pledge, statement: str, actions: list[str], own_actions: str) -> Pledge:
    """Change the public statement and actions. Public text is always reviewed before it is published.

    On an approved pledge the edit waits beside the published text, which stays on the register. A pledge not yet
    published goes (back) to the review queue with its new text. Raises PledgeStateError for closed pledges.
    Side effects: reviewers are told in the portal when an approved pledge's edit, or a pledge whose changes were
    asked for, is waiting for them.
    """
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    statement, own_actions = statement.strip(), own_actions.strip()
    review_title = ""
    if pledge.status == PledgeStatus.APPROVED:
        pledge.edit_pending = True
        pledge.pending_statement, pledge.pending_actions, pledge.pending_own_actions = statement, actions, own_actions
        review_title = f"Changes to the pledge from {pledge.organisation_name} are waiting for review"
    elif pledge.status in {
        PledgeStatus.AWAITING_CONFIRMATION,
        PledgeStatus.AWAITING_REVIEW,
        PledgeStatus.CHANGES_REQUESTED,
    }:
        pledge.statement, pledge.actions, pledge.own_actions = statement, actions, own_actions
        if pledge.status == PledgeStatus.CHANGES_REQUESTED:
            pledge.status = PledgeStatus.AWAITING_REVIEW
            review_title = f"The pledge from {pledge.organisation_name} is changed and waiting for review again"
    else:
        raise PledgeStateError("This pledge can no longer be changed.")
    _set_change_reason(pledge, "Edited by the contact")
    pledge.save()
    if review_title:
        _tell_reviewers(pledge, title=review_title)
    return pledge


@transaction.atomic
def pledge_change_contact(*, pledge: Pledge, contact_name: str, contact_email: str) -> Pledge:
    """Hand the pledge to a new contact. Every link sent before stops working at once, and stays dead even if the
    contact is changed back later: the pledge's link_version goes up and each link names the version it was made for.

    Side effects: the new contact gets a management link; the old one is told the pledge has a new contact.
    """
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if not pledge.is_active:
        raise PledgeStateError("This pledge can no longer be changed.")
    old_email = pledge.contact_email
    pledge.contact_name, pledge.contact_email = contact_name.strip(), contact_email.strip().lower()
    pledge.link_version += 1
    _set_change_reason(pledge, "Contact changed")
    pledge.save(update_fields=["contact_name", "contact_email", "link_version"])
    _tell_contact(
        pledge,
        kind=PLEDGE_MANAGE_LINK,
        title=f"You are now the contact for the pledge of {pledge.organisation_name}",
        url=manage_path(pledge),
        new_contact=True,
    )
    if old_email != pledge.contact_email:
        notify(
            recipients=[old_email],
            kind=PLEDGE_CONTACT_CHANGED,
            title=f"The pledge for {pledge.organisation_name} has a new contact",
            context={"organisation": pledge.organisation_name, "new_contact_name": pledge.contact_name},
            subject_object=pledge,
        )
    return pledge


@transaction.atomic
def pledge_withdraw(*, pledge: Pledge) -> Pledge:
    """The organisation withdraws: off the register at once (the cached register is made stale), kept in the admin
    history. Cannot be undone here."""
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if not pledge.is_active:
        raise PledgeStateError("This pledge is already closed.")
    pledge.status = PledgeStatus.WITHDRAWN
    pledge.removed_at = timezone.now()
    _set_change_reason(pledge, "Withdrawn by the contact")
    pledge.save(update_fields=["status", "removed_at"])
    bump(REGISTER_CACHE)
    return pledge


@transaction.atomic
def pledge_send_manage_links(*, email: str) -> int:
    """Email a management link for every open pledge this address is the contact for; returns how many.

    The caller says the same thing whatever the count, so nobody learns which addresses have pledged. A pledge still
    waiting for its email confirmation gets a new confirmation link instead.
    """
    sent = 0
    for pledge in Pledge.objects.filter(contact_email=email.strip().lower()).order_by("pk"):
        if not pledge.is_active:
            continue
        if pledge.status == PledgeStatus.AWAITING_CONFIRMATION:
            pledge_resend_confirmation(pledge=pledge)
        else:
            _tell_contact(
                pledge,
                kind=PLEDGE_MANAGE_LINK,
                title=f"Your link to manage the pledge for {pledge.organisation_name}",
                url=manage_path(pledge),
                new_contact=False,
            )
        sent += 1
    return sent


# --- Progress updates ------------------------------------------------------------------------------------------


@transaction.atomic
def update_submit(*, pledge: Pledge, done: str, next_steps: str) -> ProgressUpdate:
    """A progress update from the contact, waiting for review. Only a pledge on the register can report progress.

    Side effects: reviewers are told in the portal.
    """
    if pledge.status != PledgeStatus.APPROVED:
        raise PledgeStateError("Progress updates can be shared once the pledge is on the register.")
    update = ProgressUpdate.objects.create(pledge=pledge, done=done.strip(), next_steps=next_steps.strip())
    notify(
        recipients=reviewers(),
        kind=PLEDGE_REVIEW_NEEDED,
        title=f"A progress update from {pledge.organisation_name} is waiting for review",
        context={"organisation": pledge.organisation_name},
        subject_object=update,
        url=reverse("pledges:review-update", kwargs={"pk": update.pk}),
    )
    return update


# --- Yearly reminders ------------------------------------------------------------------------------------------


def send_anniversary_reminders(*, today: datetime.date | None = None) -> int:
    """On each pledge's signing anniversary, invite a progress update. Returns how many reminders were sent.

    Rule: once a year per pledge (last_reminder_year), from the first anniversary, only for pledges on the register.
    A pledge signed on 29 February is reminded on 28 February in other years. Missed days (beat down) catch up: any
    pledge whose anniversary this year has passed and who was not reminded this year is reminded.
    Side effects: one email per pledge through the outbox, each in its own transaction.
    """
    today = today or timezone.localdate()
    sent = 0
    due = (
        Pledge.objects.public()
        .filter(signed_at__date__lt=datetime.date(today.year, 1, 1))
        .exclude(last_reminder_year=today.year)
        .only("pk", "signed_at")
    )
    for candidate in due:
        signed = timezone.localtime(candidate.signed_at).date()
        try:
            anniversary = signed.replace(year=today.year)
        except ValueError:  # 29 February
            anniversary = datetime.date(today.year, 2, 28)
        if anniversary > today:
            continue
        with transaction.atomic():
            pledge = Pledge.objects.select_for_update().get(pk=candidate.pk)
            if pledge.last_reminder_year == today.year or pledge.status != PledgeStatus.APPROVED:
                continue
            pledge.last_reminder_year = today.year
            _set_change_reason(pledge, "Anniversary reminder sent")
            pledge.save(update_fields=["last_reminder_year"])
            _tell_contact(
                pledge,
                kind=PLEDGE_ANNIVERSARY,
                title=f"{today.year - signed.year} year(s) since {pledge.organisation_name} signed the pledge",
                url=manage_path(pledge),
                years=today.year - signed.year,
            )
            sent += 1
    return sent
