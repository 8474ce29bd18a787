"""People's choices: the only writer of Preference and EmailSuppression rows, and the signed unsubscribe links.

An unsubscribe link carries the kind and either the person's account id or, for an address without an account, the
outbox row's id and a keyed hash of its address (as the pledge links do): the address cannot be read from the link.
It is signed with a timestamp and refused after NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS. The token is made once, when
the email is first built, and stays in the stored message, so every attempt at one email carries the same link.
"""

from collections.abc import Mapping

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from portal.notifications import registry
from portal.notifications.models import EmailSuppression, OutboundEmail, Preference
from portal.notifications.registry import Delivery, Kind, registered

UNSUBSCRIBE_SALT = "portal.notifications.unsubscribe"


class UnsubscribeLinkExpired(signing.BadSignature):
    """The link was genuine but is older than NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS (or its email is gone)."""


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


def address_digest(email: str) -> str:
    """A keyed hash of an address: ties a link to its email's address without putting the address in the link."""
    return salted_hmac(f"{UNSUBSCRIBE_SALT}.address", email.strip().lower()).hexdigest()[:16]


def unsubscribe_token(*, kind: Kind, user_id: int | None = None, email_id: int | None = None, email: str = "") -> str:
    """A link key for one person (`user_id`) or for the address of one outbox row (`email_id` and its `email`)."""
    if user_id:
        claims: dict[str, object] = {"k": kind.name, "u": user_id}
    elif email_id and email:
        claims = {"k": kind.name, "m": email_id, "e": address_digest(email)}
    else:
        raise ValueError("An unsubscribe link needs an account id, or an outbox row's id and its address.")
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).sign_object(claims, compress=True)


def unsubscribe_read(*, token: str) -> tuple[Kind, int | None, str]:
    """Read a signed unsubscribe token: (kind, account id or None, address or ""). Raises signing.BadSignature if
    it was altered, and UnsubscribeLinkExpired (a BadSignature) if it is too old or its email has been deleted."""
    max_age = settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS * 24 * 60 * 60
    try:
        data = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise UnsubscribeLinkExpired("This link is too old.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("k"), str):
        raise signing.BadSignature("Not an unsubscribe link.")
    kind = registry.get(data["k"])
    if not kind.can_opt_out:
        raise signing.BadSignature("This kind cannot be turned off.")
    if data.get("u"):
        return kind, int(data["u"]), ""
    if "m" in data:
        address = OutboundEmail.objects.filter(pk=data["m"], kind=kind.name).values_list("to_email", flat=True).first()
        if address is None:
            raise UnsubscribeLinkExpired("The email this link came in has been deleted.")
        if not constant_time_compare(str(data.get("e", "")), address_digest(address)):
            raise signing.BadSignature("The link does not match its email.")
        return kind, None, address
    # Links sent before keyed hashes carried the address itself; they still work until they are too old.
    address = str(data.get("e", ""))
    if "@" not in address:
        raise signing.BadSignature("Not an unsubscribe link.")
    return kind, None, address


def unsubscribe(*, token: str) -> Kind:
    """Stop emails of one kind for the person or address in the token. Idempotent."""
    kind, user_id, address = unsubscribe_read(token=token)
    if user_id:
        preference_set(user_id=user_id, kind=kind, delivery=Delivery.IN_APP if kind.in_app else Delivery.OFF)
    else:
        EmailSuppression.objects.get_or_create(email=address, kind=kind.name)
    return kind
