"""Liveness of the parts the app cannot work without: the database and the Celery broker."""

from django.conf import settings
from django.db import connection


def database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"; the message is for the operator
        return False, exc.__class__.__name__
    return True, "ok"


def broker_state():
    if not settings.REDIS_URL:
        return True, "eager (no broker configured)"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except Exception as exc:
        return False, exc.__class__.__name__
    return True, "ok"
