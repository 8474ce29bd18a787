from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from portal import selectors, services, staff
from portal.forms import AccountDeleteForm, ProfileForm
from portal.http import AuthenticatedHttpRequest
from portal.permissions import StaffGroup, is_admin_account, staff_page


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html", {"levels": selectors.practice_level_list()})


def about(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/about.html",
        {"levels": selectors.practice_level_list(), "principles": selectors.principle_list()},
    )


@staff_page(*StaffGroup)
def staff_home(request: HttpRequest) -> HttpResponse:
    """Where staff find their tools: the ones their groups open, and nothing else."""
    return render(request, "portal/staff.html", {"tools": staff.tools_for(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "GET":
        # The form as it first shows is the same until the person's details or the reference data change: its
        # HTML is cached under both (selectors.profile_form_html).
        html = selectors.profile_form_html(user=request.user, build=lambda: ProfileForm(instance=request.user).render())
        return render(request, "portal/account.html", {"form_html": html})
    # Bound on every POST, even an empty one: `request.POST or None` would quietly ignore a form sent with nothing.
    form = ProfileForm(request.POST, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Your details are saved.")
        return redirect("portal:account")
    return render(request, "portal/account.html", {"form": form, "form_html": form.render()})


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.user_delete(user=user, remove_writing=form.cleaned_data["remove_writing"])
        messages.success(request, "Your account has been deleted. Thank you for being part of the portal.")
        return redirect("portal:home")
    return render(request, "portal/account_delete.html", {"form": form})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (Django's admin among them).

    The static URL is worked out per request: at import time the hashed-name manifest may not exist yet.
    """
    from django.templatetags.static import static

    return redirect(static("img/favicon.svg"), permanent=True)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin signs in through the portal's own sign-in, so two-step verification always applies.

    Someone already signed in without staff access is told so plainly: sending them to sign in again would bounce
    them straight back to the admin and round again.
    """
    if request.user.is_authenticated and not is_admin_account(request.user):
        return render(request, "portal/admin_no_access.html", status=403)
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without a request context on purpose: the fault may lie in a context processor or the database.
    from django.template import loader

    return HttpResponse(
        loader.get_template("500.html").render({"PORTAL_NAME": "Trauma-informed workforce portal"}), status=500
    )


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """django-ratelimit's answer when one address sends too much: kind, and nothing they wrote is kept half-done."""
    return render(request, "429.html", status=429)
