"""The preferences page offers the champions network's kinds only to people they can reach."""

import datetime
from html import escape

import pytest
from django.urls import reverse

from champions.notifications import FOLLOW_UP_DUE, MESSAGE, SESSION_REMINDER
from champions.services import people
from portal.notifications import registry
from portal.notifications.registry import Delivery
from portal.notifications.selectors import preference_get
from tests.champions.helpers import make_champion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LABELS = {kind: escape(kind.label) for kind in (MESSAGE, SESSION_REMINDER, FOLLOW_UP_DUE)}


def _offered(client, user) -> set:
    client.force_login(user)
    html = client.get(reverse("notifications:preferences")).content.decode()
    return {kind for kind, label in LABELS.items() if label in html}


def test_a_learner_is_offered_none_of_them(client):
    assert _offered(client, UserFactory()) == set()


def test_a_linked_champion_is_offered_messages_and_session_reminders(client, is_admin):
    user = UserFactory()
    make_champion(by=is_admin, user=user)
    assert _offered(client, user) == {MESSAGE, SESSION_REMINDER}


def test_a_champion_who_stepped_down_is_no_longer_offered_them(client, is_admin):
    user = UserFactory()
    champion = make_champion(by=is_admin, user=user)
    people.champion_change_status(
        champion=champion, status="stepped_down", since=datetime.date(2026, 1, 1), by=is_admin
    )
    assert _offered(client, user) == set()


def test_follow_up_reminders_are_offered_to_is_admins_only(client, is_admin):
    assert _offered(client, is_admin) == {FOLLOW_UP_DUE}


def test_saving_the_page_keeps_the_champions_choices(client, is_admin):
    user = UserFactory()
    make_champion(by=is_admin, user=user)
    client.force_login(user)
    data = {kind.name: kind.default.value for kind in registry.controllable_kinds(user)}
    data[SESSION_REMINDER.name] = "off"
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    assert preference_get(user_id=user.pk, kind=SESSION_REMINDER) == Delivery.OFF
