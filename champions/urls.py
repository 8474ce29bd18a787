from django.urls import path

from champions.caching import NETWORK, PUBLIC
from champions.views import (
    dashboard,
    exports,
    files,
    imports,
    invitation,
    manage_local,
    manage_people,
    manage_programme,
    manage_support,
    messages,
    public,
    space,
)
from portal.cache import public_page
from portal.member_pages import member_page

app_name = "champions"

# Whole pages for people not signed in, until a champion record or the reference data changes (champions.caching).
public_page_for_everyone = public_page(PUBLIC, "reference", vary_on_query=True)
# A champion's space, kept for them until their cohorts, sessions, notes or shared resources (NETWORK), a catalogue
# resource's title, their account change, or they post anything (portal/member_pages.py).
kept_for_the_champion = member_page(NETWORK, "training")

urlpatterns = [
    # The public
    path("", public_page_for_everyone(public.LandingView.as_view()), name="landing"),
    path("find/", public_page_for_everyone(public.FindView.as_view()), name="find"),
    # An invited champion links their account
    path("join/<str:token>/", invitation.InvitationAcceptView.as_view(), name="invitation-accept"),
    # A champion's own space
    path("my/", kept_for_the_champion(space.SpaceView.as_view()), name="space"),
    path("my/details/", space.DetailsView.as_view(), name="space-details"),
    path("my/calendar/renew/", space.CalendarRenewView.as_view(), name="space-calendar-renew"),
    path("my/sessions/<int:pk>/", space.SessionView.as_view(), name="space-session"),
    path("my/sessions/<int:pk>/calendar.ics", space.SessionIcsView.as_view(), name="session-ics"),
    path("my/plans/", space.PlansView.as_view(), name="space-plans"),
    path("my/plans/add/", space.PlanFormView.as_view(), name="space-plan-create"),
    path("my/plans/<int:pk>/", space.PlanDetailView.as_view(), name="space-plan"),
    path("my/plans/<int:pk>/edit/", space.PlanFormView.as_view(), name="space-plan-edit"),
    path("my/training/", space.TrainingListView.as_view(), name="space-training"),
    path("my/training/add/", space.TrainingFormView.as_view(), name="space-training-create"),
    path("my/training/<int:pk>/edit/", space.TrainingFormView.as_view(), name="space-training-edit"),
    path("calendar/<str:token>.ics", space.CalendarFeedView.as_view(), name="calendar-feed"),
    # Files, for the people who may see them
    path("shared/<int:pk>/file/", files.SharedFileView.as_view(), name="shared-file"),
    path("plans/<int:pk>/document/", files.PlanDocumentView.as_view(), name="plan-document"),
    # IS admins
    path("manage/", manage_people.ChampionListView.as_view(), name="admin-champion-list"),
    path("manage/champions/add/", manage_people.ChampionFormView.as_view(), name="admin-champion-create"),
    path("manage/champions/<int:pk>/", manage_people.ChampionDetailView.as_view(), name="admin-champion-detail"),
    path("manage/champions/<int:pk>/edit/", manage_people.ChampionFormView.as_view(), name="admin-champion-edit"),
    path("manage/champions/<int:pk>/status/", manage_people.ChampionStatusView.as_view(), name="admin-champion-status"),
    path("manage/champions/<int:pk>/invite/", manage_people.ChampionInviteView.as_view(), name="admin-champion-invite"),
    path("manage/champions/<int:pk>/support/", manage_support.SupportListView.as_view(), name="admin-support-list"),
    path("manage/support/<int:pk>/", manage_support.SupportDetailView.as_view(), name="admin-support-detail"),
    path("manage/support/access/", manage_support.AccessLogView.as_view(), name="admin-support-access"),
    path("manage/cohorts/", manage_programme.CohortListView.as_view(), name="admin-cohort-list"),
    path("manage/cohorts/add/", manage_programme.CohortFormView.as_view(), name="admin-cohort-create"),
    path("manage/cohorts/<int:pk>/", manage_programme.CohortDetailView.as_view(), name="admin-cohort-detail"),
    path("manage/cohorts/<int:pk>/edit/", manage_programme.CohortFormView.as_view(), name="admin-cohort-edit"),
    path("manage/cohorts/<int:pk>/members/", manage_programme.MembersView.as_view(), name="admin-cohort-members"),
    path(
        "manage/cohorts/<int:pk>/members/<int:membership_pk>/remove/",
        manage_programme.MemberRemoveView.as_view(),
        name="admin-cohort-member-remove",
    ),
    path(
        "manage/cohorts/<int:pk>/sessions/add/", manage_programme.SessionFormView.as_view(), name="admin-session-create"
    ),
    path("manage/cohorts/<int:pk>/share/", manage_programme.ShareView.as_view(), name="admin-cohort-share"),
    path("manage/sessions/<int:pk>/", manage_programme.SessionDetailView.as_view(), name="admin-session-detail"),
    path("manage/sessions/<int:pk>/edit/", manage_programme.SessionEditView.as_view(), name="admin-session-edit"),
    path(
        "manage/sessions/<int:pk>/attendance/",
        manage_programme.AttendanceView.as_view(),
        name="admin-session-attendance",
    ),
    path("manage/sessions/<int:pk>/cancel/", manage_programme.SessionCancelView.as_view(), name="admin-session-cancel"),
    path("manage/sessions/<int:pk>/notes/", manage_programme.NoteCreateView.as_view(), name="admin-session-note"),
    path("manage/plans/", manage_local.PlanListView.as_view(), name="admin-plan-list"),
    path("manage/plans/add/", manage_local.PlanFormView.as_view(), name="admin-plan-create"),
    path("manage/plans/<int:pk>/", manage_local.PlanDetailView.as_view(), name="admin-plan-detail"),
    path("manage/plans/<int:pk>/edit/", manage_local.PlanFormView.as_view(), name="admin-plan-edit"),
    path("manage/training/", manage_local.TrainingListView.as_view(), name="admin-training-list"),
    path("manage/training/add/", manage_local.TrainingFormView.as_view(), name="admin-training-create"),
    path("manage/training/<int:pk>/edit/", manage_local.TrainingFormView.as_view(), name="admin-training-edit"),
    # IS admins' network tools: dashboard, totals, imports, exports and emails to champions
    path("manage/dashboard/", dashboard.DashboardView.as_view(), name="admin-dashboard"),
    path("manage/training/totals/", dashboard.TrainingTotalsView.as_view(), name="admin-training-totals"),
    path("manage/import/<slug:kind>/", imports.ImportUploadView.as_view(), name="admin-import"),
    path("manage/import/<slug:kind>/check/", imports.ImportPreviewView.as_view(), name="admin-import-preview"),
    path("manage/exports/", exports.ExportListView.as_view(), name="admin-exports"),
    path("manage/exports/<slug:slug>.csv", exports.ExportView.as_view(), name="admin-export"),
    path("manage/support/export/", exports.SupportExportView.as_view(), name="admin-support-export"),
    path("manage/emails/", messages.MessageListView.as_view(), name="admin-message-list"),
    path("manage/emails/write/", messages.MessageComposeView.as_view(), name="admin-message-compose"),
    path("manage/emails/<int:pk>/", messages.MessageDetailView.as_view(), name="admin-message-detail"),
]
