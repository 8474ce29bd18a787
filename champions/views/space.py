"""A champion's own space: their cohorts and sessions, what is shared with them, their details, their area's plans
and the training they recorded."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_safe

from champions import calendar, selectors
from champions.forms.local import PlanForm, RatingForm, TrainingDeliveryForm
from champions.forms.people import OwnDetailsForm
from champions.models import Champion, Progress
from champions.permissions import plan_get_for_user, session_get_for_user, training_delivery_get_for_user
from champions.services import local, people
from champions.services.cohort_groups import cohort_group_paths
from champions.views._base import ChampionPage, form_page
from portal.http import AuthenticatedHttpRequest
from portal.notifications.services import absolute_url


class SpaceView(ChampionPage):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        space = selectors.champion_space(self.champion.pk)
        group_paths = cohort_group_paths(cohort.pk for cohort in space.cohorts)
        # From SITE_URL, like the UIDs inside it: the address a calendar app keeps should not depend on the host name
        # the champion happened to use.
        feed = absolute_url(reverse("champions:calendar-feed", kwargs={"token": self.champion.calendar_token}))
        return render(
            request,
            "champions/space/home.html",
            {
                "champion": self.champion,
                "space": space,
                "feed_url": feed,
                # Beside each cohort, its community group's page (the cohorts may come from the shared cache, so
                # nothing is written onto them).
                "cohorts": [(cohort, group_paths.get(cohort.pk)) for cohort in space.cohorts],
            },
        )


class DetailsView(ChampionPage):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return self.page(request, OwnDetailsForm(instance=self.champion))

    def page(self, request: HttpRequest, form: OwnDetailsForm, status: int = 200) -> HttpResponse:
        return form_page(
            request,
            {
                "title": "Your details",
                "intro": "Keep these current so the Improvement Service and other champions can reach you. "
                "Only what you choose to list publicly is shown to anyone else.",
                "form": form,
                "back_url": reverse("champions:space"),
                "back_label": "Back to your space",
                "submit": "Save your details",
            },
            status=status,
        )

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = OwnDetailsForm(request.POST, instance=Champion.objects.get(pk=self.champion.pk))
        if not form.is_valid():
            return self.page(request, form, status=400)
        people.champion_update_own(champion=self.champion, data=form.cleaned_data, user=request.user)
        messages.success(request, "Your details are saved.")
        return redirect("champions:space")


class CalendarRenewView(ChampionPage):
    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        people.champion_calendar_renew(champion=self.champion, user=request.user)
        messages.success(
            request, "Your calendar has a new address. The old one no longer works: subscribe again below."
        )
        return redirect("champions:space")


class SessionView(ChampionPage):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        session = session_get_for_user(pk=pk, user=request.user)
        return render(request, "champions/space/session.html", {"session": session})


class SessionIcsView(ChampionPage):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        session = session_get_for_user(pk=pk, user=request.user)
        return calendar.calendar_response([session], name=session.theme, filename=f"session-{session.pk}.ics")


@method_decorator(require_safe, name="dispatch")
class CalendarFeedView(View):
    """A champion's sessions as a feed their calendar app subscribes to. Calendar apps cannot sign in, so the
    secret in the URL is the key; it answers "not found" for any other token or a champion who stepped down."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        champion = get_object_or_404(Champion.objects.exclude(status="stepped_down"), calendar_token=token)
        if champion.user_id is None:
            raise Http404("No such calendar")
        return calendar.calendar_response(
            selectors.champion_calendar(champion.pk),
            name="Trauma champions sessions",
            filename="champions-sessions.ics",
            inline=True,
        )


class PlansView(ChampionPage):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(
            request,
            "champions/space/plans.html",
            {
                "plans": selectors.plans_for_champion(self.champion),
                "champion": self.champion,
                "progress_choices": Progress.choices,
            },
        )


class PlanFormView(ChampionPage):
    """Add a plan for one of the champion's council areas (no pk) or change one of their areas' plans."""

    def page(self, request: HttpRequest, form: PlanForm, is_new: bool, status: int = 200) -> HttpResponse:
        return form_page(
            request,
            {
                "title": "Add your area's improvement plan" if is_new else "Change the improvement plan",
                "form": form,
                "multipart": True,
                "back_url": reverse("champions:space-plans"),
                "back_label": "Back to plans",
                "submit": "Save the plan",
            },
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
        plan = plan_get_for_user(pk=pk, user=request.user) if pk else None
        return self.page(request, PlanForm(instance=plan, areas=self.champion.council_areas.all()), plan is None)

    def post(self, request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
        plan = plan_get_for_user(pk=pk, user=request.user) if pk else None
        form = PlanForm(request.POST, request.FILES, instance=plan, areas=self.champion.council_areas.all())
        if not form.is_valid():
            return self.page(request, form, plan is None, status=400)
        data = {k: v for k, v in form.cleaned_data.items() if k != "document"}
        try:
            plan = local.plan_save(
                plan=plan, data=data, by=request.user, upload=request.FILES.get("document"), champion=self.champion
            )
        except local.LocalWorkError as error:
            form.add_error(None, str(error))
            return self.page(request, form, plan is None, status=400)
        messages.success(request, "The plan is saved.")
        return redirect("champions:space-plan", pk=plan.pk)


class PlanDetailView(ChampionPage):
    def page(self, request: AuthenticatedHttpRequest, pk: int, form: RatingForm, status: int = 200) -> HttpResponse:
        plan = plan_get_for_user(pk=pk, user=request.user)
        return render(
            request,
            "champions/plan_detail.html",
            {"plan": plan, "form": form, "in_space": True, "rate_url": request.path},
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        return self.page(request, pk, RatingForm())

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        plan = plan_get_for_user(pk=pk, user=request.user)
        form = RatingForm(request.POST)
        if not form.is_valid():
            return self.page(request, pk, form, status=400)
        local.plan_rate(
            plan=plan, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"], by=request.user
        )
        messages.success(request, "The rating is recorded.")
        return redirect("champions:space-plan", pk=plan.pk)


class TrainingListView(ChampionPage):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        page = selectors.training_list(champion_id=self.champion.pk, cursor=request.GET.get("after"))
        return render(request, "champions/space/training.html", {"page": page})


class TrainingFormView(ChampionPage):
    """Add a training record (no pk) or change one of the champion's own."""

    def page(self, request: HttpRequest, form: TrainingDeliveryForm, is_new: bool, status: int = 200) -> HttpResponse:
        return form_page(
            request,
            {
                "title": "Record training delivered" if is_new else "Change a training record",
                "intro": "What was delivered, where and to whom. The totals help show the difference champions make.",
                "form": form,
                "back_url": reverse("champions:space-training"),
                "back_label": "Back to training delivered",
                "submit": "Save the record",
            },
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
        delivery = training_delivery_get_for_user(pk=pk, user=request.user) if pk else None
        initial = {"delivered_by": self.champion.name} if delivery is None else None
        form = TrainingDeliveryForm(instance=delivery, initial=initial, for_champion=self.champion)
        return self.page(request, form, delivery is None)

    def post(self, request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
        delivery = training_delivery_get_for_user(pk=pk, user=request.user) if pk else None
        form = TrainingDeliveryForm(request.POST, instance=delivery, for_champion=self.champion)
        if not form.is_valid():
            return self.page(request, form, delivery is None, status=400)
        data = dict(form.cleaned_data)
        local.training_delivery_save(
            delivery=delivery,
            data=data,
            service_areas=data.pop("service_areas"),
            by=request.user,
            champion=self.champion,
        )
        messages.success(request, "The training record is saved.")
        return redirect("champions:space-training")
