"""URLs for e-learning modules, progress, certificates, pathways and My learning (names in the `training` namespace)."""

urlpatterns: list = []
