"""Hiding secrets that travel in links (pledge confirm and manage links, email confirmation and password reset keys)
wherever staff or operators can read them: the admin and the logs. Anyone holding such a link can act as its owner."""

import json
import logging
import re
from typing import Any

HIDDEN = "[link key hidden]"

_SECRETS = [
    # django.core.signing values: "payload:signature" or "payload:timestamp:signature" (signature base64, 27+ chars).
    re.compile(r"\.?[A-Za-z0-9_-]+(?::[A-Za-z0-9_-]+)?:[A-Za-z0-9_-]{20,}"),
    # allauth's password reset keys ("<uid>-<token>") sit in a path segment of their own.
    re.compile(r"(?<=/password/reset/key/)[^/\s\"'<>]+"),
]


def redact(text: str) -> str:
    """The text with every link key replaced by a placeholder; everything else unchanged."""
    for pattern in _SECRETS:
        text = pattern.sub(HIDDEN, text)
    return text


def redact_json(value: Any) -> str:
    return redact(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str))


class RedactSecretsFilter(logging.Filter):
    """On a log handler: the message is formatted once and redacted, so a link key in a logged URL (a 404 for an
    expired pledge link, say) never reaches the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed log call still logs, unredacted args dropped
            message = str(record.msg)
        record.msg, record.args = redact(message), ()
        return True
