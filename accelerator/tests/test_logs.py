"""Structured logs: one JSON line per request with its id, the same id in the tasks it queues,
and error reporting that never stops the app from starting."""

import io
import json
import logging
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from celery import shared_task
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from accelerator import logs

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """What the JSON formatter writes, for the request logger and this module's test task."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JSONFormatter())
    handler.addFilter(logs.RequestIdFilter())
    loggers = [logging.getLogger("accelerator.requests"), logging.getLogger(__name__)]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for lg, level in zip(loggers, levels, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)


def test_a_request_writes_one_json_line_with_its_fields_and_no_email(client, world, json_lines):
    member = world.users["member"]
    client.force_login(member)
    response = client.get(f"/cities/{world.city.slug}/")
    assert response.status_code == 200
    [line] = json_lines()
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == member.pk
    assert line["city"] == world.city.slug
    assert line["view"] and line["status"] == 200 and line["duration_ms"] >= 0
    assert member.email not in json.dumps(line)


def test_a_safe_incoming_request_id_is_kept_and_an_unsafe_one_replaced(client, json_lines):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="edge-1234.abc")["X-Request-ID"] == "edge-1234.abc"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID='bad"\nid' + "x" * 80)["X-Request-ID"]
    assert logs.SAFE_REQUEST_ID.match(replaced) and "bad" not in replaced
    assert [line["request_id"] for line in json_lines()] == ["edge-1234.abc", replaced]


seen_headers = []


@shared_task(bind=True, name="accelerator.tests.log_probe")
def log_probe(self):
    seen_headers.append(logs.task_request_id(self))
    logging.getLogger(__name__).info("probe ran")


def test_a_task_queued_from_a_request_logs_the_same_request_id(json_lines):
    seen_headers.clear()

    def view(request):
        log_probe.delay()
        return HttpResponse("ok")

    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="req-42")
    request.user = SimpleNamespace(is_authenticated=False, pk=None)
    logs.RequestLogMiddleware(view)(request)
    assert seen_headers == ["req-42"]  # the task_prerun handler read it from the task's headers
    probe = [line for line in json_lines() if line["message"] == "probe ran"]
    assert [line["request_id"] for line in probe] == ["req-42"]
    assert logs.request_id_var.get() is None  # nothing leaks past the request


def test_the_publish_and_prerun_handlers_carry_the_id_through_a_broker():
    token = logs.request_id_var.set("req-7")
    try:
        headers = {}
        logs.add_request_id_header(headers=headers)
        assert headers == {logs.HEADER: "req-7"}
    finally:
        logs.request_id_var.reset(token)
    # On the worker, a message's custom headers are attributes of the task's request.
    task = SimpleNamespace(request=SimpleNamespace(**headers, headers=None))
    logs.set_task_request_id(task_id="t1", task=task)
    assert logs.request_id_var.get() == "req-7"
    logs.clear_task_request_id(task_id="t1")
    assert logs.request_id_var.get() is None


def test_a_bad_sentry_dsn_does_not_stop_the_app_from_starting():
    env = {**os.environ, "SENTRY_DSN": "nonsense", "DJANGO_SETTINGS_MODULE": "accelerator.settings",
           "SECRET_KEY": "test-only", "ALLOWED_HOSTS": "example.org"}
    result = subprocess.run(
        [sys.executable, "-c",
         "import django; django.setup(); from django.conf import settings; print(settings.SENTRY_ENABLED)"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    assert "SENTRY_DSN" in result.stderr and "running without it" in result.stderr


def test_log_format_is_plain_in_development_and_json_otherwise():
    code = "import django; django.setup(); from django.conf import settings; print(settings.LOG_FORMAT)"
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "LOG_FORMAT")}
    base["DJANGO_SETTINGS_MODULE"] = "accelerator.settings"

    def fmt(**extra):
        out = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env={**base, **extra},
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    assert fmt() == "plain"
    assert fmt(SECRET_KEY="test-only") == "json"
    assert fmt(SECRET_KEY="test-only", LOG_FORMAT="plain") == "plain"
