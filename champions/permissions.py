"""Who may do what in the champions network, and the getters that fetch what a person may open. Views, templates and
services ask these, nothing else.

Two kinds of people:
- IS admins (and superusers) with two-step verification run the network (`can_manage`). The confidential one-to-one
  support log is theirs alone (`can_read_support_logs`): everyone else, IS admins without two-step verification
  included, is told "not found".
- Champions: people whose account is linked to a champion record (by accepting an invitation) and who have not
  stepped down. They see their own record, their cohorts, their sessions and what is shared with them, and their
  area's plans and the training they recorded.

Getters raise Http404 for missing and forbidden alike, so a URL never shows that something private exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from champions import selectors
from champions.models import (
    Champion,
    ChampionStatus,
    Cohort,
    ImprovementPlan,
    Message,
    Session,
    SharedResource,
    SupportLog,
    TrainingDelivery,
)
from portal.permissions import StaffGroup, has_staff_power

if TYPE_CHECKING:
    from portal.permissions import Person

MANAGERS = (StaffGroup.IS_ADMINS,)
MANAGE_SECOND_FACTOR_MESSAGE = (
    "Before you use the champions network pages, set up two-step verification: they hold personal details."
)

_CHAMPION_ATTR = "_champions_record"
_NONE = object()


def can_manage(user: Person) -> bool:
    """Run the network: champions, cohorts, sessions, attendance, plans and training records. IS admins (and
    superusers) with two-step verification."""
    return has_staff_power(user, *MANAGERS)


def can_read_support_logs(user: Person) -> bool:
    """Read and write the confidential one-to-one support log and see its access log. The same people as
    can_manage today, named apart so the rule for the confidential log is one place to tighten."""
    return has_staff_power(user, StaffGroup.IS_ADMINS)


def champion_of(user: Person) -> Champion | None:
    """The champion record linked to this person's account, if they have not stepped down. One query per request
    (kept on the user object, which Django makes afresh for every request); none when signed out."""
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, _CHAMPION_ATTR, None)
    if cached is None:
        found = selectors.champion_for_account(user.pk)
        cached = found if found is not None and found.status != ChampionStatus.STEPPED_DOWN else _NONE
        setattr(user, _CHAMPION_ATTR, cached)
    return cached if isinstance(cached, Champion) else None


def forget_champion(user: Person) -> None:
    """After linking an account in this request: the next champion_of asks the database again."""
    if user is not None and hasattr(user, _CHAMPION_ATTR):
        delattr(user, _CHAMPION_ATTR)


def is_champion(user: Person) -> bool:
    return champion_of(user) is not None


def champion_get_for_user(*, pk: int, user: Person) -> Champion:
    """A champion's full record, to manage: IS admins only."""
    if not can_manage(user):
        raise Http404("No such champion")
    return selectors.champion_detail(pk)


def cohort_get_for_user(*, pk: int, user: Person) -> Cohort:
    if not can_manage(user):
        raise Http404("No such cohort")
    return selectors.cohort_detail(pk)


def session_get_for_user(*, pk: int, user: Person) -> Session:
    """A session: IS admins, or a champion who is a member of its cohort."""
    if can_manage(user):
        return selectors.session_detail(pk)
    champion = champion_of(user)
    if champion is None:
        raise Http404("No such session")
    return selectors.session_for_champion(pk=pk, champion_id=champion.pk)


def support_log_get_for_user(*, pk: int, user: Person) -> SupportLog:
    """A confidential one-to-one record: IS admins with two-step verification only. The caller records the read."""
    if not can_read_support_logs(user):
        raise Http404("No such record")
    return selectors.support_log_detail(pk)


def shared_resource_get_for_user(*, pk: int, user: Person) -> SharedResource:
    """Something shared with a cohort: IS admins, or a champion who is a member of the cohort."""
    if can_manage(user):
        return selectors.shared_resource_detail(pk)
    champion = champion_of(user)
    if champion is None:
        raise Http404("No such resource")
    return selectors.shared_resource_for_champion(pk=pk, champion_id=champion.pk)


def plan_get_for_user(*, pk: int, user: Person) -> ImprovementPlan:
    """An improvement plan: IS admins, or a champion who covers the plan's council area."""
    if can_manage(user):
        return selectors.plan_detail(pk)
    champion = champion_of(user)
    if champion is None:
        raise Http404("No such plan")
    return selectors.plan_for_champion(pk=pk, champion_id=champion.pk)


def training_delivery_get_for_user(*, pk: int, user: Person) -> TrainingDelivery:
    """A training record, to change: IS admins, or the champion it is recorded against."""
    if can_manage(user):
        return selectors.training_delivery_detail(pk)
    champion = champion_of(user)
    if champion is None:
        raise Http404("No such training record")
    return selectors.training_delivery_for_champion(pk=pk, champion_id=champion.pk)


def message_get_for_user(*, pk: int, user: Person) -> Message:
    """An email sent to champions and who it went to: IS admins only."""
    if not can_manage(user):
        raise Http404("No such email")
    from champions.selectors.messages import message_detail

    return message_detail(pk)
