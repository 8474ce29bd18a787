"""Who may do what in training, and the getters that fetch what a person may open. Views, templates and services
ask these, nothing else.

Built on portal.permissions: every staff power here needs two-step verification. Getters raise Http404 for missing
and forbidden alike, so a draft's address says nothing to someone who may not see it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.permissions import StaffGroup, has_staff_power
from training import selectors

if TYPE_CHECKING:
    from portal.models import User
    from portal.permissions import Person
    from training.models import Certificate, Module, Reflection, Resource

# Content editors: preview drafts, and the editors' figures (training.views uses staff_page(*EDITORS)).
EDITORS = (StaffGroup.CONTENT_EDITORS,)


def can_preview(user: Person) -> bool:
    """Open a draft (resource, its document or image, module) to check it before it is published: content editors
    (and superusers) with two-step verification. One rule for resources and modules alike."""
    return has_staff_power(user, *EDITORS)


def can_see_figures(user: Person) -> bool:
    """The editors' figures (views, starts, completions, feedback): content editors with two-step verification.
    The pages themselves use staff_page(*EDITORS), the same rule; the Staff area lists them by asking this."""
    return has_staff_power(user, *EDITORS)


def resource_get_for_user(*, slug: str, user: Person, preview: bool = False) -> Resource:
    """A published resource; a draft too when a preview is asked for (`?preview=1`) by someone who may preview.
    Http404 for missing, draft and forbidden alike."""
    return selectors.resource_get(slug=slug, drafts=preview and can_preview(user))


def module_get_for_user(*, slug: str, user: Person) -> Module:
    """The module behind a resource, for its player: a published one, or a draft for someone who may preview (the
    player needs no `?preview=1`). Http404 for missing, draft and not-a-module alike."""
    # Imported here: the learning selectors import can_preview from this module.
    from training.learning import selectors as learning_selectors

    return learning_selectors.module_get_for_player(slug=slug, drafts=can_preview(user))


def certificate_get_for_user(*, code: str, user: User) -> Certificate:
    """The learner's own certificate, to name or download. Someone else's code is "not found", like a made-up one.
    (The public check page uses learning_selectors.certificate_get_public, which shows what is printed, no more.)"""
    from training.learning import selectors as learning_selectors

    return learning_selectors.certificate_get_for_owner(user=user, code=code)


def reflection_get_for_user(*, reflection_id: int, user: User) -> Reflection:
    """One of the learner's own reflections; anyone else's is "not found"."""
    from training.learning import selectors as learning_selectors

    return learning_selectors.reflection_get_for_owner(user=user, reflection_id=reflection_id)
