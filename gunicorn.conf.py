"""Gunicorn settings for Accelerator: `gunicorn -c gunicorn.conf.py accelerator.wsgi`.

Every value can be changed with an environment variable of the same name in capitals
(GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_BIND, GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS)."""

import multiprocessing
import os

# Loopback only: the TLS-terminating proxy in front is the one thing that talks to the app.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# gthread: each worker process serves several requests at once in threads. The pages spend most
# of their time waiting on PostgreSQL, so threads are cheaper than more processes; and a slow
# client (a phone at the convening desk) holds a thread, not a whole process.
worker_class = "gthread"
# The usual starting point, two processes per core plus one, capped so a large machine does not
# open more database connections than PostgreSQL allows (workers × threads, with CONN_MAX_AGE).
workers = int(os.environ.get("GUNICORN_WORKERS", min(multiprocessing.cpu_count() * 2 + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# A request that takes longer than this is killed and its worker restarted. Exports are
# streamed, and email is sent by Celery, never in a request, so 30 s is generous.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30  # on restart, requests in flight get this long to finish
keepalive = 5  # seconds an idle connection from the proxy is kept open

# Recycle workers now and then (with jitter, so they do not all restart together): a guard
# against slow memory growth in any library. Not too often: a worker keeps what it built once
# (compiled queries, the page header, and without Redis the kept parts of pages), and a new one
# starts cold; at 2,000 requests a busy server recycled a worker every few seconds. Everything
# a worker keeps is bounded, so memory does not grow with the requests it serves.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = max_requests // 10

# The app writes its own line per request (JSON in production, with the request id), so
# gunicorn's access log would only repeat it, with the path, which can hold a calendar token.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# Trust X-Forwarded-* only from the local proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
