"""IS admins: the list of champions, a champion's record and its history, adding and changing records, status and
invitations."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from champions import selectors
from champions.forms.people import ChampionForm, StatusForm
from champions.models import Champion, ChampionStatus
from champions.permissions import can_read_support_logs, champion_get_for_user
from champions.services import invitations, people
from champions.views._base import ManagePage, form_page
from portal.http import AuthenticatedHttpRequest
from portal.models import CouncilArea, HealthAndSocialCarePartnership, HealthBoard

FILTERS = ("area", "board", "hscp", "status", "q")


class ChampionListView(ManagePage):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        chosen = {name: request.GET.get(name, "").strip()[:120] for name in FILTERS}
        page = selectors.champion_list(
            area=chosen["area"],
            board=chosen["board"],
            partnership=chosen["hscp"],
            status=chosen["status"],
            q=chosen["q"],
            cursor=request.GET.get("after"),
        )
        query = "&".join(f"{name}={value}" for name, value in chosen.items() if value)
        return render(
            request,
            "champions/manage/champion_list.html",
            {
                "page": page,
                "chosen": chosen,
                "query": query,
                "areas": CouncilArea.objects.active(),
                "boards": HealthBoard.objects.active(),
                "partnerships": HealthAndSocialCarePartnership.objects.active(),
                "statuses": ChampionStatus.choices,
            },
        )


class ChampionDetailView(ManagePage):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        return self.page(request, pk)

    def page(
        self, request: HttpRequest, pk: int, status_form: StatusForm | None = None, status: int = 200
    ) -> HttpResponse:
        champion = champion_get_for_user(pk=pk, user=request.user)
        return render(
            request,
            "champions/manage/champion_detail.html",
            {
                "champion": champion,
                "history": selectors.champion_history(champion),
                "status_form": status_form
                or StatusForm(initial={"status": champion.status, "since": timezone.localdate()}),
                "can_read_support_logs": can_read_support_logs(request.user),
            },
            status=status,
        )


class ChampionStatusView(ManagePage):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        champion = champion_get_for_user(pk=pk, user=request.user)
        form = StatusForm(request.POST)
        if not form.is_valid():
            return ChampionDetailView().page(request, pk, status_form=form, status=400)
        data = form.cleaned_data
        try:
            people.champion_change_status(
                champion=champion,
                status=data["status"],
                since=data["since"],
                expected_return_on=data["expected_return_on"],
                reason=data["reason"],
                by=request.user,
            )
        except people.ChampionStateError as error:
            messages.error(request, f"{error} Nothing was changed.")
        else:
            messages.success(request, f"{champion.name}'s status is now {champion.get_status_display().lower()}.")
        return redirect("champions:admin-champion-detail", pk=pk)


class ChampionInviteView(ManagePage):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        champion = champion_get_for_user(pk=pk, user=request.user)
        try:
            invitations.champion_invite(champion=champion, by=request.user)
        except invitations.InvitationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"An invitation is on its way to {champion.email}. It works for 14 days.")
        return redirect("champions:admin-champion-detail", pk=pk)


class ChampionFormView(ManagePage):
    """Add a champion (no pk) or change a record."""

    def page(
        self, request: HttpRequest, form: ChampionForm, champion: Champion | None, status: int = 200
    ) -> HttpResponse:
        back = (
            reverse("champions:admin-champion-detail", args=[champion.pk])
            if champion
            else reverse("champions:admin-champion-list")
        )
        return form_page(
            request,
            {
                "title": f"Change {champion.name}'s record" if champion else "Add a champion",
                "intro": "Contact details and notes are for the Improvement Service. Only the public details are "
                'shown in "Find your trauma champion", and only if the champion agreed to be listed.',
                "form": form,
                "back_url": back,
                "back_label": "Back",
                "submit": "Save the record",
                "breadcrumbs": [(reverse("champions:admin-champion-list"), "Champions")],
            },
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
        champion = champion_get_for_user(pk=pk, user=request.user) if pk else None
        initial = {"council_areas": list(champion.council_areas.all())} if champion else {}
        return self.page(request, ChampionForm(instance=champion, initial=initial), champion)

    def post(self, request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
        champion = champion_get_for_user(pk=pk, user=request.user) if pk else None
        form = ChampionForm(request.POST, instance=Champion.objects.get(pk=pk) if pk else None)
        if not form.is_valid():
            return self.page(request, form, champion, status=400)
        data = dict(form.cleaned_data)
        areas = data.pop("council_areas")
        if champion is None:
            champion = people.champion_create(data=data, council_areas=areas, by=request.user)
            messages.success(request, f"{champion.name} is added. You can invite them to link an account.")
        else:
            people.champion_update(champion=champion, data=data, council_areas=areas, by=request.user)
            messages.success(request, "The record is saved.")
        return redirect("champions:admin-champion-detail", pk=champion.pk)
