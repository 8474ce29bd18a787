"""Who may do what with pledges. Views, templates and services ask these, nothing else.

Pledge contacts have no account: their power is the signed link they hold (pledges.tokens), not a permission.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.permissions import StaffGroup, has_staff_power

if TYPE_CHECKING:
    from portal.permissions import Person

REVIEWERS = (StaffGroup.IS_ADMINS,)
REVIEW_SECOND_FACTOR_MESSAGE = "Before you review pledges, set up two-step verification: they hold personal details."


def can_review(user: Person) -> bool:
    """Review, approve, reject and remove pledges: IS admins (and superusers) with two-step verification."""
    return has_staff_power(user, *REVIEWERS)
