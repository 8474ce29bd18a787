"""The access checks every champions page starts from, and small helpers the views share."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views import View

from champions.models import Champion
from champions.permissions import MANAGE_SECOND_FACTOR_MESSAGE, MANAGERS, champion_of
from portal.permissions import StaffPageMixin


class ManagePage(StaffPageMixin, View):
    """IS admins (and superusers) with two-step verification (portal.permissions.staff_access): signed out, sign in;
    not in the group, "not found"; without a second factor, set one up. Methods annotate `request` as
    portal.http.AuthenticatedHttpRequest."""

    staff_groups = MANAGERS
    staff_why = MANAGE_SECOND_FACTOR_MESSAGE


class ChampionPage(View):
    """A champion's own space: signed out, sign in; signed in without a linked champion record (or stepped down),
    "not found". `self.champion` is their record."""

    champion: Champion

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        champion = champion_of(request.user)
        if champion is None:
            raise Http404("No such page")
        self.champion = champion
        return super().dispatch(request, *args, **kwargs)


def form_page(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    """The one template for a page that is a single form: `title`, `form`, `back_url`, `back_label`, `submit`,
    optional `intro`, `multipart`, `breadcrumbs` [(url, label)]."""
    return render(request, "champions/form_page.html", context, status=status)
