"""People: the opt-in member directory, a member's page, muting or blocking a member, and the members suggested as
someone types an @mention."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View

from community import permissions
from community.forms import BlockForm, DirectoryForm
from community.selectors import members as member_selectors
from community.services import blocks
from community.views.forum import _shell
from portal.http import AuthenticatedHttpRequest
from portal.ratelimits import rate_limit


class MemberListView(LoginRequiredMixin, View):
    """The directory: members who chose to be listed, with only the details they let members see. For members."""

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        if not (permissions.is_member(request.user) or permissions.can_moderate(request.user)):
            return render(request, "community/not_a_member.html", _shell(request), status=403)
        form = DirectoryForm(request.GET or None)
        filters = member_selectors.DirectoryFilters()
        if form.is_valid():
            data = form.cleaned_data
            filters = member_selectors.DirectoryFilters(
                sector_id=data["sector"].pk if data.get("sector") else None,
                council_area_id=data["council_area"].pk if data.get("council_area") else None,
                role_id=data["role"].pk if data.get("role") else None,
            )
        after = _after(request.GET.get("after", ""))
        rows = member_selectors.directory(filters, after=after)
        more = len(rows) > member_selectors.DIRECTORY_PAGE_SIZE
        rows = rows[: member_selectors.DIRECTORY_PAGE_SIZE]
        params = request.GET.copy()
        params.pop("after", None)
        if more:
            params["after"] = f"{rows[-1].pk}"
        listed = [(profile, permissions.visible_profile_fields(request.user, profile)) for profile in rows]
        context = {
            **_shell(request),
            "filter_form": form,
            "listed": listed,
            "next_query": params.urlencode() if more else None,
        }
        return render(request, "community/member_list.html", context)


def _after(value: str) -> tuple[str, int] | None:
    """`?after=<profile id>`: the next page starts after that member's (display name, id)."""
    if not value.isdigit():
        return None
    profile = member_selectors.profile_by_pk(int(value))
    return (profile.display_name, profile.pk) if profile is not None else None


class MemberDetailView(LoginRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        profile = permissions.member_get_for_user(pk=pk, user=request.user)
        own = profile.user_id == request.user.pk
        block = None if own else member_selectors.blocks_by(request.user.pk).get(profile.user_id)
        context = {
            **_shell(request),
            "member": profile,
            "fields": permissions.visible_profile_fields(request.user, profile),
            "own": own,
            "block": block,
            "block_form": None if own else BlockForm(initial={"kind": block or "none"}),
        }
        return render(request, "community/member_detail.html", context)


class MemberBlockView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        profile = permissions.member_get_for_user(pk=pk, user=request.user)
        if profile.user_id == request.user.pk:
            raise Http404("No such member")
        form = BlockForm(request.POST)
        if not form.is_valid():
            messages.info(request, "Choose one of the options. Nothing has changed.")
            return redirect(profile)
        kind = form.cleaned_data["kind"]
        blocks.member_block_set(member=request.user, blocked=profile.user, kind=None if kind == "none" else kind)
        done = {
            "mute": f"You have muted {profile.display_name}. Their posts are folded away for you.",
            "block": f"You have blocked {profile.display_name}. Their posts are folded away for you, and they "
            "cannot mention you. They are not told.",
            "none": f"You see {profile.display_name}'s posts as usual again.",
        }
        messages.success(request, done[kind])
        return redirect(profile)


def profile_pk_for(request: HttpRequest) -> int | None:
    profile = permissions.profile_of(request.user)
    return profile.pk if profile is not None else None


@method_decorator(rate_limit(group="community:member-suggest", rate="60/m", method="GET"), name="get")
class MemberSuggestView(LoginRequiredMixin, View):
    """GET ?q=<letters>: JSON of the members the person may @mention whose handle or name starts with those letters
    (static/js/community-mentions.js asks as a member types; without JavaScript, typing @handle works the same).
    For members who may post; two letters at least, or nothing is looked up."""

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        if not permissions.is_member(request.user):
            return JsonResponse({"members": []}, status=403)
        prefix = request.GET.get("q", "").strip().lstrip("@")[:40]
        found = (
            member_selectors.mention_suggestions(prefix=prefix, author_id=request.user.pk) if len(prefix) >= 2 else []
        )
        response = JsonResponse(
            {"members": [{"name": profile.display_name, "handle": profile.handle} for profile in found]}
        )
        response["Cache-Control"] = "private, no-store"
        return response
