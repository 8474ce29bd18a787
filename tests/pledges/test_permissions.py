"""Who reviews pledges: allowed and denied cases share one setup."""

import pytest
from allauth.mfa.models import Authenticator

from pledges.permissions import can_review
from tests.factories import UserFactory


def _second_factor(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "set-up-in-tests"})
    return user


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_user", "allowed"),
    [
        (lambda: _second_factor(UserFactory(is_staff=True, groups=["IS admins"])), True),
        (lambda: _second_factor(UserFactory(is_staff=True, is_superuser=True)), True),
        (lambda: UserFactory(is_staff=True, groups=["IS admins"]), False),  # no two-step verification yet
        (lambda: UserFactory(is_staff=True, is_superuser=True), False),
        (lambda: _second_factor(UserFactory(is_staff=True, groups=["Content editors"])), False),
        (lambda: _second_factor(UserFactory(is_staff=True, groups=["Moderators"])), False),
        (lambda: UserFactory(), False),
    ],
    ids=["IS admin", "superuser", "IS admin without 2FA", "superuser without 2FA", "editor", "moderator", "learner"],
)
def test_only_is_admins_with_two_step_verification_review(make_user, allowed):
    assert can_review(make_user()) is allowed


def test_a_signed_out_visitor_reviews_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert can_review(AnonymousUser()) is False
