"""IS admins: the confidential one-to-one support log and the record of who read it.

Every page here answers "not found" to anyone but IS admins with two-step verification (champions.permissions), and
every read is written to SupportLogAccess before the page is drawn. Pages are never cached."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from champions import selectors
from champions.forms.support import ActionsDoneForm, SupportLogForm
from champions.models import AccessAction
from champions.permissions import can_read_support_logs, champion_get_for_user, support_log_get_for_user
from champions.services import support
from portal.http import AuthenticatedHttpRequest


@method_decorator(never_cache, name="dispatch")
class ConfidentialPage(View):
    """Unlike other staff pages, these do not send an IS admin without two-step verification to set it up: the
    confidential log answers "not found" to everyone but IS admins with it, as the issue asks."""

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not can_read_support_logs(request.user):
            raise Http404("No such page")
        return super().dispatch(request, *args, **kwargs)


class SupportListView(ConfidentialPage):
    def page(self, request: AuthenticatedHttpRequest, pk: int, form: SupportLogForm, status: int = 200) -> HttpResponse:
        champion = champion_get_for_user(pk=pk, user=request.user)
        support.support_access_record(user=request.user, action=AccessAction.VIEWED_LIST, champion=champion)
        return render(
            request,
            "champions/manage/support_list.html",
            {"champion": champion, "logs": selectors.support_logs_for_champion(champion.pk), "form": form},
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        form = SupportLogForm(initial={"is_person": request.user.pk, "met_on": timezone.localdate()})
        return self.page(request, pk, form)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        champion = champion_get_for_user(pk=pk, user=request.user)
        form = SupportLogForm(request.POST)
        if not form.is_valid():
            return self.page(request, pk, form, status=400)
        log = support.support_log_create(
            champion=champion, data=form.cleaned_data, actions=form.actions(), by=request.user
        )
        messages.success(request, "Your notes of the conversation are saved.")
        return redirect("champions:admin-support-detail", pk=log.pk)


class SupportDetailView(ConfidentialPage):
    def page(
        self,
        request: AuthenticatedHttpRequest,
        pk: int,
        form: SupportLogForm | None = None,
        done_form: ActionsDoneForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        log = support_log_get_for_user(pk=pk, user=request.user)
        support.support_access_record(user=request.user, action=AccessAction.VIEWED, log=log)
        return render(
            request,
            "champions/manage/support_detail.html",
            {
                "log": log,
                "form": form or SupportLogForm(instance=log),
                "done_form": done_form or ActionsDoneForm(log=log),
            },
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        return self.page(request, pk)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        log = support_log_get_for_user(pk=pk, user=request.user)
        what = request.POST.get("what")
        if what == "actions":
            done_form = ActionsDoneForm(request.POST, log=log)
            if not done_form.is_valid():
                return self.page(request, pk, done_form=done_form, status=400)
            support.agreed_actions_done(log=log, done_ids=done_form.cleaned_data["done"], by=request.user)
            messages.success(request, "The actions are updated.")
        elif what == "follow-up-done":
            support.support_follow_up_done(log=log, by=request.user)
            messages.success(request, "The follow-up is marked done.")
        else:
            form = SupportLogForm(request.POST, instance=log)
            if not form.is_valid():
                return self.page(request, pk, form=form, status=400)
            support.support_log_update(log=log, data=form.cleaned_data, new_actions=form.actions(), by=request.user)
            messages.success(request, "The record is saved.")
        return redirect("champions:admin-support-detail", pk=pk)


class AccessLogView(ConfidentialPage):
    """Who read or changed which confidential record, and when. Reading this page is not itself recorded: it shows
    no record's content."""

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        page = selectors.support_access_page(cursor=request.GET.get("after"))
        return render(request, "champions/manage/support_access.html", {"page": page})
