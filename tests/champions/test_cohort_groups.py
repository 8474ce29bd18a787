"""Each cohort's private group in the community, kept in step by the champions services through portal signals."""

import datetime
import re

import pytest
from django.urls import reverse

from champions.services import people, programme
from champions.services.cohort_groups import cohort_group_key
from community.models import Category, Group, GroupMembership
from tests.champions.helpers import make_champion
from tests.community.conftest import join, topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _group(cohort) -> Group:
    return Group.objects.get(key=cohort_group_key(cohort.pk))


def _members(cohort) -> set[int]:
    return set(
        GroupMembership.objects.filter(group=_group(cohort), status=GroupMembership.Status.MEMBER).values_list(
            "user_id", flat=True
        )
    )


def test_each_cohort_has_a_private_group_of_its_linked_champions(network):
    mine = _group(network["mine"])
    assert mine.kind == Group.Kind.PRIVATE and "Mine" in mine.name and mine.member_count == 1
    assert _members(network["mine"]) == {network["me_user"].pk}
    assert _members(network["theirs"]) == {network["other_user"].pk}
    assert Category.objects.filter(group=mine).count() == 1
    # Said once: a cohort's name often has "Cohort" in it already.
    assert mine.description == "A private space for the champions in Mine, part of the action learning programme."


def test_the_group_follows_joining_leaving_linking_and_stepping_down(network, is_admin):
    cohort, me = network["mine"], network["me"]
    unlinked = make_champion(by=is_admin, name="Not Yet Linked")
    programme.cohort_members_add(cohort=cohort, champions=[network["other"], unlinked])
    assert _members(cohort) == {network["me_user"].pk, network["other_user"].pk}  # no account, no place yet
    membership = cohort.memberships.get(champion=network["other"])
    programme.cohort_member_remove(membership=membership)
    assert _members(cohort) == {network["me_user"].pk}
    people.champion_change_status(champion=me, status="stepped_down", since=datetime.date(2026, 1, 1), by=is_admin)
    assert _members(cohort) == set() and _group(cohort).member_count == 0
    people.champion_change_status(champion=me, status="active", since=datetime.date(2026, 2, 1), by=is_admin)
    assert _members(cohort) == {network["me_user"].pk}


def test_linking_an_account_from_the_invitation_adds_them(
    client, network, is_admin, mailoutbox, django_capture_on_commit_callbacks
):
    champion = make_champion(by=is_admin, name="Newly Linked")
    programme.cohort_members_add(cohort=network["mine"], champions=[champion])
    client.force_login(is_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("champions:admin-champion-invite", args=[champion.pk]))
    path = re.search(r"https?://[^/\s]+(/champions/join/\S+/)", mailoutbox[-1].body).group(1)
    user = UserFactory(email=champion.email)
    client.force_login(user)
    assert client.post(path).status_code == 302
    assert user.pk in _members(network["mine"])


def test_a_champion_sees_their_cohorts_group_and_its_topics_and_others_do_not(client, network):
    group = _group(network["mine"])
    join(network["me_user"])
    made = topic(network["me_user"], group.categories.get(), title="Our cohort's first thread")
    client.force_login(network["me_user"])
    space = client.get(reverse("champions:space")).content.decode()
    assert f'href="{group.get_absolute_url()}"' in space
    assert client.get(group.get_absolute_url()).status_code == 200
    assert "Our cohort&#x27;s first thread" in client.get(group.categories.get().get_absolute_url()).content.decode()
    assert client.get(made.get_absolute_url()).status_code == 200
    client.force_login(network["other_user"])
    assert client.get(group.get_absolute_url()).status_code == 404
    assert client.get(group.categories.get().get_absolute_url()).status_code == 404
    assert client.get(made.get_absolute_url()).status_code == 404
    assert f'href="{group.get_absolute_url()}"' not in client.get(reverse("champions:space")).content.decode()


def test_renaming_a_cohort_renames_its_group_and_keeps_it(network):
    cohort = network["mine"]
    before = _group(cohort)
    programme.cohort_save(cohort=cohort, data={"name": "Mine, renamed"}, facilitators=[])
    after = _group(cohort)
    assert after.pk == before.pk and "Mine, renamed" in after.name and "Mine, renamed" in after.categories.get().name
