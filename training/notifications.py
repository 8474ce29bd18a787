"""Training's notification kinds (found by portal.notifications.registry.discover)."""

from portal.notifications.registry import Delivery, Kind, register

# Opt-in: nobody hears about new resources unless they chose a level on its page and turned this on.
NEW_RESOURCE = register(
    Kind(
        name="training.new_resource",
        label="New training resources",
        description="A new resource at a practice level you follow. Choose levels on each level's page.",
        template="training/email/new_resource",
        default=Delivery.OFF,
    )
)
