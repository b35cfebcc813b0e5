"""A real Celery worker for tests: `celery -A accelerator worker` in a subprocess, against the real
Redis (REDIS_URL) and the pytest test database.

Its fixtures are registered for every test by `pytest_plugins` in the root conftest.py; use them
from any app's tests:

    pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

    def test_something(celery_worker, smtp_server):
        celery_worker.start(EMAIL_URL=smtp_server.url)   # extra environment for the worker
        my_task.delay(...)                                # goes to Redis, the worker runs it
        celery_worker.wait_idle()                         # queue empty and nothing in flight
        assert len(smtp_server.messages) == 1

What the fixture does and why:
- The test must use `django_db(transaction=True)`: the worker is another process with its own
  connection, so it only sees committed rows. Rows the test creates are committed at once.
- The worker gets DJANGO_SETTINGS_MODULE=accelerator.settings (the production settings, not the
  eager test settings), DATABASE_URL pointing at the test database, REDIS_URL, a test SECRET_KEY
  and a queue of its own (CELERY_QUEUE), so parallel runs sharing one Redis never take each
  other's messages. While the fixture is active, this process's Celery app sends to that queue
  and stops running tasks eagerly; both are restored afterwards.
- Skips with the reason when REDIS_URL is unset, or when the test database is SQLite in memory
  (another process cannot open it): CI runs on PostgreSQL and Redis, so these tests run there.
- `start()` can be called late (to enqueue first, flush Redis, then start), `stop()` early; the
  worker is always killed at teardown, before the test database is flushed.
- `flush_broker()` empties the Redis database of REDIS_URL, as a restarted Redis without
  persistence would.
- Django's locmem outbox cannot cross processes; use the `smtp_server` fixture (aiosmtpd on
  loopback) and pass `EMAIL_URL=smtp_server.url` to `start()`.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 120
IDLE_TIMEOUT = 120  # generous: CI machines can be busy


def _database_url():
    from django.db import connection

    config = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(config["NAME"])
        if name in ("", ":memory:") or "mode=memory" in name:
            pytest.skip("A real Celery worker needs a database another process can open: set DATABASE_URL "
                        "to PostgreSQL (as CI does).")
        return f"sqlite:///{name}"
    if connection.vendor != "postgresql":
        pytest.skip(f"The worker fixture knows PostgreSQL and SQLite files, not {connection.vendor}.")
    user = quote(config.get("USER") or "", safe="")
    password = quote(config.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = config.get("HOST") or "127.0.0.1"
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{quote(config['NAME'], safe='')}"


class CeleryWorker:
    def __init__(self, tmp_path):
        from django.conf import settings

        if not settings.REDIS_URL:
            pytest.skip("REDIS_URL is not set: tests with a real Celery worker need Redis (CI provides it).")
        self.redis_url = settings.REDIS_URL
        self.queue = f"test-{uuid.uuid4().hex[:10]}"
        self.log_path = tmp_path / "celery-worker.log"
        self.database_url = _database_url()
        self.process = None
        self._log = None
        self._configure_app()

    # This process's Celery app: send to the worker's queue, really send (not eager).
    def _configure_app(self):
        from accelerator.celery import app

        self.app = app
        self._saved = {key: app.conf[key] for key in ("task_default_queue", "task_always_eager")}
        app.conf.task_default_queue = self.queue
        app.conf.task_always_eager = False

    def _restore_app(self):
        self.app.conf.update(self._saved)

    @property
    def redis(self):
        import redis

        return redis.Redis.from_url(self.redis_url)

    def start(self, **extra_env):
        assert self.process is None, "the worker is already running"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "accelerator.settings",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CELERY_QUEUE": self.queue,
            "SECRET_KEY": "celery-worker-test-secret-key",
            "CONN_MAX_AGE": "0",
            "DEBUG": "0",
            "PYTHONUNBUFFERED": "1",
            **{key: str(value) for key, value in extra_env.items()},
        }
        self._log = open(self.log_path, "w")  # noqa: SIM115  (outlives this method; closed in stop())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "accelerator", "worker", "--pool=solo", "--loglevel=INFO",
             "-Q", self.queue, "-n", f"{self.queue}@%h", "--without-gossip", "--without-mingle",
             "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The Celery worker exited early:\n{self.log()}")
            if " ready." in self.log():
                return self
            time.sleep(0.2)
        raise RuntimeError(f"The Celery worker was not ready in {READY_TIMEOUT}s:\n{self.log()}")

    def log(self):
        return self.log_path.read_text() if self.log_path.exists() else ""

    def in_flight(self):
        """Messages waiting in this worker's queue plus those it took but has not acknowledged
        (kombu keeps those in the "unacked" hash as JSON [message, exchange, routing key])."""
        import json

        r = self.redis
        taken = 0
        for raw in r.hvals("unacked"):
            try:
                taken += json.loads(raw)[2] == self.queue
            except (ValueError, IndexError, TypeError):
                continue
        return r.llen(self.queue) + taken

    def wait_idle(self, timeout=IDLE_TIMEOUT, settle=0.5):
        """Wait until the queue is empty and nothing is in flight (twice in a row, `settle` apart)."""
        deadline = time.monotonic() + timeout
        quiet = 0
        while time.monotonic() < deadline:
            quiet = quiet + 1 if self.in_flight() == 0 else 0
            if quiet >= 2:
                return
            time.sleep(settle)
        raise AssertionError(f"The worker did not finish its queue in {timeout}s:\n{self.log()}")

    def wait_for(self, condition, timeout=IDLE_TIMEOUT, message="condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.2)
        raise AssertionError(f"Timed out waiting for {message}:\n{self.log()}")

    def flush_broker(self):
        """Lose everything Redis holds, as a Redis restart without persistence does."""
        self.redis.flushdb()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def close(self):
        self.stop()
        self._restore_app()
        with contextlib.suppress(Exception):  # cleanup must not hide the test's own result
            self.redis.delete(self.queue)


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    """A not-yet-started real worker (see the module docstring); call `.start(**env)`."""
    worker = CeleryWorker(tmp_path)
    try:
        yield worker
    finally:
        worker.close()


class SMTPServer:
    """aiosmtpd on loopback that keeps every message it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        self.delay = 0.0  # seconds to wait before accepting each message (a slow server)
        self.refuse = {}  # address → (code, text): that recipient is refused with this reply
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            code, text = self.refuse[address]
            return f"{code} {text}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        import email

        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content)
        self.messages.append({"to": list(envelope.rcpt_tos), "subject": str(message["Subject"]),
                              "message_id": str(message["Message-ID"]), "message": message})
        return "250 Message accepted for delivery"

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def use_in_this_process(self, settings):
        """Point this process's Django mail at the server (pytest-django's `settings` fixture)."""
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", self.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 10

    def recipients(self):
        return sorted(r for m in self.messages for r in m["to"])


@pytest.fixture
def smtp_server():
    """A local SMTP server (127.0.0.1, a free port); give a worker EMAIL_URL=smtp_server.url."""
    pytest.importorskip("aiosmtpd")
    server = SMTPServer()
    server.controller.start()
    try:
        yield server
    finally:
        server.controller.stop()
