from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"

    def ready(self) -> None:
        from portal.cache import personal, prefetch_on_every_request, value_key, version_key
        from portal.staff import StaffTool
        from portal.staff import register as register_staff_tool
        from training import receivers  # noqa: F401 - connects the sign-in, publishing and catalogue receivers
        from training.learning.records import PATHWAYS_CACHE
        from training.learning.selectors import LEARNING_CACHE, MODULE_NAMESPACES
        from training.permissions import can_see_figures

        # Read in each request's first round trip to the cache (portal.cache.prefetch).
        prefetch_on_every_request(
            *MODULE_NAMESPACES,
            PATHWAYS_CACHE,
            # The learner's version, and their small map of progress marks (records.learning_marks).
            personal_keys=lambda user_id: [
                version_key(personal(LEARNING_CACHE, user_id)),
                value_key(personal(LEARNING_CACHE, user_id), "marks"),
            ],
        )

        register_staff_tool(
            StaffTool(
                url_name="training:resource-figures",
                title="Editors' figures",
                description="Views, starts, completions and feedback for each training resource.",
                allowed=can_see_figures,
            )
        )
