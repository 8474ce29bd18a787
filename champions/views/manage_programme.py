"""IS admins: cohorts and their members, sessions, attendance (one form per session), notes and shared resources."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from champions import selectors
from champions.forms.programme import (
    AttendanceForm,
    CohortForm,
    MemberFilterForm,
    MembersAddForm,
    SessionForm,
    SessionNoteForm,
    SharedResourceForm,
)
from champions.models import Cohort, CohortMembership, Session
from champions.permissions import cohort_get_for_user, session_get_for_user
from champions.services import programme
from champions.views._base import ManagePage, form_page
from portal.http import AuthenticatedHttpRequest
from training.selectors import resource_list_published


def _resource_choices() -> list[tuple[int, str]]:
    return list(resource_list_published().order_by("title").values_list("pk", "title"))


class CohortListView(ManagePage):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(request, "champions/manage/cohort_list.html", {"cohorts": selectors.cohort_list()})


class CohortFormView(ManagePage):
    def page(self, request: HttpRequest, form: CohortForm, cohort: Cohort | None, status: int = 200) -> HttpResponse:
        back = cohort.get_absolute_url() if cohort else reverse("champions:admin-cohort-list")
        return form_page(
            request,
            {
                "title": f"Change {cohort.name}" if cohort else "Add a cohort",
                "form": form,
                "back_url": back,
                "back_label": "Back",
                "submit": "Save the cohort",
                "breadcrumbs": [(reverse("champions:admin-cohort-list"), "Cohorts")],
            },
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
        cohort = cohort_get_for_user(pk=pk, user=request.user) if pk else None
        initial = {"facilitators": list(cohort.facilitators.all())} if cohort else {}
        return self.page(request, CohortForm(instance=cohort, initial=initial), cohort)

    def post(self, request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
        cohort = cohort_get_for_user(pk=pk, user=request.user) if pk else None
        form = CohortForm(request.POST, instance=Cohort.objects.get(pk=pk) if pk else None)
        if not form.is_valid():
            return self.page(request, form, cohort, status=400)
        data = dict(form.cleaned_data)
        cohort = programme.cohort_save(cohort=cohort, data=data, facilitators=data.pop("facilitators"))
        messages.success(request, f"{cohort.name} is saved.")
        return redirect("champions:admin-cohort-detail", pk=cohort.pk)


MembersForms = tuple[MemberFilterForm, MembersAddForm, bool]


def _members_forms(cohort: Cohort, data: QueryDict, members_data: QueryDict | None = None) -> MembersForms:
    """The filter (read from `data`), the add form offering the first page of champions it finds, and whether more
    match than are shown."""
    finder = MemberFilterForm(data if any(key.startswith("find-") for key in data) else None, prefix="find")
    text, area = finder.values()
    candidates, more = selectors.cohort_candidates(cohort=cohort, text=text, area_id=area.pk if area else None)
    return finder, MembersAddForm(members_data, cohort=cohort, candidates=candidates), more


class CohortDetailView(ManagePage):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        return self.page(request, pk)

    def page(
        self,
        request: HttpRequest,
        pk: int,
        members: MembersForms | None = None,
        share_form: SharedResourceForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        cohort = cohort_get_for_user(pk=pk, user=request.user)
        finder, members_form, more = members or _members_forms(cohort, request.GET)
        return render(
            request,
            "champions/manage/cohort_detail.html",
            {
                "cohort": cohort,
                "finder": finder,
                "members_form": members_form,
                "more_candidates": more,
                "share_form": share_form or SharedResourceForm(cohort=cohort, resource_choices=_resource_choices()),
            },
            status=status,
        )


class MembersView(ManagePage):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        cohort = cohort_get_for_user(pk=pk, user=request.user)
        members = _members_forms(cohort, request.POST, request.POST)
        form = members[1]
        if not form.is_valid():
            return CohortDetailView().page(request, pk, members=members, status=400)
        added = programme.cohort_members_add(cohort=cohort, champions=form.cleaned_data["champions"])
        messages.success(request, f"{added} {'champion' if added == 1 else 'champions'} joined {cohort.name}.")
        # Back to the same filter, so the next few can be added from where the IS admin was.
        kept = QueryDict(mutable=True)
        for key in ("find-text", "find-area"):
            if request.POST.get(key):
                kept[key] = request.POST[key]
        target = reverse("champions:admin-cohort-detail", kwargs={"pk": pk})
        return redirect(f"{target}?{kept.urlencode()}#add-members" if kept else f"{target}#add-members")


class MemberRemoveView(ManagePage):
    def post(self, request: AuthenticatedHttpRequest, pk: int, membership_pk: int) -> HttpResponse:
        cohort = cohort_get_for_user(pk=pk, user=request.user)
        membership = get_object_or_404(
            CohortMembership.objects.select_related("champion"), pk=membership_pk, cohort=cohort
        )
        programme.cohort_member_remove(membership=membership)
        messages.success(request, f"{membership.champion.name} has left {cohort.name}. Their attendance stays.")
        return redirect("champions:admin-cohort-detail", pk=pk)


class ShareView(ManagePage):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        cohort = cohort_get_for_user(pk=pk, user=request.user)
        form = SharedResourceForm(request.POST, request.FILES, cohort=cohort, resource_choices=_resource_choices())
        if not form.is_valid():
            return CohortDetailView().page(request, pk, share_form=form, status=400)
        data = form.cleaned_data
        try:
            programme.shared_resource_create(
                cohort=cohort,
                title=data["title"],
                description=data["description"],
                session=data["session"],
                training_resource_id=data["training_resource"],
                upload=data["file"] or None,
                link=data["link"],
                by=request.user,
            )
        except programme.ProgrammeError as error:
            form.add_error(None, str(error))
            return CohortDetailView().page(request, pk, share_form=form, status=400)
        messages.success(request, f"{data['title']} is shared with {cohort.name}.")
        return redirect("champions:admin-cohort-detail", pk=pk)


def _session_page(
    request: HttpRequest, form: SessionForm, cohort: Cohort, session: Session | None, status: int = 200
) -> HttpResponse:
    return form_page(
        request,
        {
            "title": f"Change the session: {session.theme}" if session else f"Add a session for {cohort.name}",
            "intro": "Champions see the session in their space and can add it to their calendar.",
            "form": form,
            "back_url": reverse("champions:admin-session-detail", args=[session.pk])
            if session
            else cohort.get_absolute_url(),
            "back_label": "Back",
            "submit": "Save the session",
            "breadcrumbs": [
                (reverse("champions:admin-cohort-list"), "Cohorts"),
                (cohort.get_absolute_url(), cohort.name),
            ],
        },
        status=status,
    )


class SessionFormView(ManagePage):
    """Add a session to a cohort."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        cohort = cohort_get_for_user(pk=pk, user=request.user)
        return _session_page(request, SessionForm(), cohort, None)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        cohort = cohort_get_for_user(pk=pk, user=request.user)
        form = SessionForm(request.POST, instance=Session(cohort=cohort))
        if not form.is_valid():
            return _session_page(request, form, cohort, None, status=400)
        session = programme.session_save(cohort=cohort, session=None, data=form.cleaned_data)
        messages.success(request, "The session is added. Its members see it in their space.")
        return redirect("champions:admin-session-detail", pk=session.pk)


