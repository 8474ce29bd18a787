"""Joining: a profile (each optional field says who sees it), then the guidelines, then either membership or a
kind page for those waiting for a moderator. Members change their profile here too."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from community import permissions
from community.forms import GuidelinesForm, ProfileForm
from community.models import CommunityProfile
from community.services import membership
from community.views.forum import _shell
from portal.http import AuthenticatedHttpRequest


class GuidelinesView(View):
    """The guidelines, for anyone to read before joining."""

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {**_shell(request), "guidelines": membership.latest_guidelines()}
        return render(request, "community/guidelines.html", context)


def _where_now(request: HttpRequest) -> HttpResponse | None:
    """Send people who are past the joining steps to where they belong."""
    state = permissions.membership_state(request.user)
    if state == "pending":
        return redirect("community:join-pending")
    if state in ("member", "suspended"):
        return redirect("community:landing")
    return None


class JoinView(LoginRequiredMixin, View):
    """Step 1 of 2: the profile. Prefilled from the person's account details, which they may change here."""

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        elsewhere = _where_now(request)
        if elsewhere:
            return elsewhere
        profile = permissions.profile_of(request.user)
        if profile is not None:
            form = ProfileForm(instance=profile)
        else:
            user = request.user
            form = ProfileForm(
                initial={
                    "display_name": user.display_name,
                    "organisation": user.organisation,
                    "role": user.role_id,
                    "sector": user.sector_id,
                    "council_area": user.council_area_id,
                }
            )
        return render(request, "community/join.html", {**_shell(request), "form": form})

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        elsewhere = _where_now(request)
        if elsewhere:
            return elsewhere
        profile = permissions.profile_of(request.user)
        form = ProfileForm(request.POST, instance=profile)
        if not form.is_valid():
            return render(request, "community/join.html", {**_shell(request), "form": form}, status=400)
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if profile is None:
            membership.profile_create(user=request.user, **fields)
        else:
            membership.profile_update(profile=profile, **fields)
        return redirect("community:join-guidelines")


class JoinGuidelinesView(LoginRequiredMixin, View):
    """Step 2 of 2: the guidelines, accepted with a tick (the version is recorded)."""

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        elsewhere = _where_now(request)
        if elsewhere:
            return elsewhere
        if permissions.profile_of(request.user) is None:
            return redirect("community:join")
        return self._render(request, GuidelinesForm())

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        elsewhere = _where_now(request)
        if elsewhere:
            return elsewhere
        profile = permissions.profile_of(request.user)
        if profile is None:
            return redirect("community:join")
        form = GuidelinesForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        profile = membership.guidelines_accept(profile=profile, version=membership.latest_guidelines())
        permissions.forget(request.user)
        if profile.status == CommunityProfile.Status.ACTIVE:
            messages.success(request, "Welcome to the community. You can now start topics and reply.")
            return redirect("community:landing")
        return redirect("community:join-pending")

    def _render(self, request: HttpRequest, form: GuidelinesForm, status: int = 200) -> HttpResponse:
        context = {**_shell(request), "form": form, "guidelines": membership.latest_guidelines()}
        return render(request, "community/join_guidelines.html", context, status=status)


class JoinPendingView(LoginRequiredMixin, View):
    """For members waiting for a moderator: what happens next, and what they can do meanwhile."""

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        if permissions.membership_state(request.user) != "pending":
            return redirect("community:landing")
        return render(request, "community/join_pending.html", _shell(request))


class ProfileEditView(LoginRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        profile = permissions.profile_of(request.user)
        if profile is None or profile.guidelines_version_id is None:
            return redirect("community:join")
        return self._render(request, ProfileForm(instance=profile), profile)

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        profile = permissions.profile_of(request.user)
        if profile is None or profile.guidelines_version_id is None:
            return redirect("community:join")
        form = ProfileForm(request.POST, instance=profile)
        if not form.is_valid():
            return self._render(request, form, profile, status=400)
        membership.profile_update(profile=profile, **{name: form.cleaned_data[name] for name in form.Meta.fields})
        messages.success(request, "Your community profile is saved.")
        return redirect("community:profile-edit")

    def _render(
        self, request: HttpRequest, form: ProfileForm, profile: CommunityProfile, status: int = 200
    ) -> HttpResponse:
        context = {**_shell(request), "form": form, "own_profile": profile}
        return render(request, "community/profile_edit.html", context, status=status)
