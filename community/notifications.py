"""The community's notification kinds (found by portal.notifications.registry.discover).

Replies, mentions and quotes fold per topic, reactions per post (`group_key`): five replies make one line in the bell
and one email. Each member chooses how each kind reaches them on their notification settings page; the weekly digest
is also opt-in on their community profile.

Moderation's kinds follow the members' own.
"""

from portal.notifications.registry import Delivery, Kind, register
from portal.permissions import StaffGroup

REPLY = register(
    Kind(
        name="community.reply",
        label="Replies in community topics you watch",
        description="A new reply in a topic or category you watch. You watch the topics you start; choose others on "
        "each topic's or category's page.",
        template="community/email/reply",
        group_title="{count} new replies in {topic_title}",
        email_delay_seconds=300,  # replies in these five minutes share an email, skipped if you read them first
    )
)
MENTION = register(
    Kind(
        name="community.mention",
        label="Mentions of you in the community",
        description="Someone wrote your @handle in a post.",
        template="community/email/mention",
        group_title="{count} mentions of you in {topic_title}",
        email_delay_seconds=300,
    )
)
QUOTE = register(
    Kind(
        name="community.quote",
        label="Replies quoting your community posts",
        description="Someone replied to one of your posts, quoting it.",
        template="community/email/quote",
        group_title="{count} replies quoting you in {topic_title}",
        email_delay_seconds=300,
    )
)
REACTION = register(
    Kind(
        name="community.reaction",
        label="Reactions to your community posts",
        description="Someone said thanks, helpful or support on one of your posts.",
        template="community/email/reaction",
        default=Delivery.IN_APP,
        group_title="{count} reactions to your post in {topic_title}",
    )
)
WEEKLY_DIGEST = register(
    Kind(
        name="community.weekly_digest",
        label="Weekly email of active community topics",
        description="Once a week, the topics with the most replies. Turn it on in your community profile.",
        template="community/email/weekly_digest",
        in_app=False,
    )
)

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
