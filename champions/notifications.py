"""The champions network's notification kinds (found by portal.notifications.registry.discover).

Nothing from the confidential one-to-one support log ever goes into a notification's context or an email."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.notifications.registry import Delivery, Kind, register
from portal.permissions import StaffGroup

if TYPE_CHECKING:
    from portal.permissions import Person


def is_champion(user: Person) -> bool:
    """Offered on the preferences page only to people these kinds can reach: champions whose account is linked to
    their record (and who have not stepped down). Others get them, if ever, at the address on a record."""
    from champions.permissions import champion_of  # the permissions read models, which load after this module

    return champion_of(user) is not None


# Sent to the address on the champion's record, who may not have an account yet: never shown in the portal, and
# not something to turn off (it is the only way in).
INVITATION = register(
    Kind(
        name="champions.invitation",
        label="Trauma champion invitation",
        description="The link that connects a trauma champion to their record in the portal.",
        template="champions/email/invitation",
        can_opt_out=False,
        default=Delivery.IMMEDIATE,
        in_app=False,
        for_addresses=True,
    )
)

# The IS admins' operational messages (champions.services.messaging and reminders). Each goes to a champion's
# account when the record is linked (so their choices on the preferences page apply), otherwise to the address on
# the record (which can unsubscribe in one click, like a pledge contact).

# Composed in the portal for a cohort or a chosen set of champions: news and invitations from the network, so people
# may turn them off.
MESSAGE = register(
    Kind(
        name="champions.message",
        label="Messages from the trauma champions network",
        description="Emails the Improvement Service writes to champions: news, events and invitations.",
        template="champions/email/message",
        default=Delivery.IMMEDIATE,
        audience=is_champion,
    )
)
# About a session the champion is booked on: a service message, not marketing. People may still choose not to get
# it (choice is one of the network's own principles); it is never sent twice for the same session and moment.
SESSION_REMINDER = register(
    Kind(
        name="champions.session_reminder",
        label="Reminders of your champions' sessions",
        description="A reminder two days before an action learning session you are booked on, and on the morning.",
        template="champions/email/session_reminder",
        default=Delivery.IMMEDIATE,
        audience=is_champion,
    )
)
# To the Improvement Service person who owns a one-to-one support record. The context is empty on purpose: the
# email says only that a follow-up is due and links to the record, which they open signed in.
FOLLOW_UP_DUE = register(
    Kind(
        name="champions.follow_up_due",
        label="One-to-one follow-ups due",
        description="A follow-up you agreed with a trauma champion is due.",
        template="champions/email/follow_up_due",
        default=Delivery.IMMEDIATE,
        groups=(StaffGroup.IS_ADMINS,),
    )
)
