"""The portal's one permission model: who is in which staff group, who has two-step verification, and the rule for
every staff page.

Each app has its own `permissions.py` with its `can_*` predicates and `<entity>_get_for_user` getters, built on the
functions here. Views, templates and services ask those, nothing else.

- Group names are `StaffGroup` members, never string literals.
- A person's groups and second factor are read once per request: the answers are kept on the user object, which
  Django makes afresh for every request.
- Every staff power needs two-step verification: `has_staff_power` is "in the group and has a second factor".
  Superusers count as members of every group, and need a second factor like everyone else.
- Groups count only for staff accounts (`is_staff`, or superusers): everyone else is answered without a query.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeAlias, TypeVar

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

if TYPE_CHECKING:
    from django.views import View

    from portal.http import RequestUser
    from portal.models import User

    # Anyone a rule may be asked about: `request.user` (signed in or not), a User, or None (nobody, e.g. a task).
    Person: TypeAlias = RequestUser | None
    _MixinBase = View
else:
    _MixinBase = object

_Request = TypeVar("_Request", bound=HttpRequest)
_Params = ParamSpec("_Params")


class StaffGroup(StrEnum):
    """The staff groups (created by migration portal 0003). The value is the Group's name."""

    IS_ADMINS = "IS admins"
    CONTENT_EDITORS = "Content editors"
    MODERATORS = "Moderators"


SECOND_FACTOR_MESSAGE = (
    "Before you use the staff pages, set up two-step verification. "
    "It keeps the personal details people trust us with safe if your password is ever guessed."
)

_GROUPS_ATTR = "_portal_staff_groups"
_SECOND_FACTOR_ATTR = "_portal_second_factor"


def memberships(user: Person) -> frozenset[StaffGroup]:
    """The staff groups this person is in: all of them for a superuser; none when signed out, inactive or not a
    staff account. One query the first time it is asked for a staff user object, none after.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if not (user.is_staff or user.is_superuser):
        return frozenset()
    cached: frozenset[StaffGroup] | None = getattr(user, _GROUPS_ATTR, None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(StaffGroup)
        else:
            names = set(user.groups.filter(name__in=[g.value for g in StaffGroup]).values_list("name", flat=True))
            cached = frozenset(group for group in StaffGroup if group.value in names)
        setattr(user, _GROUPS_ATTR, cached)
    return cached


def in_group(user: Person, *groups: StaffGroup) -> bool:
    """In any of `groups` (a superuser is in all). Says nothing about two-step verification: see has_staff_power."""
    return bool(memberships(user) & set(groups))


def is_staff_member(user: Person) -> bool:
    """In at least one staff group (the header's "Staff" link). No query for people who are not staff accounts."""
    return bool(memberships(user))


def has_second_factor(user: Person) -> bool:
    """An authenticator app or a passkey (recovery codes alone are a fallback, not a factor). One query per request."""
    if user is None or not user.is_authenticated:
        return False
    cached: bool | None = getattr(user, _SECOND_FACTOR_ATTR, None)
    if cached is None:
        cached = Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
        setattr(user, _SECOND_FACTOR_ATTR, cached)
    return cached


def has_staff_power(user: Person, *groups: StaffGroup) -> bool:
    """May use a power of `groups`: a member (or superuser) who has set up two-step verification."""
    return in_group(user, *groups) and has_second_factor(user)


def group_members(*groups: StaffGroup) -> QuerySet[User]:
    """The people `memberships` counts in any of `groups`: active staff accounts in them, and active superusers.
    For telling staff about work waiting for them; whether they may do it is has_staff_power's answer."""
    from django.contrib.auth import get_user_model

    in_groups = Q(is_staff=True, groups__name__in=[group.value for group in groups])
    return get_user_model().objects.filter(Q(is_superuser=True) | in_groups, is_active=True).distinct()


def is_admin_account(user: Person) -> bool:
    """Passes the Django admin's own door: an active staff account. The admin's model permissions decide the rest,
    and portal.middleware asks for a second factor before any of it."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def staff_access(
    request: HttpRequest, *, groups: tuple[StaffGroup, ...], why: str = SECOND_FACTOR_MESSAGE
) -> HttpResponse | None:
    """The rule for every staff page outside the admin. None means "come in"; otherwise the response to send.

    Signed out: sent to sign in. Signed in but not in `groups` (nor a superuser): Http404, so staff pages do not
    announce themselves. In the group without a second factor: sent to set one up, with `why`.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not in_group(user, *groups):
        raise Http404("No such page")
    if not has_second_factor(user):
        messages.info(request, why)
        return redirect("mfa_index")
    return None


StaffView: TypeAlias = Callable[Concatenate[_Request, _Params], HttpResponseBase]


def staff_page(
    *groups: StaffGroup, why: str = SECOND_FACTOR_MESSAGE
) -> Callable[[StaffView[_Request, _Params]], StaffView[_Request, _Params]]:
    """Decorate a function view that only members of `groups` (and superusers) may use: see `staff_access`.

    The view is only run for a signed-in member, so it may annotate `request` as portal.http.AuthenticatedHttpRequest.
    """

    def decorator(view: StaffView[_Request, _Params]) -> StaffView[_Request, _Params]:
        @wraps(view)
        def wrapped(request: _Request, /, *args: _Params.args, **kwargs: _Params.kwargs) -> HttpResponseBase:
            return staff_access(request, groups=groups, why=why) or view(request, *args, **kwargs)

        return wrapped

    return decorator


class StaffPageMixin(_MixinBase):
    """For class-based staff pages: set `staff_groups` (and `staff_why` for the set-up message). Mix it in before
    the view class (type checkers see it as a View)."""

    staff_groups: tuple[StaffGroup, ...] = ()
    staff_why: str = SECOND_FACTOR_MESSAGE

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        denied = staff_access(request, groups=self.staff_groups, why=self.staff_why)
        return denied or super().dispatch(request, *args, **kwargs)
