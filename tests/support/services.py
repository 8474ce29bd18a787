"""Real local services for tests and benchmarks: an SMTP sink, a private Redis server and Celery workers.

All listen on 127.0.0.1 only and are stopped by their owners.
"""

import asyncio
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from email import message_from_bytes
from pathlib import Path
from typing import NamedTuple

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
# aiosmtpd logs every SMTP command at INFO: thousands of lines in a benchmark.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Callable[[], bool], *, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}")


class _SinkHandler:
    def __init__(self, sink: "SMTPSink") -> None:
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        sink = self.sink
        sink.in_rcpt.set()
        if sink.rcpt_delay:
            await asyncio.sleep(sink.rcpt_delay)
        if sink.stall and sink.stall_at == "rcpt" and sink._stalls(address):
            await asyncio.sleep(sink.stall)
        if sink.refuse:
            return f"{sink.refuse_code} 4.3.0 Mail server busy, try again later"
        with sink.lock:
            refuse_now = address in sink.refuse_once
            sink.refuse_once.discard(address)
        if refuse_now:
            return "451 4.7.1 Greylisted, try again later"
        if sink.drop_every and getattr(session, "accepted", 0) >= sink.drop_every:
            with sink.lock:
                sink.dropped += 1
            return "421 4.3.2 Too many messages on one connection, closing"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        sink = self.sink
        raw = envelope.original_content or envelope.content
        message = message_from_bytes(raw)
        with sink.lock:
            sink.messages.append(message)
            sink.received.append(Received(raw=raw, at=time.time(), to=tuple(envelope.rcpt_tos)))
        session.accepted = getattr(session, "accepted", 0) + 1
        if sink.stall and sink.stall_at == "data" and any(sink._stalls(a) for a in envelope.rcpt_tos):
            await asyncio.sleep(sink.stall)  # accepted and kept, but the sender hears nothing for a while
        return "250 Message accepted for delivery"


class Received(NamedTuple):
    raw: bytes
    at: float
    to: tuple[str, ...]


class SMTPSink:
    """A real SMTP server that keeps what it accepts, and can misbehave as mail servers do:

    - `rcpt_delay` slows each message before it is committed (so a test can kill a sender mid-conversation);
    - `refuse` answers every recipient with `refuse_code` (451 by default; 421 also makes the client hang up);
      `refuse_once` (addresses) answers 451 the first time each is seen, as greylisting does;
    - `drop_every` answers 421 and makes the client hang up after that many messages on one connection;
    - `stall` seconds of silence at `stall_at` "rcpt" (before accepting) or "data" (after keeping the message, before
      saying so: the at-least-once window), for every message or only `stall_only` addresses, each stalled once if
      `stall_once`.
    `received` keeps each accepted message's bytes, time and recipients.
    """

    def __init__(self, *, rcpt_delay: float = 0.0) -> None:
        self.port = free_port()
        self.rcpt_delay = rcpt_delay
        self.refuse = False
        self.refuse_code = 451
        self.refuse_once: set[str] = set()
        self.drop_every: int | None = None
        self.dropped = 0
        self.stall = 0.0
        self.stall_at = "rcpt"
        self.stall_only: set[str] | None = None
        self.stall_once = False
        self._stalled: set[str] = set()
        self.stalled_at: dict[str, float] = {}  # when each address was first stalled
        self.messages: list = []
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.in_rcpt = threading.Event()
        self.controller = Controller(_SinkHandler(self), hostname="127.0.0.1", port=self.port)

    def _stalls(self, address: str) -> bool:
        with self.lock:
            if self.stall_only is not None and address not in self.stall_only:
                return False
            if self.stall_once and address in self._stalled:
                return False
            self._stalled.add(address)
            self.stalled_at.setdefault(address, time.time())
            return True

    def copies(self) -> dict[str, list[bytes]]:
        """Each Message-ID's accepted copies, as bytes."""
        by_id: dict[str, list[bytes]] = {}
        with self.lock:
            for message, received in zip(self.messages, self.received, strict=True):
                by_id.setdefault(str(message["Message-ID"]), []).append(received.raw)
        return by_id

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.messages]

    def __enter__(self) -> "SMTPSink":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


class RedisServer:
    """A private redis-server on its own port, which a test can stop and start again (a broker outage)."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what="redis-server to accept connections")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class Worker:
    """A real `celery -A portal worker` in its own process group, so SIGKILL reaches the pool's children too."""

    # Both queues, as every place that starts a worker does (docs/notifications.md): control tasks and bulk batches.
    QUEUES = "celery,outbox"
    _started = 0

    def __init__(self, *, env: dict[str, str], concurrency: int = 1, log_path: Path | None = None) -> None:
        self.env = env
        self.concurrency = concurrency
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115 - lives with the worker
        Worker._started += 1
        command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=prefork", "-Q", self.QUEUES]
        command += [f"--hostname=outbox{os.getpid()}-{Worker._started}@%h"]
        command += [f"--concurrency={self.concurrency}", "--prefetch-multiplier=1", "--loglevel=INFO"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its pool: nothing gets to clean up, as when a machine dies."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def use_broker(url: str) -> None:
    """Point this process's Celery app at a broker and stop running tasks in-process."""
    from kombu import pools

    from portal.celery import app

    app.conf.broker_url = url
    app.conf.task_always_eager = False
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()  # kombu's process-wide pools would hand back connections to the old or dead broker


def worker_env(*, database: dict, broker_url: str, email_url: str, **extra: str) -> dict[str, str]:
    """Environment for a worker process using production settings against the test database."""
    from urllib.parse import quote

    user = quote(database.get("USER") or "")
    password = quote(database.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if user else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or "5432"
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": "test-worker-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"postgres://{auth}{host}:{port}/{database['NAME']}",
        "REDIS_URL": broker_url,
        "EMAIL_URL": email_url,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
