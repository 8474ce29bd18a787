"""IS admins: email a cohort or a filtered set of champions. Compose, preview who it goes to and how it reads, then
send through the outbox; each message keeps a record of who it was sent to and what became of each email."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from champions.forms.ops import MessageForm
from champions.permissions import message_get_for_user
from champions.selectors import messages as selectors
from champions.services import messaging
from champions.views._base import ManagePage
from portal.http import AuthenticatedHttpRequest
from portal.markdown import render_markdown


def _filters(data: dict[str, Any]) -> dict[str, str]:
    chosen = {
        "area": data["area"].slug if data.get("area") else "",
        "board": data["board"].slug if data.get("board") else "",
        "hscp": data["hscp"].slug if data.get("hscp") else "",
        "organisation_type": data.get("organisation_type") or "",
        "status": data.get("status") or "",
    }
    return {name: value for name, value in chosen.items() if value}


class MessageListView(ManagePage):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        page = selectors.message_list(cursor=request.GET.get("after"))
        return render(request, "champions/manage/message_list.html", {"page": page})


class MessageComposeView(ManagePage):
    def compose(self, request: HttpRequest, form: MessageForm, status: int = 200) -> HttpResponse:
        return render(request, "champions/manage/message_compose.html", {"form": form}, status=status)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        initial = {"cohort": request.GET.get("cohort")} if request.GET.get("cohort", "").isdigit() else {}
        return self.compose(request, MessageForm(initial=initial))

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = MessageForm(request.POST)
        action = request.POST.get("action", "preview")
        if not form.is_valid() or action == "change":
            return self.compose(request, form, status=400 if form.errors else 200)
        data = form.cleaned_data
        if action == "send":
            try:
                message = messaging.message_send(
                    subject=data["subject"],
                    body=data["body"],
                    cohort=data["cohort"],
                    filters=_filters(data),
                    by=request.user,
                )
            except messaging.MessageError as error:
                messages.error(request, str(error))
                return self.compose(request, form, status=400)
            count = message.recipients.count()
            messages.success(request, f"Your message is on its way to {count} champion{'s' if count != 1 else ''}.")
            return redirect("champions:admin-message-detail", pk=message.pk)
        audience = messaging.audience_for(cohort=data["cohort"], filters=_filters(data))
        names, total = selectors.audience_preview(audience.champions)
        return render(
            request,
            "champions/manage/message_preview.html",
            {
                "form": form,
                "hidden": form,
                "subject": data["subject"],
                "body_html": render_markdown(data["body"]),
                "audience": audience,
                "names": names,
                "total": total,
            },
        )


class MessageDetailView(ManagePage):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        message = message_get_for_user(pk=pk, user=request.user)
        page = selectors.message_recipients(message, cursor=request.GET.get("after"))
        return render(request, "champions/manage/message_detail.html", {"message": message, "page": page})
