from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path("", views.LandingView.as_view(), name="landing"),
]
