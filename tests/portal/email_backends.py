"""Email backends for tests: stand-ins for a mail server that refuses."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """Every send fails as a mail server that is refusing connections would."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class ReclaimingBackend(BaseEmailBackend):
    """Sends (into `sent`), but meanwhile another worker claims the row, as if this one had stalled past its lease."""

    sent: list = []

    def send_messages(self, email_messages):
        from portal.notifications.models import OutboundEmail

        OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING).update(claim_token="another-worker")
        ReclaimingBackend.sent.extend(email_messages)
        return len(email_messages)
