from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"

    def ready(self) -> None:
        from community import receivers
        from portal.services import account_deleting

        account_deleting.connect(receivers.account_deleting, dispatch_uid="community.account_deleting")
        receivers.connect()
