"""Signed, expiring links for people without an account: confirming a pledge and managing it.

A token carries the pledge's id, a keyed hash of its contact email at signing time and the pledge's link version, so
a link stops working as soon as the contact changes and stays dead if the contact is changed back (the version only
goes up). The address itself cannot be read from the link (a signed payload is only base64). Links are signed with
the site's secret key (django.core.signing) and refused after their age limit.
"""

from dataclasses import dataclass

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

CONFIRM_SALT = "pledges.confirm"
MANAGE_SALT = "pledges.manage"
CONFIRM_MAX_AGE = 7 * 24 * 60 * 60  # a week to find the email and follow it
MANAGE_MAX_AGE = 24 * 60 * 60  # a day: a management link is as good as a password while it lasts


class LinkExpired(Exception):
    """The link was genuine but is too old: the person can ask for a new one."""


class LinkInvalid(Exception):
    """The link was changed, cut short or made up."""


class LinkSuperseded(Exception):
    """The link was genuine, but the pledge's contact has changed since it was sent: the person may ask for another,
    which goes to the contact the pledge has now."""


def email_digest(email: str, *, salt: str) -> str:
    """A keyed hash of the address: tells a link's contact apart without putting the address in the URL."""
    return salted_hmac(f"{salt}.contact", email.strip().lower()).hexdigest()[:16]


@dataclass(frozen=True)
class LinkClaims:
    pledge_id: int
    email_digest: str
    link_version: int
    salt: str

    def is_current_for(self, pledge) -> bool:
        """Whether the link was made for the pledge's present contact, since the last change of contact."""
        return self.link_version == pledge.link_version and constant_time_compare(
            self.email_digest, email_digest(pledge.contact_email, salt=self.salt)
        )


def make_token(*, pledge, salt: str) -> str:
    return signing.TimestampSigner(salt=salt).sign_object(
        {"p": pledge.pk, "e": email_digest(pledge.contact_email, salt=salt), "v": pledge.link_version}
    )


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
        # Links made before versions existed carry none: they were made at version 0, which every pledge began at.
        return LinkClaims(
            pledge_id=int(data["p"]), email_digest=str(data["e"]), link_version=int(data.get("v", 0)), salt=salt
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise LinkInvalid from exc
