"""The pledge register's notification kinds (found by portal.notifications.registry.discover)."""

from portal.notifications.registry import Delivery, Kind, register
from portal.permissions import StaffGroup


def _for_contact(name: str, label: str, description: str, *, can_opt_out: bool = False) -> Kind:
    # Pledge contacts have no account: their emails go to a plain address and never appear in the portal.
    return register(
        Kind(
            name=f"pledges.{name}",
            label=label,
            description=description,
            template=f"pledges/email/{name}",
            can_opt_out=can_opt_out,
            default=Delivery.IMMEDIATE,
            in_app=False,
            for_addresses=True,
        )
    )


PLEDGE_CONFIRM = _for_contact(
    "confirm", "Pledge email confirmation", "The link that confirms a new pledge's contact email."
)
PLEDGE_MANAGE_LINK = _for_contact(
    "manage_link", "Pledge management link", "A link to change or update a pledge, sent on request."
)
PLEDGE_REVIEW_DECISION = _for_contact(
    "review_decision", "Pledge review decisions", "What reviewers decided about a pledge or update."
)
PLEDGE_CONTACT_CHANGED = _for_contact(
    "contact_changed", "Pledge contact changed", "Telling the old contact that someone else took over."
)
PLEDGE_ANNIVERSARY = _for_contact(
    "anniversary",
    "Pledge anniversary reminder",
    "A yearly invitation to share progress on the pledge.",
    can_opt_out=True,
)
PLEDGE_REVIEW_NEEDED = register(
    Kind(
        name="pledges.review_needed",
        label="Pledges waiting for review",
        description="A new pledge, an edit or a progress update is waiting in the pledge review queue.",
        template="pledges/email/review_needed",
        default=Delivery.DIGEST,
        groups=(StaffGroup.IS_ADMINS,),
    )
)
