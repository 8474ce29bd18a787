"""Signed, expiring links for people without an account: confirming a pledge and managing it.

A token carries the pledge's id and its contact email at signing time, so a link stops working as soon as the contact
changes. Links are signed with the site's secret key (django.core.signing) and refused after their age limit.
"""

from dataclasses import dataclass

from django.core import signing

CONFIRM_SALT = "pledges.confirm"
MANAGE_SALT = "pledges.manage"
CONFIRM_MAX_AGE = 7 * 24 * 60 * 60  # a week to find the email and follow it
MANAGE_MAX_AGE = 24 * 60 * 60  # a day: a management link is as good as a password while it lasts


class LinkExpired(Exception):
    """The link was genuine but is too old: the person can ask for a new one."""


class LinkInvalid(Exception):
    """The link was changed, cut short or made up."""


@dataclass(frozen=True)
class LinkClaims:
    pledge_id: int
    email: str


def make_token(*, pledge, salt: str) -> str:
    return signing.TimestampSigner(salt=salt).sign_object({"p": pledge.pk, "e": pledge.contact_email.lower()})


def read_token(token: str, *, salt: str, max_age: int) -> LinkClaims:
    """Raises LinkExpired or LinkInvalid."""
    signer = signing.TimestampSigner(salt=salt)
    try:
        data = signer.unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    try:
        return LinkClaims(pledge_id=int(data["p"]), email=str(data["e"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise LinkInvalid from exc
