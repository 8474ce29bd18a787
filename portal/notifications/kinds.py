"""The portal's own notification kinds. Other apps declare theirs in `<app>/notifications.py` (see registry)."""

from portal.notifications.registry import Delivery, Kind, register

ACCOUNT_SECURITY = register(
    Kind(
        name="account.security",
        label="Account and security",
        description="Verifying your email address, resetting your password and changes to how you sign in.",
        template="portal/email/account_security",
        can_opt_out=False,
        in_app=False,
    )
)

DIGEST = register(
    Kind(
        name="portal.digest",
        label="Daily summary",
        description="One email a day listing what happened, for the things you chose to hear about in a summary.",
        template="portal/email/digest",
        can_opt_out=False,
        in_app=False,
    )
)

ANNOUNCEMENT = register(
    Kind(
        name="portal.announcement",
        label="News from the portal team",
        description="New tools and changes to the portal, announced before they happen.",
        template="portal/email/announcement",
        # Email is opt-in: news shows in the portal until a person chooses to get it by email.
        default=Delivery.IN_APP,
    )
)
