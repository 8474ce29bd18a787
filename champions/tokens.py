"""Signed, expiring invitation links: an IS admin invites a champion, who follows the link to sign up or sign in and
be linked to their record.

A token carries the champion's id, a keyed hash of the address it was sent to and the record's invitation version.
The version goes up with every new invitation and when the invitation is accepted, so only the latest link works and
a used one stays dead; a change of address kills it too. Links are signed with the site's secret key
(django.core.signing) and refused after INVITATION_MAX_AGE.
"""

from dataclasses import dataclass

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from champions.models import Champion

INVITATION_SALT = "champions.invitation"
INVITATION_MAX_AGE = 14 * 24 * 60 * 60  # two weeks: champions are busy senior leaders


class LinkExpired(Exception):
    """The link was genuine but is too old: the Improvement Service can send another."""


class LinkInvalid(Exception):
    """The link was changed, cut short or made up."""


class LinkSuperseded(Exception):
    """The link was genuine, but a newer invitation was sent, the address changed, or it was already used."""


def email_digest(email: str) -> str:
    return salted_hmac(f"{INVITATION_SALT}.email", email.strip().lower()).hexdigest()[:16]


@dataclass(frozen=True)
class InvitationClaims:
    champion_id: int
    email_digest: str
    version: int

    def is_current_for(self, champion: Champion) -> bool:
        return self.version == champion.invitation_version and constant_time_compare(
            self.email_digest, email_digest(champion.email)
        )


def make_token(champion: Champion) -> str:
    payload = {"c": champion.pk, "e": email_digest(champion.email), "v": champion.invitation_version}
    return signing.TimestampSigner(salt=INVITATION_SALT).sign_object(payload)


def read_token(token: str, *, max_age: int = INVITATION_MAX_AGE) -> InvitationClaims:
    """Raises LinkExpired or LinkInvalid."""
    try:
        data = signing.TimestampSigner(salt=INVITATION_SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    try:
        return InvitationClaims(champion_id=int(data["c"]), email_digest=str(data["e"]), version=int(data["v"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise LinkInvalid from exc
