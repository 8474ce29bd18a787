"""Sending outbox rows: claim, build once, send over one connection, finish; retry with backoff when it fails.

The rules:
- Each row is claimed by one atomic UPDATE that writes a fresh owner token; the worker finishes the row only while
  the token is still its own, so a worker whose lease ran out cannot overwrite what the next one did.
- A claimed email must be over before its lease runs out: every SMTP step waits at most EMAIL_TIMEOUT, and the whole
  conversation for one email is cut off at half the lease (OUTBOX_SENDING_LEASE_SECONDS), so no other worker takes
  the row while this one may still be talking to the mail server.
- The message is built once, at the first attempt, and its bytes are kept: every attempt sends the same bytes, with
  the same Message-ID, Date and unsubscribe link, so a receiver can drop a resend as a copy.
- A dropped connection (or 421) is reconnected once. A temporary refusal (4xx), or a connection that cannot be made
  again, means "later" for the whole batch: the email counts an attempt and backs off, and the rest of the batch is
  put back, untried, for a first retry's wait. Other failures back off one email at a time, up to
  OUTBOX_MAX_ATTEMPTS, then the row is marked failed for staff.
"""

import logging
import random
import re
import signal
import smtplib
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email import message_from_bytes
from email.generator import BytesGenerator
from email.header import decode_header, make_header
from email.message import Message
from email.utils import make_msgid
from io import BytesIO
from types import FrameType

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F
from django.utils import timezone

from portal.notifications import registry, selectors
from portal.notifications.models import EmailSuppression, OutboundEmail
from portal.notifications.registry import Delivery
from portal.notifications.services.rendering import build_message

logger = logging.getLogger(__name__)

SENT_BODY_CLEARED = "(Cleared after sending: account emails hold one-time links.)"


class SendDeadlineExceeded(TimeoutError):
    """One email's conversation with the mail server ran past half its lease and was cut off."""


# --- A batch ------------------------------------------------------------------------------------------------------


def outbound_emails_send(*, email_ids: list[int]) -> dict[str, int]:
    """Send a batch of outbox rows over one connection to the mail server. Returns a count of each outcome.

    After a "later" from the server ("busy"), the rest of the batch is put back untried: "deferred" counts them.
    """
    outcomes: dict[str, int] = {}
    mail_connection = get_connection()
    try:
        for index, email_id in enumerate(email_ids):
            outcome, busy = _send_one(email_id=email_id, mail_connection=mail_connection)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if busy:
                outcomes["busy"] = 1
                # As if each had been tried once: the server's "later" is about the server, not these emails, so
                # they wait a first retry's time, not the backoff the tried one has built up.
                later = timezone.now() + timedelta(seconds=retry_delay(1))
                outcomes["deferred"] = _defer(email_ids[index + 1 :], until=later)
                break
    finally:
        _close_quietly(mail_connection)
    return outcomes


def _defer(email_ids: list[int], *, until: datetime) -> int:
    """Put untried rows back until the server may take them: no attempt counted, handed over again when due."""
    if not email_ids:
        return 0
    return OutboundEmail.objects.filter(pk__in=email_ids, status=OutboundEmail.Status.PENDING).update(
        due_at=until, enqueued_at=None
    )


# --- One email ----------------------------------------------------------------------------------------------------


def outbound_email_send(*, email_id: int, mail_connection: BaseEmailBackend | None = None) -> str:
    """Send one outbox row if it is still due and nobody else has claimed it. Returns what happened: "sent",
    "skipped", "retry", "failed", "not-claimed" or "claim-lost".

    The claim is a single UPDATE ... WHERE status = pending, so of two workers racing only one gets the row.
    """
    return _send_one(email_id=email_id, mail_connection=mail_connection)[0]


