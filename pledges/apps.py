from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = "Leadership pledge"

    def ready(self) -> None:
        from pledges.permissions import can_review
        from portal.notifications.registry import Delivery, Kind, register
        from portal.permissions import StaffGroup
        from portal.staff import StaffTool
        from portal.staff import register as register_staff_tool

        register_staff_tool(
            StaffTool(
                url_name="pledges:review-list",
                title="Pledge review queue",
                description="New pledges, changes and progress updates waiting for a decision.",
                allowed=can_review,
            )
        )

        # Pledge contacts have no account: their emails go to a plain address and never appear in the portal.
        for name, label, description, can_opt_out in [
            ("confirm", "Pledge email confirmation", "The link that confirms a new pledge's contact email.", False),
            ("manage_link", "Pledge management link", "A link to change or update a pledge, sent on request.", False),
            ("review_decision", "Pledge review decisions", "What reviewers decided about a pledge or update.", False),
            (
                "contact_changed",
                "Pledge contact changed",
                "Telling the old contact that someone else took over.",
                False,
            ),
            (
                "anniversary",
                "Pledge anniversary reminder",
                "A yearly invitation to share progress on the pledge.",
                True,
            ),
        ]:
            register(
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
        register(
            Kind(
                name="pledges.review_needed",
                label="Pledges waiting for review",
                description="A new pledge, an edit or a progress update is waiting in the pledge review queue.",
                template="pledges/email/review_needed",
                default=Delivery.DIGEST,
                groups=(StaffGroup.IS_ADMINS,),
            )
        )
