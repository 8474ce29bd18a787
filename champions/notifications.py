"""The champions network's notification kinds (found by portal.notifications.registry.discover).

Nothing from the confidential one-to-one support log ever goes into a notification's context or an email."""

from portal.notifications.registry import Delivery, Kind, register

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
