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
        self.sink.in_rcpt.set()
        if self.sink.rcpt_delay:
            await asyncio.sleep(self.sink.rcpt_delay)
        if self.sink.refuse:
            return "451 4.3.0 Mail server busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        with self.sink.lock:
            self.sink.messages.append(message)
        return "250 Message accepted for delivery"


class SMTPSink:
    """A real SMTP server that keeps what it accepts. `rcpt_delay` slows each message before it is committed
    (so a test can kill a sender at a moment when no message is half-accepted); `refuse` answers 451."""

    def __init__(self, *, rcpt_delay: float = 0.0) -> None:
        self.port = free_port()
        self.rcpt_delay = rcpt_delay
        self.refuse = False
        self.messages: list = []
        self.lock = threading.Lock()
        self.in_rcpt = threading.Event()
        self.controller = Controller(_SinkHandler(self), hostname="127.0.0.1", port=self.port)

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

    def __init__(self, *, env: dict[str, str], concurrency: int = 1, log_path: Path | None = None) -> None:
        self.env = env
        self.concurrency = concurrency
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115 - lives with the worker
        command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=prefork"]
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
