"""The champions services on the real database: the rules they keep and what they refuse."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from champions import tokens
from champions.models import AccessAction, Attendance, Champion, ChampionStatus, SupportLogAccess
from champions.services import invitations, local, people, programme, support
from portal.models import CouncilArea
from tests.champions.helpers import PDF, make_champion, make_cohort, make_plan, make_session, make_support_log
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_keeps_history_with_who_and_why(is_admin):
    champion = make_champion(by=is_admin, areas=("fife", "angus"), email="Morag@Example.ORG")
    assert champion.email == "morag@example.org"
    assert sorted(champion.council_areas.values_list("slug", flat=True)) == ["angus", "fife"]
    record = champion.history.get()
    assert (record.history_user, record.history_change_reason) == (is_admin, "Added")


def test_stepping_down_takes_a_champion_off_the_public_list(is_admin):
    champion = make_champion(by=is_admin, public_listed=True, public_email="lead@example.org")
    assert champion.public_listed_at is not None
    people.champion_change_status(
        champion=champion, status=ChampionStatus.STEPPED_DOWN, since=datetime.date(2026, 3, 1), by=is_admin
    )
    champion.refresh_from_db()
    assert (champion.status, champion.stepped_down_on, champion.public_listed) == (
        "stepped_down",
        datetime.date(2026, 3, 1),
        False,
    )
    assert champion.history.first().history_change_reason == "Status: stepped down"


def test_a_return_date_is_only_for_leave(is_admin):
    champion = make_champion(by=is_admin)
    with pytest.raises(people.ChampionStateError):
        people.champion_change_status(
            champion=champion,
            status=ChampionStatus.ACTIVE,
            since=datetime.date(2026, 1, 1),
            expected_return_on=datetime.date(2026, 2, 1),
            by=is_admin,
        )
    champion.refresh_from_db()
    assert champion.expected_return_on is None


def test_a_champion_changes_only_their_own_fields(is_admin):
    user = UserFactory()
    champion = make_champion(by=is_admin, user=user, notes="IS only")
    people.champion_update_own(
        champion=champion, data={"phone": "0131 000 0000", "notes": "mine now", "email": "x@example.org"}, user=user
    )
    champion.refresh_from_db()
    assert champion.phone == "0131 000 0000"
    assert (champion.notes, champion.email.endswith("council.example.org")) == ("IS only", True)
    with pytest.raises(people.ChampionStateError):
        people.champion_update_own(champion=champion, data={"phone": "1"}, user=UserFactory())


def test_invitation_links_an_account_once(is_admin, mailoutbox, django_capture_on_commit_callbacks):
    champion = make_champion(by=is_admin)
    with django_capture_on_commit_callbacks(execute=True):
        invitations.champion_invite(champion=champion, by=is_admin)
    assert [message.to for message in mailoutbox] == [[champion.email]]
    token = re.search(r"/champions/join/([^/\s]+)/", mailoutbox[0].body).group(1)
    user = UserFactory(email=champion.email)
    linked = invitations.invitation_accept(token=token, user=user)
    assert linked.user == user and linked.invitation_accepted_at is not None
    with pytest.raises(tokens.LinkSuperseded):
        invitations.invitation_accept(token=token, user=UserFactory())


def test_a_new_invitation_ends_the_old_link(is_admin):
    champion = make_champion(by=is_admin)
    invitations.champion_invite(champion=champion, by=is_admin)
    first = tokens.make_token(Champion.objects.get(pk=champion.pk))
    invitations.champion_invite(champion=champion, by=is_admin)
    with pytest.raises(tokens.LinkSuperseded):
        invitations.invitation_read(first)
    with pytest.raises(tokens.LinkInvalid):
        invitations.invitation_read(first[:-3] + "abc")


def test_an_expired_invitation_is_refused(is_admin):
    champion = make_champion(by=is_admin)
    invitations.champion_invite(champion=champion, by=is_admin)
    token = tokens.make_token(Champion.objects.get(pk=champion.pk))
    with pytest.raises(tokens.LinkExpired):
        tokens.read_token(token, max_age=-1)


def test_an_account_links_to_one_champion_only(is_admin):
    user = UserFactory()
    make_champion(by=is_admin, user=user)
    other = make_champion(by=is_admin)
    invitations.champion_invite(champion=other, by=is_admin)
    token = tokens.make_token(Champion.objects.get(pk=other.pk))
    with pytest.raises(invitations.InvitationError):
        invitations.invitation_accept(token=token, user=user)
    assert Champion.objects.get(pk=other.pk).user is None


def test_the_invitation_email_holds_nothing_confidential(is_admin, mailoutbox, django_capture_on_commit_callbacks):
    champion = make_champion(by=is_admin, notes="Private note")
    make_support_log(champion=champion, by=is_admin)
    with django_capture_on_commit_callbacks(execute=True):
        invitations.champion_invite(champion=champion, by=is_admin)
    body = mailoutbox[0].body + str(mailoutbox[0].alternatives)
    assert "Confidential worries" not in body and "Private note" not in body


def test_attendance_is_one_row_per_champion_and_only_for_members(is_admin):
    a, b, outsider = make_champion(by=is_admin), make_champion(by=is_admin), make_champion(by=is_admin)
    session = make_session(cohort=make_cohort(members=[a, b]))
    programme.attendance_record(session=session, statuses={a.pk: "present", b.pk: "apologies"}, by=is_admin)
    programme.attendance_record(session=session, statuses={a.pk: "absent"}, by=is_admin)
    assert dict(Attendance.objects.values_list("champion_id", "status")) == {a.pk: "absent", b.pk: "apologies"}
    with pytest.raises(programme.ProgrammeError):
        programme.attendance_record(session=session, statuses={outsider.pk: "present"}, by=is_admin)
    with pytest.raises(programme.ProgrammeError):
        programme.attendance_record(session=session, statuses={a.pk: "maybe"}, by=is_admin)


def test_changing_a_session_moves_its_calendar_sequence_and_reminders(is_admin):
    session = make_session(cohort=make_cohort())
    session.reminder_early_sent_at = timezone.now()
    session.save(update_fields=["reminder_early_sent_at"])
    later = session.starts_at + datetime.timedelta(days=1)
    changed = programme.session_save(
        cohort=session.cohort,
        session=session,
        data={"starts_at": later, "ends_at": later + datetime.timedelta(hours=1), "online_url": "https://x.example"},
    )
    assert (changed.sequence, changed.reminder_early_sent_at) == (1, None)
    with pytest.raises(programme.ProgrammeError):
        programme.session_save(cohort=session.cohort, session=None, data={"theme": "x", "venue": ""})


def test_a_note_is_rendered_once_and_sanitised(is_admin):
    session = make_session(cohort=make_cohort())
    note = programme.session_note_create(
        session=session, audience="cohort", body="**Well done** <script>alert(1)</script>", author=is_admin
    )
    assert "<strong>Well done</strong>" in note.body_html and "<script>" not in note.body_html


def test_a_shared_resource_is_exactly_one_thing(is_admin):
    cohort = make_cohort()
    with pytest.raises(programme.ProgrammeError):
        programme.shared_resource_create(
            cohort=cohort,
            title="Two",
            by=is_admin,
            link="https://a.example",
            upload=(SimpleUploadedFile("a.pdf", PDF, "application/pdf")),
        )
    shared = programme.shared_resource_create(cohort=cohort, title="One", by=is_admin, link="https://a.example")
    assert shared.link == "https://a.example"


def test_support_records_write_the_access_log(is_admin):
    champion = make_champion(by=is_admin)
    log = make_support_log(champion=champion, by=is_admin)
    assert list(log.actions.values_list("text", flat=True)) == ["Talk to the chief executive"]
    support.agreed_actions_done(log=log, done_ids=[log.actions.get().pk], by=is_admin)
    assert log.actions.get().done_at is not None
    actions = list(SupportLogAccess.objects.order_by("pk").values_list("action", "champion_id", "user_id"))
    assert actions == [
        (AccessAction.CREATED, champion.pk, is_admin.pk),
        (AccessAction.EDITED, champion.pk, is_admin.pk),
    ]


def test_a_champion_adds_plans_only_for_their_own_areas(is_admin):
    user = UserFactory()
    champion = make_champion(by=is_admin, areas=("fife",), user=user)
    with pytest.raises(local.LocalWorkError):
        local.plan_save(
            plan=None,
            data={
                "council_area": CouncilArea.objects.get(slug="angus"),
                "title": "Not mine",
                "link": "https://p.example",
            },
            by=user,
            champion=champion,
        )
    plan = local.plan_save(
        plan=None,
        data={"council_area": CouncilArea.objects.get(slug="fife"), "title": "Mine", "link": "https://p.example"},
        by=user,
        champion=champion,
    )
    rating = local.plan_rate(plan=plan, rating=3, comment="Going well", by=user)
    assert rating.get_rating_display() == "Under way"
    with pytest.raises(local.LocalWorkError):
        local.plan_rate(plan=plan, rating=9, comment="", by=user)


def test_a_plan_needs_a_document_or_a_link(is_admin):
    with pytest.raises(local.LocalWorkError):
        local.plan_save(
            plan=None, data={"council_area": CouncilArea.objects.get(slug="fife"), "title": "x"}, by=is_admin
        )
    assert make_plan(by=is_admin).document.name.endswith(".pdf")
