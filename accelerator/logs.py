"""Structured logs: one JSON line per record, each carrying the request id it belongs to.

`RequestLogMiddleware` gives every request an id (an incoming `X-Request-ID` is kept only when it
is a short, safe token), holds it in a context variable for as long as the request runs, and
writes one line when the response is ready: request id, user id (never an email), city slug,
view, status and duration. Celery tasks queued while a request runs carry the same id in a
message header, so a reminder's log lines can be traced back to the click that caused them.

The Celery signal handlers at the bottom only set and clear this log context: they never touch
the database or call a service (accelerator/tests/test_layering.py allows this module alone)."""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

from celery import signals
from django.utils.functional import LazyObject, empty

HEADER = "accelerator_request_id"
# Letters, digits and a few separators, at most 64: anything else from outside is replaced, so a
# client cannot write newlines, quotes or a novel into the logs.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

request_id_var = contextvars.ContextVar("request_id", default=None)

request_logger = logging.getLogger("accelerator.requests")

# The fields a record may carry beyond the message; anything else passed in `extra` is left out,
# so nothing personal reaches the logs by accident.
EXTRA_FIELDS = ("user_id", "city", "view", "method", "status", "duration_ms", "task", "task_id")


def new_request_id():
    return uuid.uuid4().hex


def request_id_from(value):
    """The incoming id if it is a short safe token, otherwise a fresh one."""
    if value and SAFE_REQUEST_ID.match(value):
        return value
    return new_request_id()


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (None outside a request or task)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and the known extras."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        for field in EXTRA_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """Readable lines for development, with the request id when there is one."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return super().format(record)


def _user_if_loaded(request):
    """The request's user if something already loaded it, without a query of its own (a page
    that never looked at its user keeps its query count)."""
    user = getattr(request, "user", None)
    if isinstance(user, LazyObject) and user._wrapped is empty:
        return None
    return user


class RequestLogMiddleware:
    """First in the chain: assigns the request id and logs one line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID", ""))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            self._log(request, response.status_code, started)
            return response
        finally:
            request_id_var.reset(token)

    @staticmethod
    def _log(request, status, started):
        user = _user_if_loaded(request)
        match = getattr(request, "resolver_match", None)
        city = getattr(request, "city", None)
        request_logger.info(
            "%s %s %s", request.method, match.view_name if match else "-", status,
            extra={
                "request_id": request.request_id,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "city": getattr(city, "slug", None),
                # The view's name, never the path: paths hold calendar-feed tokens and codes.
                "view": match.view_name if match else None,
                "method": request.method,
                "status": status,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )


# Celery: the id travels in a message header from the request that queued the task to the
# worker that runs it. These handlers only set log context.

@signals.before_task_publish.connect
def add_request_id_header(headers=None, **_kwargs):
    request_id = request_id_var.get()
    if request_id and headers is not None:
        headers.setdefault(HEADER, request_id)


_task_tokens = {}


def task_request_id(task):
    """The request id a task was queued with: a message header (a worker), or the eager call's
    `headers` option (tasks run inline)."""
    request = task.request
    value = getattr(request, HEADER, None)
    if value is None:
        value = (getattr(request, "headers", None) or {}).get(HEADER)
    return value if value and SAFE_REQUEST_ID.match(str(value)) else None


@signals.task_prerun.connect
def set_task_request_id(task_id=None, task=None, **_kwargs):
    request_id = task_request_id(task) if task is not None else None
    if request_id is None:
        request_id = request_id_var.get()  # inline in a request already: keep its id
    _task_tokens[task_id] = request_id_var.set(request_id)


@signals.task_postrun.connect
def clear_task_request_id(task_id=None, **_kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        try:
            request_id_var.reset(token)
        except ValueError:  # set in another context (a worker's thread pool): just clear it
            request_id_var.set(None)
