"""Public pages: what the network is, and "Find your trauma champion"."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from champions import selectors
from champions.forms.people import FindForm
from champions.permissions import is_champion
from portal.models import CouncilArea, HealthAndSocialCarePartnership, HealthBoard


class LandingView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "champions/landing.html",
            {"choices": selectors.find_choices(), "is_champion": is_champion(request.user)},
        )


class FindView(View):
    """Listed, active champions for a council area, an NHS board or an HSCP (the first one given)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = FindForm(request.GET)
        place: CouncilArea | HealthBoard | HealthAndSocialCarePartnership | None = None
        champions: list[selectors.PublicChampion] = []
        if form.is_valid():
            data = form.cleaned_data
            if data["area"]:
                place = CouncilArea.objects.filter(slug=data["area"]).first()
                champions = selectors.find_champions(area=place) if place else []
            elif data["board"]:
                place = HealthBoard.objects.filter(slug=data["board"]).first()
                champions = selectors.find_champions(board=place) if place else []
            elif data["hscp"]:
                place = HealthAndSocialCarePartnership.objects.filter(slug=data["hscp"]).first()
                champions = selectors.find_champions(partnership=place) if place else []
        named = any(request.GET.get(key) for key in ("area", "board", "hscp"))
        return render(
            request,
            "champions/find.html",
            {
                "choices": selectors.find_choices(),
                "place": place,
                "champions": champions,
                # "asked": a place was named that we do not know; "chose_nothing": a button pressed with its list unset.
                "asked": named,
                "chose_nothing": bool(request.GET) and not named,
            },
        )
