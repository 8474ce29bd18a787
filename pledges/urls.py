from django.urls import path

from pledges import views

app_name = "pledges"

urlpatterns = [
    path("", views.LandingView.as_view(), name="landing"),
    path("sign/", views.PledgeSignView.as_view(), name="pledge-sign"),
    path("sign/check-your-email/", views.PledgeSentView.as_view(), name="pledge-sent"),
    path("confirm/<str:token>/", views.PledgeConfirmView.as_view(), name="pledge-confirm"),
    path("register/", views.RegisterListView.as_view(), name="register-list"),
    path("register/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("register/<slug:slug>/logo/", views.OrganisationLogoView.as_view(), name="organisation-logo"),
    path("open-data/", views.OpenDataView.as_view(), name="open-data"),
    path("open-data/register.csv", views.RegisterCsvView.as_view(), name="register-csv"),
    path("open-data/register.json", views.RegisterJsonView.as_view(), name="register-json"),
    path("feed/", views.NewSignatoriesFeed(), name="register-feed"),
    path("summary/", views.SummaryView.as_view(), name="summary"),
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