class SessionEditView(ManagePage):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        session = session_get_for_user(pk=pk, user=request.user)
        return _session_page(request, SessionForm(instance=session), session.cohort, session)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        session = session_get_for_user(pk=pk, user=request.user)
        form = SessionForm(request.POST, instance=Session.objects.get(pk=pk))
        if not form.is_valid():
            return _session_page(request, form, session.cohort, session, status=400)
        programme.session_save(cohort=session.cohort, session=session, data=form.cleaned_data)
        messages.success(request, "The session is saved. Calendars that added it will pick up the change.")
        return redirect("champions:admin-session-detail", pk=pk)


class SessionDetailView(ManagePage):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        return self.page(request, pk)

    def page(
        self,
        request: HttpRequest,
        pk: int,
        attendance_form: AttendanceForm | None = None,
        note_form: SessionNoteForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        session = session_get_for_user(pk=pk, user=request.user)
        rows = selectors.session_attendance(session)
        return render(
            request,
            "champions/manage/session_detail.html",
            {
                "session": session,
                "rows": rows,
                "attendance_form": attendance_form or AttendanceForm(rows=rows),
                "note_form": note_form or SessionNoteForm(initial={"audience": "is_only"}),
            },
            status=status,
        )


class AttendanceView(ManagePage):
    """One form for the whole session: a status per champion."""

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        session = session_get_for_user(pk=pk, user=request.user)
        form = AttendanceForm(request.POST, rows=selectors.session_attendance(session))
        if not form.is_valid():
            return SessionDetailView().page(request, pk, attendance_form=form, status=400)
        try:
            count = programme.attendance_record(session=session, statuses=form.statuses(), by=request.user)
        except programme.ProgrammeError as error:
            form.add_error(None, str(error))
            return SessionDetailView().page(request, pk, attendance_form=form, status=400)
        messages.success(request, f"Attendance is saved for {count} {'champion' if count == 1 else 'champions'}.")
        return redirect("champions:admin-session-detail", pk=pk)


class SessionCancelView(ManagePage):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        session = session_get_for_user(pk=pk, user=request.user)
        if session.cancelled_at is None:
            programme.session_cancel(session=session)
            messages.success(request, "The session is cancelled. Calendars that added it will show it as cancelled.")
        return redirect("champions:admin-session-detail", pk=pk)


class NoteCreateView(ManagePage):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        session = session_get_for_user(pk=pk, user=request.user)
        form = SessionNoteForm(request.POST)
        if not form.is_valid():
            return SessionDetailView().page(request, pk, note_form=form, status=400)
        programme.session_note_create(
            session=session, audience=form.cleaned_data["audience"], body=form.cleaned_data["body"], author=request.user
        )
        messages.success(request, "The note is added.")
        return redirect("champions:admin-session-detail", pk=pk)
