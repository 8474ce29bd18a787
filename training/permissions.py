"""Who may do what in training. Views, templates and services ask these, nothing else.

Built on portal.permissions: every staff power here needs two-step verification.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.permissions import StaffGroup, has_staff_power

if TYPE_CHECKING:
    from portal.permissions import Person

EDITORS = (StaffGroup.CONTENT_EDITORS,)


def can_preview(user: Person) -> bool:
    """Open a draft (resource, its document or image, module) to check it before it is published: content editors
    (and superusers) with two-step verification. One rule for resources and modules alike."""
    return has_staff_power(user, *EDITORS)


def can_see_figures(user: Person) -> bool:
    """The editors' figures (views, starts, completions, feedback): content editors with two-step verification."""
    return has_staff_power(user, *EDITORS)
