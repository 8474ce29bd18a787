"""Who reviews pledges: allowed and denied cases share one setup."""

import pytest

from pledges.permissions import can_review
from tests.factories import UserFactory, with_second_factor


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_user", "allowed"),
    [
        (lambda: with_second_factor(UserFactory(is_staff=True, groups=["IS admins"])), True),
        (lambda: with_second_factor(UserFactory(is_staff=True, is_superuser=True)), True),
        (lambda: UserFactory(is_staff=True, groups=["IS admins"]), False),  # no two-step verification yet
        (lambda: UserFactory(is_staff=True, is_superuser=True), False),
        (lambda: with_second_factor(UserFactory(is_staff=True, groups=["Content editors"])), False),
        (lambda: with_second_factor(UserFactory(is_staff=True, groups=["Moderators"])), False),
        (lambda: UserFactory(), False),
    ],
    ids=["IS admin", "superuser", "IS admin without 2FA", "superuser without 2FA", "editor", "moderator", "learner"],
)
def test_only_is_admins_with_two_step_verification_review(make_user, allowed):
    assert can_review(make_user()) is allowed


def test_a_signed_out_visitor_reviews_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert can_review(AnonymousUser()) is False


@pytest.mark.django_db
def test_review_getters_answer_not_found_to_everyone_but_reviewers():
    from django.http import Http404

    from pledges import services
    from pledges.permissions import organisation_get_for_user, pledge_get_for_user, update_get_for_user
    from tests.pledges.conftest import approved, sign

    reviewer = with_second_factor(UserFactory(is_staff=True, groups=["IS admins"]))
    on_register = approved(reviewer=reviewer)
    update = services.update_submit(pledge=on_register, done="Trained the team.", next_steps="Audit.")
    waiting = sign(organisation_name="Glen Trust", contact_email="glen@example.org")

    assert pledge_get_for_user(pk=waiting.pk, user=reviewer) == waiting
    assert update_get_for_user(pk=update.pk, user=reviewer) == update
    others = [
        UserFactory(is_staff=True, groups=["IS admins"]),  # no two-step verification yet
        with_second_factor(UserFactory(is_staff=True, groups=["Content editors"])),
        UserFactory(),
    ]
    for user in others:
        with pytest.raises(Http404):
            pledge_get_for_user(pk=waiting.pk, user=user)
        with pytest.raises(Http404):
            update_get_for_user(pk=update.pk, user=user)
    with pytest.raises(Http404):
        pledge_get_for_user(pk=waiting.pk + 1000, user=reviewer)

    # The register shows published pledges only, to reviewers too.
    assert organisation_get_for_user(slug=on_register.slug, user=None) == on_register
    with pytest.raises(Http404):
        organisation_get_for_user(slug=waiting.slug, user=reviewer)


@pytest.mark.django_db
def test_reviewers_told_of_waiting_pledges_are_staff_accounts_in_the_group_and_superusers():
    """Groups count only for staff accounts: someone put in the group without one is not sent review work."""
    from pledges.permissions import reviewers

    is_admin = UserFactory(is_staff=True, groups=["IS admins"])  # told even before two-step verification
    superuser = UserFactory(is_staff=True, is_superuser=True)
    UserFactory(groups=["IS admins"])  # in the group, but not a staff account
    UserFactory(is_staff=True, groups=["Content editors"])
    UserFactory(is_staff=True, groups=["IS admins"], is_active=False)
    assert set(reviewers()) == {is_admin, superuser}
