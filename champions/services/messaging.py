"""Emails the Improvement Service composes in the portal for a cohort or a filtered set of champions, sent through
the notification outbox, with a record of who was sent what (Message, MessageRecipient).

A champion whose record is linked to an account gets it as a portal member (their choices on the preferences page
apply, and it shows in their notifications); any other champion gets it at the address on their record, which can
unsubscribe in one click. Stepped-down champions are never included.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from champions.models import Champion, ChampionStatus, Cohort, Message, MessageRecipient, OrganisationType
from champions.notifications import MESSAGE
from portal.markdown import render_markdown
from portal.models import CouncilArea, HealthAndSocialCarePartnership, HealthBoard, User
from portal.notifications.models import OutboundEmail
from portal.notifications.services import notify

FILTER_NAMES = ("area", "board", "hscp", "organisation_type", "status")


class MessageError(Exception):
    """The message cannot be sent as it is; the message says why, and nothing was sent."""


@dataclass(frozen=True)
class Audience:
    """Who a message goes to: the champions, and the same in words for the record."""

    champions: QuerySet[Champion]
    words: str
    filters: dict[str, str]


def audience_for(*, cohort: Cohort | None, filters: Mapping[str, str]) -> Audience:
    """A cohort's current members, or the champions matching the filters (slugs of a council area, NHS board and
    partnership, an organisation type, and "active" or "current" for active and on leave). Never stepped down."""
    rows = Champion.objects.exclude(status=ChampionStatus.STEPPED_DOWN)
    if cohort is not None:
        rows = rows.filter(memberships__cohort=cohort, memberships__left_on__isnull=True)
        if filters.get("status", ChampionStatus.ACTIVE) != "current":
            rows = rows.filter(status=ChampionStatus.ACTIVE)
        return Audience(champions=rows.distinct(), words=f"Members of {cohort.name}", filters={})
    chosen = {name: str(filters.get(name) or "") for name in FILTER_NAMES if filters.get(name)}
    words = []
    if chosen.get("status") == "current":
        words.append("Active champions and those on leave")
    else:
        rows = rows.filter(status=ChampionStatus.ACTIVE)
        words.append("Active champions")
    if chosen.get("area"):
        rows = rows.filter(council_areas__slug=chosen["area"])
        words.append(f"covering {_name(CouncilArea, chosen['area'])}")
    if chosen.get("board"):
        rows = rows.filter(health_board__slug=chosen["board"])
        words.append(f"in {_name(HealthBoard, chosen['board'])}")
    if chosen.get("hscp"):
        rows = rows.filter(partnership__slug=chosen["hscp"])
        words.append(f"in {_name(HealthAndSocialCarePartnership, chosen['hscp'])}")
    if chosen.get("organisation_type"):
        rows = rows.filter(organisation_type=chosen["organisation_type"])
        label = dict(OrganisationType.choices).get(chosen["organisation_type"], chosen["organisation_type"])
        words.append(f"from a {label[0].lower()}{label[1:]}")
    if len(words) == 1:
        words.append("across the network")
    return Audience(champions=rows.distinct(), words=" ".join(words), filters=chosen)


def _name(model: type[CouncilArea] | type[HealthBoard] | type[HealthAndSocialCarePartnership], slug: str) -> str:
    found = model.objects.filter(slug=slug).values_list("name", flat=True).first()
    return found or slug


def message_send(*, subject: str, body: str, cohort: Cohort | None, filters: Mapping[str, str], by: User) -> Message:
    """Compose and send: one Message, one MessageRecipient per champion with the address it went to and its outbox
    row, and one notification event (two set-based writes in the outbox whatever the number of champions). The
    Markdown is rendered (and sanitised) once, here. Raises MessageError when nobody matches."""
    audience = audience_for(cohort=cohort, filters=filters)
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise MessageError("Give the message a subject and some words.")
    with transaction.atomic():
        champions = list(audience.champions.select_related("user").order_by("name", "pk"))
        if not champions:
            raise MessageError("No champions match who you chose, so nothing was sent. Try a wider choice.")
        now = timezone.now()
        body_html = str(render_markdown(body))
        message = Message.objects.create(
            subject=subject,
            body=body,
            body_html=body_html,
            cohort=cohort,
            audience=audience.words[:300],
            filters=audience.filters,
            sent_by=by,
            created_at=now,
            sent_at=now,
        )
        event = notify(
            recipients=[champion.user if champion.user is not None else champion.email for champion in champions],
            kind=MESSAGE,
            title=subject,
            context={"subject": subject, "body_text": body, "body_html": body_html},
            subject_object=message,
            url=reverse("champions:space"),
        )
        by_user: dict[int, int] = {}
        by_address: dict[str, int] = {}
        for pk, user_id, address in OutboundEmail.objects.filter(event=event).values_list(
            "pk", "recipient_id", "to_email"
        ):
            if user_id is not None:
                by_user[user_id] = pk
            else:
                by_address[address.lower()] = pk
        MessageRecipient.objects.bulk_create(
            [
                MessageRecipient(
                    message=message,
                    champion=champion,
                    email=champion.user.email if champion.user_id and champion.user else champion.email,
                    outbound_email_id=(
                        by_user.get(champion.user_id) if champion.user_id else by_address.get(champion.email.lower())
                    ),
                )
                for champion in champions
            ]
        )
    return message
