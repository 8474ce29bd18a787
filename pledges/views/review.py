"""The review pages, for IS admins: the queue, a pledge or progress update to decide on, and removal."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from pledges import review, selectors, services
from pledges.forms import (
    RemoveForm,
    ReviewForm,
)
from pledges.models import Pledge, PledgeStatus
from pledges.permissions import (
    REVIEW_SECOND_FACTOR_MESSAGE,
    REVIEWERS,
    pledge_get_for_user,
    update_get_for_user,
)
from pledges.views.public import _logo_response
from portal.http import AuthenticatedHttpRequest
from portal.notifications.services import notifications_mark_seen
from portal.permissions import StaffPageMixin

# --- Review (IS admins) -----------------------------------------------------------------------------------------


class ReviewerRequiredMixin(StaffPageMixin, View):
    """The one access check for the review pages (portal.permissions.staff_access): IS admins and superusers, with
    two-step verification set up. Signed out: sign in. Not a reviewer: "not found", so the pages do not announce
    themselves. A reviewer without two-step verification is sent to set it up first.

    The pages' methods are only run for a signed-in reviewer, so they annotate `request` as AuthenticatedHttpRequest
    (portal.http): `request.user` is the User the services record as the reviewer."""

    staff_groups = REVIEWERS
    staff_why = REVIEW_SECOND_FACTOR_MESSAGE


class ReviewQueueView(ReviewerRequiredMixin):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(
            request,
            "pledges/review_list.html",
            {
                "pledges": selectors.review_queue(),
                "updates": selectors.updates_awaiting_review(),
                "waiting": selectors.other_pledges(
                    [PledgeStatus.AWAITING_CONFIRMATION, PledgeStatus.CHANGES_REQUESTED]
                ),
            },
        )


class ReviewDetailView(ReviewerRequiredMixin):
    template_name = "pledges/review_detail.html"

    def context(self, pledge: Pledge, form=None, remove_form=None) -> dict:
        return {
            "pledge": pledge,
            "form": form or ReviewForm(),
            "remove_form": remove_form or RemoveForm(),
            "history": selectors.pledge_history(pledge),
            "can_decide": pledge.status == PledgeStatus.AWAITING_REVIEW or pledge.edit_pending,
        }

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        pledge = pledge_get_for_user(pk=pk, user=request.user)
        notifications_mark_seen(user=request.user, subject_object=pledge)
        return render(request, self.template_name, self.context(pledge))

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        pledge = pledge_get_for_user(pk=pk, user=request.user)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, self.context(pledge, form=form), status=400)
        decision, message = form.cleaned_data["decision"], form.cleaned_data["message"]
        try:
            if decision == ReviewForm.APPROVE:
                review.pledge_approve(pledge=pledge, reviewer=request.user)
                done = f"{pledge.organisation_name} is approved and the contact has been told."
            elif decision == ReviewForm.CHANGES:
                review.pledge_request_changes(pledge=pledge, reviewer=request.user, message=message)
                done = f"Your message has been emailed to the contact for {pledge.organisation_name}."
            else:
                review.pledge_reject(pledge=pledge, reviewer=request.user, reason=message)
                done = f"{pledge.organisation_name} was not accepted and the contact has been told why."
        except services.PledgeStateError as error:
            messages.error(request, f"{error} Nothing was changed.")
            return redirect("pledges:review-detail", pk=pk)
        messages.success(request, done)
        return redirect("pledges:review-list")


class ReviewLogoView(ReviewerRequiredMixin):
    """The logo of a pledge in any state, for its reviewer to see before approving it: never cached by a proxy, as it
    may not be public yet."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
        return _logo_response(selectors.pledge_for_review(pk), cache_control="private, no-store")


class ReviewRemoveView(ReviewerRequiredMixin):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        pledge = pledge_get_for_user(pk=pk, user=request.user)
        form = RemoveForm(request.POST)
        if not form.is_valid():
            return render(
                request, "pledges/review_detail.html", ReviewDetailView().context(pledge, remove_form=form), status=400
            )
        try:
            review.pledge_remove(pledge=pledge, reviewer=request.user, reason=form.cleaned_data["reason"])
        except services.PledgeStateError as error:
            messages.error(request, f"{error} Nothing was changed.")
            return redirect("pledges:review-detail", pk=pk)
        messages.success(request, f"{pledge.organisation_name} is removed from the register. The reason is recorded.")
        return redirect("pledges:review-detail", pk=pk)


class ReviewUpdateView(ReviewerRequiredMixin):
    template_name = "pledges/review_update.html"

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        update = update_get_for_user(pk=pk, user=request.user)
        notifications_mark_seen(user=request.user, subject_object=update)
        return render(request, self.template_name, {"update": update, "form": ReviewForm(allow_changes=False)})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        update = update_get_for_user(pk=pk, user=request.user)
        form = ReviewForm(request.POST, allow_changes=False)
        if not form.is_valid():
            return render(request, self.template_name, {"update": update, "form": form}, status=400)
        try:
            if form.cleaned_data["decision"] == ReviewForm.APPROVE:
                review.update_approve(update=update, reviewer=request.user)
                done = f"The update from {update.pledge.organisation_name} is published."
            else:
                review.update_reject(update=update, reviewer=request.user, reason=form.cleaned_data["message"])
                done = f"The update from {update.pledge.organisation_name} was not published; the contact was told why."
        except services.PledgeStateError as error:
            messages.error(request, f"{error} Nothing was changed.")
            return redirect("pledges:review-update", pk=pk)
        messages.success(request, done)
        return redirect("pledges:review-list")
