"""Accepting an invitation: the champion follows the link, signs up or signs in, and links their account."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from champions import tokens
from champions.permissions import forget_champion
from champions.services import invitations
from portal.http import AuthenticatedHttpRequest


class InvitationAcceptView(View):
    """GET shows what the link does (and asks a signed-out person to sign up or sign in first); only the POST
    links the account."""

    def _problem(self, request: HttpRequest, reason: str) -> HttpResponse:
        return render(request, "champions/invitation_problem.html", {"reason": reason}, status=400)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            champion = invitations.invitation_read(token)
        except tokens.LinkExpired:
            return self._problem(request, "expired")
        except tokens.LinkSuperseded:
            return self._problem(request, "superseded")
        except tokens.LinkInvalid:
            return self._problem(request, "invalid")
        if request.user.is_authenticated:
            try:
                invitations.invitation_check_account(champion=champion, user=request.user)
            except invitations.InvitationForAnotherAddress as error:
                # Said before they press anything: the button would not work for this account.
                return self._other_address(request, error)
        return render(request, "champions/invitation_accept.html", {"champion_name": champion.name})

    def _other_address(
        self, request: HttpRequest, error: invitations.InvitationForAnotherAddress, status: int = 200
    ) -> HttpResponse:
        return render(request, "champions/invitation_other_address.html", {"sent_to": error.sent_to}, status=status)

    def post(self, request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(request.path)
        try:
            invitations.invitation_accept(token=token, user=request.user)
        except tokens.LinkExpired:
            return self._problem(request, "expired")
        except tokens.LinkSuperseded:
            return self._problem(request, "superseded")
        except tokens.LinkInvalid:
            return self._problem(request, "invalid")
        except invitations.InvitationForAnotherAddress as error:
            return self._other_address(request, error, status=403)
        except invitations.InvitationError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        forget_champion(request.user)
        messages.success(request, "Your account is now linked to your champion record. Welcome to your space.")
        return redirect("champions:space")
