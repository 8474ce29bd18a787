from django.urls import path

from pledges import views
from pledges.selectors import REGISTER_AND_REFERENCE
from portal.cache import public_page

app_name = "pledges"
# Pages that are the same for everyone signed out, cached whole until the register changes (portal/cache.py).
public = public_page(*REGISTER_AND_REFERENCE)

urlpatterns = [
    path("", public(views.LandingView.as_view()), name="landing"),
    path("sign/", views.PledgeSignView.as_view(), name="pledge-sign"),
    path("sign/check-your-email/", views.PledgeSentView.as_view(), name="pledge-sent"),
    path("confirm/<str:token>/", views.PledgeConfirmView.as_view(), name="pledge-confirm"),
    path("register/", public(views.RegisterListView.as_view()), name="register-list"),
    path("register/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("register/<slug:slug>/logo/", views.OrganisationLogoView.as_view(), name="organisation-logo"),
    path("open-data/", public(views.OpenDataView.as_view()), name="open-data"),
    # Not cached whole: the answer varies with Accept-Encoding, and the views serve cached bytes already.
    path("open-data/register.csv", views.RegisterCsvView.as_view(), name="register-csv"),
    path("open-data/register.json", views.RegisterJsonView.as_view(), name="register-json"),
    path("feed/", views.NewSignatoriesFeed(), name="register-feed"),
    path("summary/", public(views.SummaryView.as_view()), name="summary"),
    path("manage/", views.ManageRequestView.as_view(), name="manage-request"),
    path("manage/<str:token>/", views.ManageView.as_view(), name="manage"),
    path("manage/<str:token>/edit/", views.ManageEditView.as_view(), name="manage-edit"),
    path("manage/<str:token>/update/", views.ManageUpdateView.as_view(), name="manage-update"),
    path("manage/<str:token>/contact/", views.ManageContactView.as_view(), name="manage-contact"),
    path("manage/<str:token>/withdraw/", views.ManageWithdrawView.as_view(), name="manage-withdraw"),
    path("review/", views.ReviewQueueView.as_view(), name="review-list"),
    path("review/<int:pk>/", views.ReviewDetailView.as_view(), name="review-detail"),
    path("review/<int:pk>/logo/", views.ReviewLogoView.as_view(), name="review-logo"),
    path("review/<int:pk>/remove/", views.ReviewRemoveView.as_view(), name="review-remove"),
    path("review/updates/<int:pk>/", views.ReviewUpdateView.as_view(), name="review-update"),
]
