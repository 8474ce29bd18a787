"""IS admins: every area's improvement plan with its ratings, and the training delivered locally."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from champions import selectors
from champions.forms.local import PlanForm, RatingForm, TrainingDeliveryForm
from champions.models import ImprovementPlan, Progress, TrainingDelivery
from champions.permissions import plan_get_for_user, training_delivery_get_for_user
from champions.services import local
from champions.views._base import ManagePage, form_page
from portal.http import AuthenticatedHttpRequest
from portal.models import CouncilArea, PracticeLevel


class PlanListView(ManagePage):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        area = request.GET.get("area", "")[:120]
        return render(
            request,
            "champions/manage/plan_list.html",
            {
                "plans": selectors.plan_list(area=area),
                "areas": CouncilArea.objects.active(),
                "area": area,
                "progress_choices": Progress.choices,
            },
        )


class PlanFormView(ManagePage):
    def page(
        self, request: HttpRequest, form: PlanForm, plan: ImprovementPlan | None, status: int = 200
    ) -> HttpResponse:
        return form_page(
            request,
            {
                "title": "Change the improvement plan" if plan else "Add an improvement plan",
                "form": form,
                "multipart": True,
                "back_url": reverse("champions:admin-plan-detail", args=[plan.pk])
                if plan
                else reverse("champions:admin-plan-list"),
                "back_label": "Back",
                "submit": "Save the plan",
                "breadcrumbs": [(reverse("champions:admin-plan-list"), "Improvement plans")],
            },
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
        plan = plan_get_for_user(pk=pk, user=request.user) if pk else None
        return self.page(request, PlanForm(instance=plan), plan)

    def post(self, request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
        plan = plan_get_for_user(pk=pk, user=request.user) if pk else None
        form = PlanForm(request.POST, request.FILES, instance=plan)
        if not form.is_valid():
            return self.page(request, form, plan, status=400)
        data = {k: v for k, v in form.cleaned_data.items() if k != "document"}
        try:
            plan = local.plan_save(plan=plan, data=data, by=request.user, upload=request.FILES.get("document"))
        except local.LocalWorkError as error:
            form.add_error(None, str(error))
            return self.page(request, form, plan, status=400)
        messages.success(request, "The plan is saved.")
        return redirect("champions:admin-plan-detail", pk=plan.pk)


class PlanDetailView(ManagePage):
    def page(self, request: HttpRequest, pk: int, form: RatingForm, status: int = 200) -> HttpResponse:
        plan = plan_get_for_user(pk=pk, user=request.user)
        return render(
            request,
            "champions/plan_detail.html",
            {"plan": plan, "form": form, "in_space": False, "rate_url": request.path},
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
        return redirect("champions:admin-plan-detail", pk=pk)


class TrainingListView(ManagePage):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        area, level = request.GET.get("area", "")[:120], request.GET.get("level", "")[:120]
        page = selectors.training_list(area=area, level=level, cursor=request.GET.get("after"))
        query = "&".join(f"{k}={v}" for k, v in (("area", area), ("level", level)) if v)
        return render(
            request,
            "champions/manage/training_list.html",
            {
                "page": page,
                "area": area,
                "level": level,
                "query": query,
                "areas": CouncilArea.objects.active(),
                "levels": PracticeLevel.objects.active(),
            },
        )


class TrainingFormView(ManagePage):
    def page(self, request: HttpRequest, form: TrainingDeliveryForm, is_new: bool, status: int = 200) -> HttpResponse:
        return form_page(
            request,
            {
                "title": "Record training delivered" if is_new else "Change a training record",
                "form": form,
                "back_url": reverse("champions:admin-training-list"),
                "back_label": "Back to training delivered",
                "submit": "Save the record",
                "breadcrumbs": [(reverse("champions:admin-training-list"), "Training delivered")],
            },
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
        delivery = training_delivery_get_for_user(pk=pk, user=request.user) if pk else None
        initial = {"service_areas": list(delivery.service_areas.all())} if delivery else {}
        return self.page(request, TrainingDeliveryForm(instance=delivery, initial=initial), delivery is None)

    def post(self, request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
        delivery: TrainingDelivery | None = training_delivery_get_for_user(pk=pk, user=request.user) if pk else None
        form = TrainingDeliveryForm(request.POST, instance=delivery)
        if not form.is_valid():
            return self.page(request, form, delivery is None, status=400)
        data = dict(form.cleaned_data)
        local.training_delivery_save(
            delivery=delivery, data=data, service_areas=data.pop("service_areas"), by=request.user
        )
        messages.success(request, "The training record is saved.")
        return redirect("champions:admin-training-list")
