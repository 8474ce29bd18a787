"""Who may do what with pledges, and the getters that fetch what a person may open. Views, templates and services
ask these, nothing else.

Pledge contacts have no account: their power is the signed link they hold (pledges.tokens), not a permission.
Getters raise Http404 for missing and forbidden alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from pledges import selectors
from pledges.models import Pledge, ProgressUpdate
from portal.permissions import StaffGroup, group_members, has_staff_power

if TYPE_CHECKING:
    from portal.models import User
    from portal.permissions import Person

REVIEWERS = (StaffGroup.IS_ADMINS,)
REVIEW_SECOND_FACTOR_MESSAGE = "Before you review pledges, set up two-step verification: they hold personal details."


def can_review(user: Person) -> bool:
    """Review, approve, reject and remove pledges: IS admins (and superusers) with two-step verification."""
    return has_staff_power(user, *REVIEWERS)


def reviewers() -> QuerySet[User]:
    """Who is told that a pledge or update is waiting: IS admins with a staff account, and superusers (those without
    two-step verification too: following the link asks them to set it up)."""
    return group_members(*REVIEWERS)


def organisation_get_for_user(*, slug: str, user: Person) -> Pledge:
    """An organisation's page on the register, and its logo: the same for everyone, reviewers included (they see a
    pledge in any state on the review pages). Http404 for missing, waiting, removed and withdrawn alike."""
    return selectors.organisation_by_slug(slug)


def pledge_get_for_user(*, pk: int, user: Person) -> Pledge:
    """A pledge in any state, to review: only for someone who may review. Http404 for missing and forbidden alike."""
    if not can_review(user):
        raise Http404("No such pledge")
    return selectors.pledge_for_review(pk)


def update_get_for_user(*, pk: int, user: Person) -> ProgressUpdate:
    """A progress update in any state, to review: only for someone who may review. Http404 for missing and forbidden
    alike."""
    if not can_review(user):
        raise Http404("No such update")
    return selectors.update_for_review(pk)
