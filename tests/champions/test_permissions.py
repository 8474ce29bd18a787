"""Who may open what in the champions network: allowed and denied cases from one setup."""

import pytest
from django.http import Http404

from champions import permissions
from champions.services import people
from tests.champions.helpers import make_delivery, make_is_admin, make_plan, make_shared_file, make_support_log
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def things(network):
    admin = network["admin"]
    return {
        **network,
        "my_plan": make_plan(area="fife", by=admin),
        "their_plan": make_plan(area="angus", by=admin),
        "my_delivery": make_delivery(champion=network["me"], by=admin),
        "their_delivery": make_delivery(champion=network["other"], by=admin),
        "my_file": make_shared_file(cohort=network["mine"], by=admin),
        "their_file": make_shared_file(cohort=network["theirs"], by=admin),
        "log": make_support_log(champion=network["me"], by=admin),
    }


GETTERS = [
    ("session", permissions.session_get_for_user, "my_session", "their_session"),
    ("plan", permissions.plan_get_for_user, "my_plan", "their_plan"),
    ("training", permissions.training_delivery_get_for_user, "my_delivery", "their_delivery"),
    ("shared file", permissions.shared_resource_get_for_user, "my_file", "their_file"),
]


@pytest.mark.parametrize(("label", "getter", "mine", "theirs"), GETTERS, ids=[g[0] for g in GETTERS])
def test_a_champion_opens_their_own_and_not_anothers(things, label, getter, mine, theirs):
    me = things["me_user"]
    assert getter(pk=things[mine].pk, user=me).pk == things[mine].pk
    with pytest.raises(Http404):
        getter(pk=things[theirs].pk, user=me)
    assert getter(pk=things[theirs].pk, user=things["admin"]).pk == things[theirs].pk  # IS admins open any
    for outsider in (UserFactory(), StaffFactory(groups=["Moderators"]), make_is_admin(second_factor=False)):
        with pytest.raises(Http404):
            getter(pk=things[mine].pk, user=outsider)


def test_the_confidential_log_is_for_is_admins_with_two_step_verification_only(things):
    log = things["log"]
    assert permissions.support_log_get_for_user(pk=log.pk, user=things["admin"]) == log
    for person in (
        things["me_user"],  # the champion it is about
        UserFactory(),
        StaffFactory(groups=["Content editors"]),
        StaffFactory(groups=["Moderators"]),
        make_is_admin(second_factor=False),
        StaffFactory(is_superuser=True, second_factor=False),
    ):
        assert not permissions.can_read_support_logs(person)
        with pytest.raises(Http404):
            permissions.support_log_get_for_user(pk=log.pk, user=person)


def test_a_champion_who_stepped_down_has_no_space(things):
    import datetime

    user = things["me_user"]
    assert permissions.is_champion(user)
    people.champion_change_status(
        champion=things["me"], status="stepped_down", since=datetime.date(2026, 1, 1), by=things["admin"]
    )
    user.refresh_from_db()
    fresh = type(user).objects.get(pk=user.pk)  # a new request makes a new user object
    assert not permissions.is_champion(fresh)


def test_champion_of_asks_once_per_request(things, django_assert_num_queries):
    user = type(things["me_user"]).objects.get(pk=things["me_user"].pk)
    with django_assert_num_queries(1):
        assert permissions.champion_of(user) == things["me"]
        assert permissions.champion_of(user) == things["me"]
    learner = UserFactory()
    with django_assert_num_queries(1):
        assert permissions.champion_of(learner) is None
        assert permissions.champion_of(learner) is None
