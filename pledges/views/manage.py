"""Managing a pledge through a magic link: asking for the link, and the pages it opens."""

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View

from pledges import selectors, services, tokens
from pledges.forms import (
    ChangeContactForm,
    ManageLinkRequestForm,
    PledgeEditForm,
    ProgressUpdateForm,
    WithdrawForm,
)
from pledges.models import PledgeStatus
from pledges.views.public import RATE
from portal.ratelimits import rate_limit

# --- Managing a pledge through a magic link --------------------------------------------------------------------


@method_decorator(rate_limit(group="pledges:manage-request", rate=RATE), name="post")
class ManageRequestView(View):
    template_name = "pledges/manage_request.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, self._context(request, ManageLinkRequestForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ManageLinkRequestForm(request.POST)
        if form.is_valid() and not form.data.get("nickname"):
            services.pledge_send_manage_links(email=form.cleaned_data["email"])
        elif not form.is_valid():
            return render(request, self.template_name, self._context(request, form), status=400)
        return render(request, "pledges/manage_sent.html", {})

    def _context(self, request: HttpRequest, form) -> dict:
        own = []
        user = request.user
        if user.is_authenticated:
            verified = [address.email for address in EmailAddress.objects.filter(user=user, verified=True)]
            for email in verified:
                own += [(pledge, services.manage_path(pledge)) for pledge in selectors.pledges_for_contact(email)]
        return {"form": form, "own_pledges": own}


class ManageMixin(View):
    """Every management page starts from a signed, in-date link naming the pledge and its current contact."""

    closed_allowed = False

    def dispatch(self, request: HttpRequest, token: str, *args, **kwargs) -> HttpResponseBase:
        try:
            self.pledge = selectors.pledge_from_link(token, salt=tokens.MANAGE_SALT, max_age=tokens.MANAGE_MAX_AGE)
        except tokens.LinkExpired:
            return render(request, "pledges/link_expired.html", {"confirm": False}, status=410)
        except tokens.LinkSuperseded:
            return render(request, "pledges/link_expired.html", {"confirm": False, "superseded": True}, status=410)
        if not self.closed_allowed and not self.pledge.is_active:
            return redirect("pledges:manage", token=token)
        self.token = token
        return super().dispatch(request, token, *args, **kwargs)

    def render_page(self, request: HttpRequest, template: str, status: int = 200, **context) -> HttpResponse:
        return render(request, template, {"pledge": self.pledge, "token": self.token, **context}, status=status)

    def state_changed(self, request: HttpRequest, error: Exception) -> HttpResponse:
        """The pledge changed state after the page was opened (withdrawn in another tab): say so, change nothing."""
        messages.error(request, f"{error} Nothing was changed.")
        return redirect("pledges:manage", token=self.token)


class ManageView(ManageMixin):
    closed_allowed = True

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return self.render_page(request, "pledges/manage_detail.html", updates=list(self.pledge.updates.all()))


class ManageEditView(ManageMixin):
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        form = PledgeEditForm(initial=PledgeEditForm.initial_for(self.pledge))
        return self.render_page(request, "pledges/manage_edit.html", form=form)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        form = PledgeEditForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, "pledges/manage_edit.html", status=400, form=form)
        data = form.cleaned_data
        try:
            services.pledge_edit(
                pledge=self.pledge,
                statement=data["statement"],
                actions=form.chosen_actions(),
                own_actions=data["own_actions"],
            )
        except services.PledgeStateError as error:
            return self.state_changed(request, error)
        messages.success(request, "Thank you. Your changes will be published once the team has reviewed them.")
        return redirect("pledges:manage", token=token)


class ManageUpdateView(ManageMixin):
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        if self.pledge.status != PledgeStatus.APPROVED:
            return redirect("pledges:manage", token=token)
        return self.render_page(request, "pledges/update_create.html", form=ProgressUpdateForm())

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        if self.pledge.status != PledgeStatus.APPROVED:
            return redirect("pledges:manage", token=token)
        form = ProgressUpdateForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, "pledges/update_create.html", status=400, form=form)
        services.update_submit(
            pledge=self.pledge, done=form.cleaned_data["done"], next_steps=form.cleaned_data["next_steps"]
        )
        messages.success(request, "Thank you. Your progress update will be published once the team has reviewed it.")
        return redirect("pledges:manage", token=token)


class ManageContactView(ManageMixin):
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return self.render_page(request, "pledges/manage_contact.html", form=ChangeContactForm())

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        form = ChangeContactForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, "pledges/manage_contact.html", status=400, form=form)
        try:
            services.pledge_change_contact(pledge=self.pledge, **form.cleaned_data)
        except services.PledgeStateError as error:
            return self.state_changed(request, error)
        return render(request, "pledges/manage_contact_done.html", {"pledge": self.pledge, **form.cleaned_data})


class ManageWithdrawView(ManageMixin):
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return self.render_page(request, "pledges/manage_withdraw.html", form=WithdrawForm())

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, "pledges/manage_withdraw.html", status=400, form=form)
        try:
            services.pledge_withdraw(pledge=self.pledge)
        except services.PledgeStateError as error:
            return self.state_changed(request, error)
        messages.success(request, "Your pledge is withdrawn and no longer on the register.")
        return redirect("pledges:manage", token=token)
