"""Who may preview drafts and see the editors' figures: one rule, and it needs two-step verification."""

import pytest
from allauth.mfa.models import Authenticator

from tests.factories import UserFactory
from training.permissions import can_preview, can_see_figures


def _second_factor(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "set-up-in-tests"})
    return user


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_user", "allowed"),
    [
        (lambda: _second_factor(UserFactory(is_staff=True, groups=["Content editors"])), True),
        (lambda: _second_factor(UserFactory(is_staff=True, is_superuser=True)), True),
        (lambda: UserFactory(is_staff=True, groups=["Content editors"]), False),  # no two-step verification yet
        (lambda: _second_factor(UserFactory(is_staff=True, groups=["IS admins"])), False),
        (lambda: UserFactory(), False),
    ],
    ids=["editor", "superuser", "editor without 2FA", "IS admin", "learner"],
)
def test_editors_with_two_step_verification_preview_and_see_figures(make_user, allowed):
    user = make_user()
    assert can_preview(user) is allowed
    assert can_see_figures(user) is allowed


@pytest.mark.django_db
def test_memberships_are_read_once_per_user_object(django_assert_num_queries):
    user = _second_factor(UserFactory(is_staff=True, groups=["Content editors"]))
    with django_assert_num_queries(2):  # the groups, then the second factor
        for _ in range(5):
            assert can_preview(user)
            assert can_see_figures(user)
