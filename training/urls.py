from django.urls import path

from portal.cache import public_page
from training import views
from training.learning.urls import urlpatterns as learning_urlpatterns
from training.selectors import CATALOGUE_CACHE

app_name = "training"
# Pages that are the same for everyone signed out, cached whole until the catalogue changes (portal/cache.py).
public = public_page(CATALOGUE_CACHE, "reference")
# A search or a set of filters is the same for everyone too (signed in, only the header's account links differ, and
# portal.cache fills them in). Each distinct query string is one entry (two: signed out, signed in) that expires after
# portal.cache.PAGE_TIMEOUT, so odd queries cannot pile up (Redis should evict with allkeys-lru).
public_per_query = public_page(CATALOGUE_CACHE, "reference", vary_on_query=True, signed_in=True)

# The catalogue, levels, case studies, events and editors' figures (training/views.py), then e-learning, pathways,
# certificates and "My learning" (training/learning/, via training/learning/urls.py).
urlpatterns = [
    path("", views.landing, name="landing"),
    path("resources/", public_per_query(views.resource_list), name="resource-list"),
    path("resources/figures/", views.resource_figures, name="resource-figures"),
    path("resources/figures.csv", views.resource_figures_csv, name="resource-figures-csv"),
    path("resources/<slug:slug>/", views.resource_detail, name="resource-detail"),
    path("resources/<slug:slug>/document/", views.resource_document, name="resource-document"),
    path("resources/<slug:slug>/image/", views.resource_image, name="resource-image"),
    path("resources/<slug:slug>/feedback/", views.resource_feedback, name="resource-feedback"),
    path("which-level/", views.level_finder, name="level-finder"),
    path("levels/<slug:slug>/", public(views.level_detail), name="level-detail"),
    path("levels/<slug:slug>/follow/", views.level_interest, name="level-interest"),
    path("case-studies/", views.case_study_list, name="case-study-list"),
    path("case-studies/<slug:slug>/", views.case_study_detail, name="case-study-detail"),
    path("events/", views.event_list, name="event-list"),
    path("events/past/", views.event_past, name="event-past"),
    path("events/feed.ics", views.event_feed, name="event-feed"),
    path("events/<slug:slug>/", views.event_detail, name="event-detail"),
    path("events/<slug:slug>/event.ics", views.event_ics, name="event-ics"),
    *learning_urlpatterns,
]
