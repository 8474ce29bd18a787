"""What walking every champions page in a browser at 1280 and 320 wide found (benchmarks/walk_champions.py), each
fixed and kept fixed here: words that read wrongly, lists that opened on dashes, a form that said it saved nothing
as if it had saved, and a totals page that quietly showed another period than its form read."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from champions.forms.local import PlanForm, RatingForm, TrainingDeliveryForm
from champions.forms.people import ChampionForm, OwnDetailsForm, StatusForm
from champions.forms.programme import CohortForm, SessionForm, SharedResourceForm
from champions.forms.support import SupportLogForm
from champions.models import Attendance, Progress
from champions.services import programme
from tests.champions.helpers import make_champion, make_cohort, make_delivery, make_session

pytestmark = pytest.mark.django_db


def test_pressing_find_without_choosing_a_place_asks_for_one_and_does_not_say_it_was_not_found(client):
    response = client.get(reverse("champions:find"), {"area": ""})

    text = response.content.decode()
    assert response.status_code == 200
    assert "We could not find that place" not in text
    assert "Choose a council area, an NHS board or a partnership from one of the lists below first" in text
    # A place that is not one we know is still said to be that.
    unknown = client.get(reverse("champions:find"), {"area": "atlantis"}).content.decode()
    assert "We could not find that place" in unknown and "from one of the lists below first" not in unknown


def test_lists_open_on_words_not_dashes(is_admin):
    cohort = make_cohort(name="Spring set")
    forms = [
        ChampionForm(),
        OwnDetailsForm(),
        PlanForm(),
        TrainingDeliveryForm(),
        SessionForm(),
        SupportLogForm(),
        SharedResourceForm(cohort=cohort, resource_choices=[]),
    ]
    for form in forms:
        html = str(form)
        assert "---------" not in html, type(form).__name__
    champion_form = str(ChampionForm())
    # Required: "Choose one"; optional: "None".
    assert re.search(r'name="organisation_type"[^>]*>\s*<option value="" selected>Choose one</option>', champion_form)
    assert re.search(r'name="health_board"[^>]*>\s*<option value="" selected>None</option>', champion_form)
    assert '<option value="" selected>Choose one</option>' in str(PlanForm())


def test_a_champions_own_details_form_speaks_to_them(client, network):
    client.force_login(network["me_user"])

    text = client.get(reverse("champions:space-details")).content.decode()

    assert "the champion" not in text.lower()
    assert "how they can help" not in text
    assert "An address you are happy for anyone to see" in text


def test_saving_attendance_with_nothing_chosen_says_so_and_changes_nothing(client, network):
    client.force_login(network["admin"])
    session = network["my_session"]

    response = client.post(reverse("champions:admin-session-attendance", args=[session.pk]), {})

    text = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in text and "There is a problem" in text
    assert "Nothing was chosen, so nothing is saved" in text
    assert "saved for 0" not in text
    assert not Attendance.objects.filter(session=session).exists()


def test_totals_say_when_the_dates_were_given_the_other_way_round(client, is_admin):
    make_delivery(champion=make_champion(by=is_admin), by=is_admin, days_ago=3)
    client.force_login(is_admin)
    today = timezone.localdate()
    later, earlier = today + datetime.timedelta(days=1), today - datetime.timedelta(days=10)

    swapped = client.get(reverse("champions:admin-training-totals"), {"since": later, "until": earlier})
    in_order = client.get(reverse("champions:admin-training-totals"), {"since": earlier, "until": later})

    assert '"From" was later than "To", so these totals are for the dates between them' in swapped.content.decode()
    assert "From&quot; was later" not in in_order.content.decode()
    assert '"From" was later' not in in_order.content.decode()


def test_an_email_to_a_cohort_names_it_once(client, is_admin):
    cohort = make_cohort(members=[make_champion(by=is_admin)], name="Cohort 3 (2026 to 2027)")
    client.force_login(is_admin)

    response = client.post(
        reverse("champions:admin-message-compose"),
        {"action": "preview", "cohort": cohort.pk, "status": "active", "subject": "Hello", "body": "Welcome."},
    )

    text = response.content.decode()
    assert "Members of Cohort 3 (2026 to 2027)" in text
    assert "cohort cohort" not in text.lower() and "(2026 to 2027) cohort" not in text


def test_the_space_reads_cleanly_and_its_long_address_can_wrap(client, network):
    mine, admin = network["mine"], network["admin"]
    programme.shared_resource_create(
        cohort=mine, title="Roadmap", description="The self-assessment.", by=admin, link="https://example.org/r"
    )
    make_session(cohort=mine, days=14, theme="Reviewing letters")
    client.force_login(network["me_user"])

    text = client.get(reverse("champions:space")).content.decode()

    # No space between a shared link and the colon that introduces what it is.
    assert "Roadmap</a>: The self-assessment." in text
    # Each calendar link says which session it is for, to someone who hears the links listed.
    assert '(.ics)<span class="visually-hidden"> for Listening to lived experience</span>' in text
    assert '(.ics)<span class="visually-hidden"> for Reviewing letters</span>' in text
    # The feed's address is one long word: it may wrap anywhere rather than push a small screen sideways.
    assert re.search(r'<code class="portal-break-anywhere">https?://[^<]+/champions/calendar/[^<]+\.ics</code>', text)


def test_the_dashboard_lists_its_sections_and_a_cohort_page_emails_from_its_members(client, network):
    client.force_login(network["admin"])

    dashboard = client.get(reverse("champions:admin-dashboard")).content.decode()
    cohort = client.get(reverse("champions:admin-cohort-detail", args=[network["mine"].pk])).content.decode()

    for anchor in ("coverage", "upcoming", "follow-ups", "attendance", "training"):
        assert f'href="#{anchor}"' in dashboard and f'id="{anchor}"' in dashboard
    # "Email this cohort" sits with the members it writes to, not among the sessions.
    members_part = cohort[cohort.index("<h2>Members</h2>") : cohort.index("Add members")]
    assert "Email this cohort" in members_part


def test_dates_in_the_wrong_order_are_met_with_what_to_choose(is_admin):
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    session = SessionForm(
        data={"theme": "Letters", "starts_at": starts, "ends_at": starts - datetime.timedelta(hours=1), "venue": "Hall"}
    )
    cohort = CohortForm(data={"name": "Spring", "starts_on": "2026-03-01", "ends_on": "2026-01-01"})
    status = StatusForm(data={"status": "on_leave", "since": "2026-03-01", "expected_return_on": "2026-01-01"})

    assert not session.is_valid() and session.errors["ends_at"] == ["Choose an end time later than the start."]
    assert not cohort.is_valid() and cohort.errors["ends_on"] == ["Choose an end date on or after the start date."]
    assert not status.is_valid()
    assert status.errors["expected_return_on"] == ["Choose a return date after the leave begins."]


def test_saving_a_one_to_one_record_does_not_sound_as_if_the_conversation_was_taped(client, network):
    client.force_login(network["admin"])
    url = reverse("champions:admin-support-list", args=[network["me"].pk])

    response = client.post(
        url,
        {"met_on": timezone.localdate(), "topics": "Planning", **{f"action_{n}_owner": "champion" for n in (1, 2, 3)}},
        follow=True,
    )

    text = response.content.decode()
    assert "Your notes of the conversation are saved." in text
    assert "The conversation is recorded" not in text


def test_rating_a_plan_offers_only_real_answers(client, network):
    form = str(RatingForm())

    assert re.findall(r'name="rating" value="([^"]*)"', form) == [str(value) for value, _ in Progress.choices]
    assert "Choose one" not in form and "---------" not in form