def _send_one(*, email_id: int, mail_connection: BaseEmailBackend | None) -> tuple[str, bool]:
    """As outbound_email_send(), and whether the server said "later" (the rest of the batch should wait)."""
    now = timezone.now()
    token = uuid.uuid4().hex
    claimed = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.PENDING, due_at__lte=now).update(
        status=OutboundEmail.Status.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
    )
    if not claimed:
        return "not-claimed", False
    started = time.monotonic()
    email = OutboundEmail.objects.select_related("event", "notification", "recipient").get(pk=email_id)
    email.claim_token = token
    own_connection = mail_connection is None
    connection = mail_connection or get_connection()
    try:
        reason = _reason_to_skip(email)
        if reason:
            _finish(email, status=OutboundEmail.Status.SKIPPED, last_error=reason, raw_message=None)
            return "skipped", False
        raw = _frozen_bytes(email)
        if raw is None:
            return "not-claimed", False  # the lease ran out while building it and another worker has the row
        budget = settings.OUTBOX_SENDING_LEASE_SECONDS / 2 - (time.monotonic() - started)
        with _deadline(budget):
            _send_reconnecting_once(connection, _frozen_message(email, raw))
    except Exception as exc:  # noqa: BLE001 - any failure (render or send) is retried, then shown to staff
        return _record_failure(email, exc), _is_temporary(exc)
    else:
        # The post-DATA window: nothing between the server's "250 accepted" and this UPDATE (not even closing the
        # connection, below). A worker killed inside it leaves the row "sending", and the email is sent again.
        # "claim-lost": sent, but the lease ran out first and another worker holds the row (what EMAIL_TIMEOUT and
        # the send deadline are there to prevent); the row is left to that worker.
        return ("sent" if _finish(email, **_sent_fields(email)) else "claim-lost"), False
    finally:
        if own_connection:
            _close_quietly(connection)


def _sent_fields(email: OutboundEmail) -> dict[str, object]:
    fields: dict[str, object] = {
        "status": OutboundEmail.Status.SENT,
        "sent_at": timezone.now(),
        "last_error": "",
        "raw_message": None,
    }
    if email.subject:
        # Pre-rendered account emails carry one-time links (password reset, email confirmation): once sent, the
        # outbox keeps that it was sent and when, not a working link for anyone who can read the table.
        fields.update(body_text=SENT_BODY_CLEARED, body_html="")
    return fields


def _finish(email: OutboundEmail, **fields: object) -> bool:
    """Write the outcome only while this worker still holds the claim. Returns whether it did."""
    done = OutboundEmail.objects.filter(
        pk=email.pk, status=OutboundEmail.Status.SENDING, claim_token=email.claim_token
    ).update(**fields)
    if not done:
        logger.warning("Email %s was claimed again by another worker before this one finished; left as is.", email.pk)
    return bool(done)


# --- The message, built once --------------------------------------------------------------------------------------


def _frozen_bytes(email: OutboundEmail) -> bytes | None:
    """The bytes of this email as first built; built and kept now if this is the first attempt.

    Returns None if the claim was lost meanwhile (nothing is kept then)."""
    if email.raw_message is not None:
        return bytes(email.raw_message)
    if not email.message_id:
        email.message_id = make_msgid(domain=settings.OUTBOX_MESSAGE_ID_DOMAIN)
    raw = _wire_bytes(build_message(email).message())
    kept = OutboundEmail.objects.filter(
        pk=email.pk, status=OutboundEmail.Status.SENDING, claim_token=email.claim_token
    ).update(message_id=email.message_id, raw_message=raw)
    return raw if kept else None


def _wire_bytes(message: Message) -> bytes:
    """The message as Django's SMTP backend writes it to the wire (SafeMIME.as_bytes(linesep="\\r\\n"))."""
    buffer = BytesIO()
    BytesGenerator(buffer, mangle_from_=False).flatten(message, linesep="\r\n")
    return buffer.getvalue()


class _RawMIME(Message):
    """A parsed message that writes out exactly the bytes it was parsed from."""

    raw: bytes = b""

    def as_bytes(self, unixfrom: bool = False, policy: object = None, linesep: str = "\n") -> bytes:
        return self.raw if linesep == "\r\n" else self.raw.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom: bool = False, maxheaderlen: int = 0, policy: object = None) -> str:
        return self.as_bytes().decode("utf-8", errors="replace")


