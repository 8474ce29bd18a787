from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        # Imported for what they register: the deployment checks, and receivers that bump the reference data's
        # cache version on every change.
        from portal import checks, member_pages, receivers, user_cache  # noqa: F401
        from portal.cache import personal, prefetch_on_every_request, value_key, version_key
        from portal.notifications import registry
        from portal.notifications.selectors import NOTIFICATIONS_CACHE

        user_cache.connect()

        def personal_keys(user_id: int) -> list[str]:
            # The user row and the header's unread count (portal.notifications.selectors.unread_count).
            mine = personal(NOTIFICATIONS_CACHE, user_id)
            unread = value_key([NOTIFICATIONS_CACHE, mine], f"unread:{user_id}")
            return [*user_cache.prefetch_keys(user_id), *member_pages.prefetch_keys(user_id), version_key(mine), unread]

        prefetch_on_every_request(receivers.REFERENCE, NOTIFICATIONS_CACHE, personal_keys=personal_keys)

        # Every app's notifications.py, the way the admin finds admin.py: an app adds kinds without touching this.
        registry.discover()
        from portal.permissions import has_second_factor, is_admin_account
        from portal.staff import StaffTool, register

        # The admin site lets in staff accounts with two-step verification (portal.middleware); what each can do
        # there follows their groups' model permissions.
        register(
            StaffTool(
                url_name="admin:index",
                title="Admin site",
                description="Every record the portal holds: people, training content, pledges and their history.",
                allowed=lambda user: is_admin_account(user) and has_second_factor(user),
            )
        )
