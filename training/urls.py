from django.urls import path

from training import views
from training.learning_urls import urlpatterns as learning_urlpatterns

app_name = "training"

# The catalogue, levels, case studies, events and editors' figures (training/views.py), then e-learning, pathways,
# certificates and "My learning" (training/learning_views.py, via training/learning_urls.py).
urlpatterns = [
    path("", views.LandingView.as_view(), name="landing"),
    *learning_urlpatterns,
]
