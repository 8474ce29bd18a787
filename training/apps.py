from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"

    def ready(self) -> None:
        from training import receivers  # noqa: F401 - connects the sign-in and publishing receivers
