from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from portal.http import AuthenticatedHttpRequest
from portal.notifications import selectors, services
from portal.notifications.forms import PreferencesForm
from portal.notifications.permissions import notification_get_for_user


@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = selectors.notification_page(user=request.user, number=request.GET.get("page"))
    return render(request, "portal/notification_list.html", {"page": page})


@login_required
def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Follow a notification to the thing it is about, marking it read on the way."""
    notification = notification_get_for_user(pk=pk, user=request.user)
    services.notifications_mark_read(user=request.user, notification_ids=[notification.pk])
    target = notification.event.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect("notifications:list")
    return redirect(target)


@login_required
@require_POST
def notification_mark_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = notification_get_for_user(pk=pk, user=request.user)
    services.notifications_mark_read(user=request.user, notification_ids=[notification.pk])
    messages.success(request, "Marked as read.")
    return redirect("notifications:list")


@login_required
@require_POST
def notification_mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = services.notifications_mark_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user_id=request.user.pk, choices=form.choices())
        messages.success(request, "Your choices are saved.")
        return redirect("notifications:preferences")
    return render(request, "portal/notification_preferences.html", {"form": form})


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no session; the signed token is the key.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        kind, _user_id, _address = services.unsubscribe_read(token=token)
    except services.UnsubscribeLinkExpired:
        return render(request, "portal/unsubscribe_invalid.html", {"expired": True}, status=400)
    except (signing.BadSignature, LookupError):
        return render(request, "portal/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(request, "portal/unsubscribe_done.html", {"kind": kind})
    return render(request, "portal/unsubscribe_confirm.html", {"kind": kind, "token": token})
