"""The community's notification kinds (found by portal.notifications.registry.discover).

Moderation's kinds are below; other community work adds its own kinds to this module beside them.
"""

from portal.notifications.registry import Delivery, Kind, register
from portal.permissions import StaffGroup

# --- Moderation -------------------------------------------------------------------------------------------------

MODERATION_NEEDS_SUPPORT = register(
    Kind(
        name="community.moderation_needs_support",
        label="Someone in the community may need support",
        description="A member flagged a post saying its author may need support. Sent at once.",
        template="community/email/moderation_needs_support",
        can_opt_out=False,
        default=Delivery.IMMEDIATE,
        groups=(StaffGroup.MODERATORS,),
    )
)
MODERATION_FLAGS = register(
    Kind(
        name="community.moderation_flags",
        label="Flagged posts waiting for a moderator",
        description="Members flagged posts for the moderators to look at.",
        template="community/email/moderation_flags",
        default=Delivery.DIGEST,
        groups=(StaffGroup.MODERATORS,),
        group_title="{count} flags waiting for a moderator",
    )
)
MODERATION_SUPPORT_OFFERED = register(
    Kind(
        name="community.support_offered",
        label="Support when someone is worried about you",
        description="Places to find support, when another member thinks you might want some.",
        template="community/email/support_offered",
        can_opt_out=False,
        default=Delivery.IN_APP,
    )
)
MODERATION_DECISION = register(
    Kind(
        name="community.moderation_decision",
        label="Moderators' decisions about your posts or membership",
        description="A moderator approved, hid or restored something you wrote, or changed your membership.",
        template="community/email/moderation_decision",
        can_opt_out=False,
        default=Delivery.IMMEDIATE,
    )
)
MODERATION_WAITING = register(
    Kind(
        name="community.moderation_waiting",
        label="Posts and members waiting for approval",
        description="A new member's post or a new member is waiting for a moderator to approve them.",
        template="community/email/moderation_waiting",
        default=Delivery.DIGEST,
        groups=(StaffGroup.MODERATORS,),
        group_title="{count} things waiting for a moderator",
    )
)
