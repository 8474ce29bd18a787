"""Groups: the list, a group's page (its categories, and for managers the requests to join), joining, leaving."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from community import permissions
from community.forms import GroupJoinForm
from community.models import Group, GroupMembership
from community.selectors import members as member_selectors
from community.services import groups
from community.views.forum import _shell
from portal.http import AuthenticatedHttpRequest


class GroupListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        shown = member_selectors.groups_for_list(
            group_ids=permissions.group_ids(request.user), see_private=permissions.can_moderate(request.user)
        )
        return render(request, "community/group_list.html", {**_shell(request), "groups": list(shown)})


class GroupDetailView(View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        group = permissions.group_get_for_user(slug=slug, user=request.user)
        membership = None
        if request.user.is_authenticated:
            membership = member_selectors.membership_of(group_id=group.pk, user_id=request.user.pk)
        can_decide = permissions.can_decide_group_requests(request.user, group)
        context = {
            **_shell(request),
            "group": group,
            "categories": list(group.categories.order_by("order", "name")),
            "membership": membership,
            "can_join": membership is None and permissions.can_join_group(request.user, group),
            "join_form": GroupJoinForm() if group.kind == Group.Kind.REQUEST else None,
            "requests": list(member_selectors.group_requests(group)) if can_decide else [],
        }
        return render(request, "community/group_detail.html", context)


class GroupJoinView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
        group = permissions.group_get_for_user(slug=slug, user=request.user)
        if not permissions.can_join_group(request.user, group):
            raise Http404("No such group")
        form = GroupJoinForm(request.POST)
        message = form.cleaned_data["message"] if form.is_valid() else ""
        membership = groups.group_join(group=group, user=request.user, message=message)
        if membership.status == GroupMembership.Status.MEMBER:
            messages.success(request, f"You have joined {group.name}.")
        else:
            messages.success(
                request,
                f"Your request to join {group.name} is sent. Its managers will decide, and you will see the "
                "answer here.",
            )
        return redirect(group)


class GroupLeaveView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
        group = permissions.group_get_for_user(slug=slug, user=request.user)
        groups.group_leave(group=group, user=request.user)
        messages.success(request, f"You are no longer in {group.name}.")
        if group.is_private:
            return redirect("community:group-list")
        return redirect(group)


class GroupRequestDecideView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        membership = permissions.group_request_get_for_user(pk=pk, user=request.user)
        accept = request.POST.get("decision") == "accept"
        groups.group_request_decide(membership=membership, accept=accept)
        messages.success(request, "Request accepted." if accept else "Request declined.")
        return redirect(membership.group)
