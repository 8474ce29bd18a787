"""People's choices: the only writer of Preference and EmailSuppression rows, and the signed unsubscribe links."""

from collections.abc import Mapping

from django.core import signing
from django.db import transaction

from portal.notifications import registry
from portal.notifications.models import EmailSuppression, Preference
from portal.notifications.registry import Delivery, Kind, registered

UNSUBSCRIBE_SALT = "portal.notifications.unsubscribe"


def preference_set(*, user_id: int, kind: Kind, delivery: Delivery | str) -> None:
    """Save how a person hears about one kind. Raises ValueError for a kind people cannot turn off (account
    security, confirmations) or a delivery that is not one of Delivery's."""
    kind = registered(kind)
    if not kind.can_opt_out:
        raise ValueError(f"{kind.name} cannot be changed.")
    Preference.objects.update_or_create(user_id=user_id, kind=kind.name, defaults={"delivery": Delivery(delivery)})


def preferences_set(*, user_id: int, choices: Mapping[Kind, Delivery | str]) -> None:
    """Save a person's choices for several kinds at once: all of them or, if one is refused, none."""
    with transaction.atomic():
        for kind, delivery in choices.items():
            preference_set(user_id=user_id, kind=kind, delivery=delivery)


def unsubscribe_token(*, kind: Kind, user_id: int | None = None, email: str = "") -> str:
    return signing.dumps({"k": kind.name, "u": user_id, "e": "" if user_id else email}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_read(*, token: str) -> tuple[Kind, int | None, str]:
    """Read a signed unsubscribe token. Raises signing.BadSignature if it was altered."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    kind = registry.get(data["k"])
    if not kind.can_opt_out:
        raise signing.BadSignature("This kind cannot be turned off.")
    return kind, data.get("u"), data.get("e", "")


def unsubscribe(*, token: str) -> Kind:
    """Stop emails of one kind for the person or address in the token. Idempotent."""
    kind, user_id, address = unsubscribe_read(token=token)
    if user_id:
        preference_set(user_id=user_id, kind=kind, delivery=Delivery.IN_APP if kind.in_app else Delivery.OFF)
    else:
        EmailSuppression.objects.get_or_create(email=address, kind=kind.name)
    return kind
