from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.LandingView.as_view(), name="landing"),
]
