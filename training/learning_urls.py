"""URLs for e-learning modules, progress, certificates, pathways and My learning (names in the `training` namespace).

The sign-in receiver that keeps what someone did in a module before signing in is not connected here: it lives in
training/receivers.py and TrainingConfig.ready() connects it.
"""

from django.urls import path

from training import learning_views as views

urlpatterns: list = [
    path("modules/<slug:slug>/", views.module_start, name="module-start"),
    path("modules/<slug:slug>/steps/<int:step_id>/", views.module_step, name="module-step"),
    path("modules/<slug:slug>/steps/<int:step_id>/result/", views.module_step_result, name="module-step-result"),
    path("modules/<slug:slug>/break/", views.module_break, name="module-break"),
    path("modules/<slug:slug>/complete/", views.module_complete, name="module-complete"),
    path("certificates/", views.certificate_check, name="certificate-check"),
    path("certificates/<str:code>/", views.certificate_verify, name="certificate-verify"),
    path("certificates/<str:code>/download/", views.certificate_download, name="certificate-download"),
    path("certificates/<str:code>/name/", views.certificate_name, name="certificate-name"),
    path("pathways/", views.pathway_list, name="pathway-list"),
    path("pathways/<slug:slug>/", views.pathway_detail, name="pathway-detail"),
    path("resources/<slug:slug>/save/", views.resource_save, name="resource-save"),
    path("resources/<slug:slug>/completed/", views.external_completion, name="external-completion"),
    path("my-learning/", views.my_learning, name="my-learning"),
    path("my-learning/learning-record.csv", views.my_learning_export_csv, name="my-learning-csv"),
    path("my-learning/learning-record.pdf", views.my_learning_export_pdf, name="my-learning-pdf"),
    path("my-learning/reflections/delete/", views.reflections_delete_all, name="reflections-delete"),
    path("my-learning/reflections/<int:reflection_id>/delete/", views.reflection_delete, name="reflection-delete"),
    path("my-learning/delete/", views.learning_record_delete, name="my-learning-delete"),
]
