"""Fixtures for the outbox fault tests (tests/support/outbox.py): a private broker, an SMTP sink, real workers."""

from tests.support.outbox import broker, redis_server, sink, start_worker  # noqa: F401 - fixtures, by name
