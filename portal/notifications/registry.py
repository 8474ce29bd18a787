"""The kinds of notification.

Each app declares its kinds as constants in its own `<app>/notifications.py`, registered at import:

    NEW_REPLY = register(Kind(name="community.reply", ...))

and `discover()` (called once from PortalConfig.ready()) imports every project app's `notifications` module, the way
the admin finds `admin.py`. Code passes the Kind objects around; only rows store the name.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.permissions import Person, StaffGroup


class Delivery(StrEnum):
    IN_APP = "in_app"
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"

    @property
    def label(self) -> str:
        return _DELIVERY_LABELS[self]


# Beside the enum rather than in a custom __new__, so Delivery("digest") type-checks like any StrEnum.
_DELIVERY_LABELS = {
    Delivery.IN_APP: "In the portal only",
    Delivery.IMMEDIATE: "By email straight away",
    Delivery.DIGEST: "By email in a daily summary",
    Delivery.OFF: "Off",
}


@dataclass(frozen=True)
class Kind:
    """A kind of notification.

    `name` is stable (stored in rows); `label` and `description` are shown to people on their preferences page.
    `can_opt_out` is False for account security and confirmations: people must get those. `template` names
    `templates/<template>_subject.txt`, `.txt` and `.html` for the email. `in_app` says whether it also appears in
    the person's notifications list. `email_delay_seconds` holds back immediate emails about things a person may see
    in the portal first; if they do, the email is skipped (and, for grouped notifications, later ones arriving while
    it waits fold into it). `for_addresses` marks kinds sent only to people without an account (a pledge contact),
    and `groups` kinds meant only for some staff: neither is offered to everyone on the preferences page.
    `audience`, a predicate on the person, narrows who is offered the kind further, for an app's own roles (the
    champions network's kinds go only to champions): it should cost at most one query a request.
    `group_title` is how several grouped notifications read as one line: a format string over the latest event's
    context and `count`, e.g. "{count} new replies in {topic_title}".
    """

    name: str
    label: str
    description: str
    template: str
    can_opt_out: bool = True
    default: Delivery = Delivery.IMMEDIATE
    in_app: bool = True
    email_delay_seconds: int = 0
    for_addresses: bool = False
    groups: tuple["StaffGroup", ...] = ()
    audience: Callable[["Person"], bool] | None = None
    group_title: str = ""

    def __str__(self) -> str:
        return self.name

    def title_for(self, *, title: str, count: int, context: Mapping[str, object]) -> str:
        """The line shown for `count` notifications folded into one; the latest title when there is only one."""
        if count <= 1:
            return title
        if self.group_title:
            try:
                return self.group_title.format_map({**context, "count": count})
            except (KeyError, IndexError, ValueError, AttributeError):
                pass  # a context without a key the title names still gets a sensible line below
        return f"{title} (and {count - 1} more)"


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    existing = _KINDS.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"Notification kind {kind.name!r} is already registered differently.")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    """The kind a stored row names. Code that sends passes Kind objects; this is for reading rows back."""
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No notification kind {name!r}; declare it in an app's notifications.py.") from None


def registered(kind: Kind) -> Kind:
    """The kind itself, once checked: a Kind object that was registered (the worker finds kinds by name)."""
    if not isinstance(kind, Kind):
        raise TypeError(f"Pass a Kind object from an app's notifications.py, not {kind!r}.")
    if _KINDS.get(kind.name) != kind:
        raise LookupError(f"Notification kind {kind.name!r} is not registered; wrap it in register().")
    return kind


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: k.label)


def controllable_kinds(user: "Person" = None) -> list[Kind]:
    """Kinds a person may choose about. With `user`, only those meant for them: in the kind's staff `groups` (if it
    names any) and in its `audience` (if it has one)."""
    from portal.permissions import in_group

    kinds = [k for k in all_kinds() if k.can_opt_out and not k.for_addresses]
    if user is None:
        return kinds
    return [
        k for k in kinds if (not k.groups or in_group(user, *k.groups)) and (k.audience is None or k.audience(user))
    ]


def discover() -> None:
    """Import the portal's own kinds and every project app's `notifications` module, so each kind is registered in
    every process (web, worker, beat) before a row naming it is read. Third-party apps are left alone: a module of
    theirs that happens to be called `notifications` is none of ours."""
    from django.apps import apps
    from django.conf import settings
    from django.utils.module_loading import module_has_submodule

    import_module("portal.notifications.kinds")
    project = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if config.name == "portal" or not Path(config.path).resolve().is_relative_to(project):
            continue
        if module_has_submodule(config.module, "notifications"):
            import_module(f"{config.name}.notifications")
