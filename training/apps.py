from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"

    def ready(self) -> None:
        from portal.notifications.registry import Delivery, Kind, register
        from training import receivers  # noqa: F401 - connects the sign-in receiver

        # Opt-in: nobody hears about new resources unless they chose a level on its page and turned this on.
        register(
            Kind(
                name="training.new_resource",
                label="New training resources",
                description="A new resource at a practice level you follow. Choose levels on each level's page.",
                template="training/email/new_resource",
                default=Delivery.OFF,
            )
        )
