"""Thin views for the pledge: check access, bind a form, call one selector or service, render or redirect.

By job: public.py (signing and the public register), manage.py (managing a pledge through a magic link) and
review.py (the review pages, for IS admins). The views pledges/urls.py routes to are imported here."""

from pledges.views.manage import (
    ManageContactView,
    ManageEditView,
    ManageRequestView,
    ManageUpdateView,
    ManageView,
    ManageWithdrawView,
)
from pledges.views.public import (
    LandingView,
    NewSignatoriesFeed,
    OpenDataView,
    OrganisationDetailView,
    OrganisationLogoView,
    PledgeConfirmView,
    PledgeSentView,
    PledgeSignView,
    RegisterCsvView,
    RegisterJsonView,
    RegisterListView,
    SummaryView,
)
from pledges.views.review import (
    ReviewDetailView,
    ReviewLogoView,
    ReviewQueueView,
    ReviewRemoveView,
    ReviewUpdateView,
)

__all__ = [
    "LandingView",
    "ManageContactView",
    "ManageEditView",
    "ManageRequestView",
    "ManageUpdateView",
    "ManageView",
    "ManageWithdrawView",
    "NewSignatoriesFeed",
    "OpenDataView",
    "OrganisationDetailView",
    "OrganisationLogoView",
    "PledgeConfirmView",
    "PledgeSentView",
    "PledgeSignView",
    "RegisterCsvView",
    "RegisterJsonView",
    "RegisterListView",
    "ReviewDetailView",
    "ReviewLogoView",
    "ReviewQueueView",
    "ReviewRemoveView",
    "ReviewUpdateView",
    "SummaryView",
]
