"""URLs for e-learning modules, progress, certificates, pathways and My learning (names in the `training` namespace).

The sign-in receiver that keeps what someone did in a module before signing in is not connected here: it lives in
training/receivers.py and TrainingConfig.ready() connects it.
"""

from django.urls import URLPattern, URLResolver, path

from portal.member_pages import member_page
from training.learning.records import PATHWAY_NAMESPACES
from training.learning.selectors import LEARNING_CACHE, MODULE_NAMESPACES
from training.learning.views import certificates, my_learning, pathways, player

# A step or a pathway page, built for a signed-in learner, is kept for them until the module or pathway, their own
# learning record or their account changes, or they post anything (portal/member_pages.py).
kept_step = member_page(*MODULE_NAMESPACES, personal_namespaces=(LEARNING_CACHE,))
kept_pathway = member_page(*PATHWAY_NAMESPACES, personal_namespaces=(LEARNING_CACHE,))

urlpatterns: list[URLPattern | URLResolver] = [
    path("modules/<slug:slug>/", player.module_start, name="module-start"),
    path("modules/<slug:slug>/steps/<int:step_id>/", kept_step(player.module_step), name="module-step"),
    path("modules/<slug:slug>/steps/<int:step_id>/result/", player.module_step_result, name="module-step-result"),
    path("modules/<slug:slug>/break/", player.module_break, name="module-break"),
    path("modules/<slug:slug>/complete/", player.module_complete, name="module-complete"),
    path("certificates/", certificates.certificate_check, name="certificate-check"),
    path("certificates/<str:code>/", certificates.certificate_verify, name="certificate-verify"),
    path("certificates/<str:code>/download/", certificates.certificate_download, name="certificate-download"),
    path("certificates/<str:code>/name/", certificates.certificate_name, name="certificate-name"),
    path("pathways/", pathways.pathway_list, name="pathway-list"),
    path("pathways/<slug:slug>/", kept_pathway(pathways.pathway_detail), name="pathway-detail"),
    path("resources/<slug:slug>/save/", my_learning.resource_save, name="resource-save"),
    path("resources/<slug:slug>/completed/", my_learning.external_completion, name="external-completion"),
    path("my-learning/", my_learning.my_learning, name="my-learning"),
    path("my-learning/learning-record.csv", my_learning.my_learning_export_csv, name="my-learning-csv"),
    path("my-learning/learning-record.pdf", my_learning.my_learning_export_pdf, name="my-learning-pdf"),
    path("my-learning/reflections/delete/", my_learning.reflections_delete_all, name="reflections-delete"),
    path(
        "my-learning/reflections/<int:reflection_id>/delete/",
        my_learning.reflection_delete,
        name="reflection-delete",
    ),
    path("my-learning/delete/", my_learning.learning_record_delete, name="my-learning-delete"),
]
