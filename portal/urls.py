from collections.abc import Callable

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.http.response import HttpResponseBase
from django.urls import include, path
from django.views.generic import TemplateView

from portal import health, views
from portal.cache import public_page
from portal.receivers import REFERENCE


def page(template: str) -> Callable[..., HttpResponseBase]:
    return TemplateView.as_view(template_name=f"pages/{template}.html")


portal_patterns = (
    [
        # The same for everyone (but the header's account links): cached whole until the reference data they show
        # changes, one entry for people signed out and one for people signed in.
        path("", public_page(REFERENCE, signed_in=True)(views.home), name="home"),
        path("about/", public_page(REFERENCE, signed_in=True)(views.about), name="about"),
        path("support/", page("support"), name="support"),
        path("accessibility/", page("accessibility"), name="accessibility"),
        path("privacy/", page("privacy"), name="privacy"),
        path("cookies/", page("cookies"), name="cookies"),
        path("contact/", page("contact"), name="contact"),
        path("account/", views.account, name="account"),
        path("account/delete/", views.account_delete, name="account-delete"),
        path("staff/", views.staff_home, name="staff"),
    ],
    "portal",
)

urlpatterns = [
    path("", include(portal_patterns)),
    # Browsers ask for /favicon.ico on pages that name no icon (Django's admin among them).
    path("favicon.ico", views.favicon),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("notifications/", include("portal.notifications.urls")),
    path("training/", include("training.urls")),
    path("community/", include("community.urls")),
    path("pledge/", include("pledges.urls")),
    path("champions/", include("champions.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.error_400"
handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"

if settings.DEBUG:
    # Development only: uploaded files straight from MEDIA_ROOT, to look at while working. Pages never link here:
    # logos and resource files go through views that check who may see them and what the file really is
    # (pledges.views.OrganisationLogoView, training.views.resource_document and resource_image). In production the
    # files stay in MEDIA_ROOT (FileSystemStorage on a volume shared by web and worker) and nothing serves /media/.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