class FrozenEmail(EmailMultiAlternatives):
    """An email whose bytes were fixed at its first attempt: Django's backends send `raw` as it is."""

    def __init__(self, *, raw: bytes, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.raw = raw

    def message(self) -> _RawMIME:  # type: ignore[override]
        parsed = message_from_bytes(self.raw, _class=_RawMIME)
        parsed.raw = self.raw
        return parsed


def _frozen_message(email: OutboundEmail, raw: bytes) -> FrozenEmail:
    parsed = message_from_bytes(raw)
    names = ("Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post")
    headers = {name: _unfold(parsed[name]) for name in names if parsed[name]}
    html = _part(parsed, "text/html")
    return FrozenEmail(
        raw=raw,
        subject=str(make_header(decode_header(_unfold(parsed["Subject"] or "")))),
        body=_part(parsed, "text/plain"),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        headers=headers,
        alternatives=[(html, "text/html")] if html else None,
    )


def _unfold(value: object) -> str:
    """A header as one line (RFC 5322 unfolding: a line break before a space or tab goes)."""
    return re.sub(r"\r?\n(?=[ \t])", "", str(value)).strip()


def _part(parsed: Message, content_type: str) -> str:
    """One part's text, for backends that keep messages as objects (the tests' locmem outbox)."""
    for part in parsed.walk():
        if part.get_content_type() == content_type and not part.is_multipart():
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                text = payload.decode(part.get_content_charset() or "utf-8", errors="replace")
                return text.replace("\r\n", "\n")  # as written, before the wire's line endings
    return ""


# --- Talking to the mail server -----------------------------------------------------------------------------------


def _send_reconnecting_once(connection: BaseEmailBackend, message: EmailMessage) -> None:
    try:
        _open(connection)
        connection.send_messages([message])
    except Exception as exc:
        if isinstance(exc, SendDeadlineExceeded) or not _connection_lost(exc):
            raise
        logger.info("The mail server connection was lost (%s); connecting again once.", exc)
        _close_quietly(connection)
        _open(connection)
        connection.send_messages([message])  # a second failure is the caller's to record


def _open(connection: BaseEmailBackend) -> None:
    """Open the batch's connection before sending: a backend opened by send_messages() closes it again after."""
    if getattr(connection, "connection", False) is None:
        connection.open()


def _smtp_code(exc: BaseException) -> int | None:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return min(codes) if codes else None
    if isinstance(exc, smtplib.SMTPResponseException):
        return int(exc.smtp_code)
    return None


def _connection_lost(exc: BaseException) -> bool:
    """Hung up (421, or gone), or a socket error or timeout: not an answer (smtplib's answers are OSErrors too)."""
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPException):
        return _smtp_code(exc) == 421
    return isinstance(exc, OSError)


def _is_temporary(exc: BaseException) -> bool:
    """The server said "later" (4xx), or the connection is gone even after reconnecting, or the email timed out."""
    code = _smtp_code(exc)
    return _connection_lost(exc) or (code is not None and 400 <= code < 500)


def _close_quietly(connection: BaseEmailBackend) -> None:
    try:
        connection.close()
    except Exception:  # a connection already gone is closed enough
        logger.debug("Closing the mail connection failed", exc_info=True)
    # smtplib's SMTP object may be left half-open after a timeout: make sure the next send opens a fresh one.
    if hasattr(connection, "connection"):
        connection.connection = None


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Cut one email's conversation off after `seconds`, where a signal can do it (a worker process's main thread).

    EMAIL_TIMEOUT bounds each step; this bounds their sum, which a server answering slowly at every step could
    otherwise stretch past the lease. In other threads (development, tests) EMAIL_TIMEOUT alone applies.
    """
    if seconds <= 0:
        raise SendDeadlineExceeded("No time left in the claim to send this email.")
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise SendDeadlineExceeded(f"The mail server took longer than {seconds:.0f}s for one email.")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- Failures -----------------------------------------------------------------------------------------------------


def _record_failure(email: OutboundEmail, exc: Exception) -> str:
    error = f"{exc.__class__.__name__}: {exc}"[:2000]
    if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        logger.error("Email %s failed for good after %s attempts: %s", email.pk, email.attempts, error)
        _finish(email, status=OutboundEmail.Status.FAILED, last_error=error)
        return "failed"
    delay = retry_delay(email.attempts)
    logger.warning("Email %s failed (attempt %s), retrying in %.0fs: %s", email.pk, email.attempts, delay, error)
    due_at = timezone.now() + timedelta(seconds=delay)
    _finish(email, status=OutboundEmail.Status.PENDING, due_at=due_at, enqueued_at=None, last_error=error)
    return "retry"


def retry_delay(attempts: int) -> float:
    """Exponential backoff with full jitter on the upper half: base * 2^(n-1), capped, then 50-100% of that."""
    ceiling: float = min(settings.OUTBOX_RETRY_MAX_SECONDS, settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1))
    return ceiling * (0.5 + random.random() / 2)  # noqa: S311 - jitter, not security


def _reason_to_skip(email: OutboundEmail) -> str:
    if email.notification is not None and email.notification.read_at:
        return "Seen in the portal before the email was due."
    if email.event_id is None:
        return ""
    kind = registry.get(email.kind)
    if not kind.can_opt_out:
        return ""
    if email.recipient_id:
        if selectors.preference_get(user_id=email.recipient_id, kind=kind) != Delivery.IMMEDIATE:
            return "The person changed their choice before it was sent."
    elif EmailSuppression.objects.filter(email=email.to_email, kind=email.kind).exists():
        return "The address unsubscribed before it was sent."
    return ""
