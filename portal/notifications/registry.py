"""The kinds of notification, declared in one place. Apps register theirs in their AppConfig.ready()."""

from dataclasses import dataclass
from enum import StrEnum


class Delivery(StrEnum):
    IN_APP = "in_app", "In the portal only"
    IMMEDIATE = "immediate", "By email straight away"
    DIGEST = "digest", "By email in a daily summary"
    OFF = "off", "Off"

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj


@dataclass(frozen=True)
class Kind:
    """A kind of notification.

    `name` is stable (stored in rows); `label` and `description` are shown to people on their preferences page.
    `can_opt_out` is False for account security and confirmations: people must get those. `template` names
    `templates/<template>_subject.txt`, `.txt` and `.html` for the email. `in_app` says whether it also appears in
    the person's notifications list. `email_delay_seconds` holds back immediate emails about things a person may see
    in the portal first; if they do, the email is skipped. `for_addresses` marks kinds sent only to people without an
    account (a pledge contact), and `groups` kinds meant only for some staff: neither is offered to everyone on the
    preferences page.
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
    groups: tuple[str, ...] = ()


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    existing = _KINDS.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"Notification kind {kind.name!r} is already registered differently.")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No notification kind {name!r}; register it in an AppConfig.ready().") from None


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: k.label)


def controllable_kinds(user=None) -> list[Kind]:
    """Kinds a person may choose about. With `user`, only those meant for them."""
    from portal.permissions import in_group

    kinds = [k for k in all_kinds() if k.can_opt_out and not k.for_addresses]
    if user is None:
        return kinds
    return [k for k in kinds if not k.groups or in_group(user, *k.groups)]
