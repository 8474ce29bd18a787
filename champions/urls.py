from django.urls import path

from champions import views

app_name = "champions"

urlpatterns = [
    path("", views.LandingView.as_view(), name="landing"),
]
