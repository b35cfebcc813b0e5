"""Rendered pages and parts of pages, kept in the cache under a key made of everything they show.

A caller names what it keeps and passes the parts of its key: the version of its data read in one
cheap query (a version column, a change stamp, a count), the viewer wherever the content depends
on who looks, and whatever else the content shows. The language and the time zone are added
here. A change to any part makes a new key, so a kept copy is never older than what its key
follows. What no key follows (a person's or a city's name corrected in place) shows once the copy
expires: after KEPT_FOR, the five minutes the cohort dashboard's stored rows may lag too."""

import hashlib
import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

KEPT_FOR = 300


def cache_key(name, parts):
    raw = repr((translation.get_language(), timezone.get_current_timezone_name(), *parts))
    return f"{name}:{hashlib.sha256(raw.encode()).hexdigest()}"


# One lock per key being built in this process, so that when a key changes (a write, the minute
# turning) the threads asking for it at once wait for one build instead of each building it.
_BUILDING = {}
_BUILDING_LOCK = threading.Lock()


def kept(name, parts, build, *, seconds=KEPT_FOR):
    """The value kept under `name` and `parts`, built by `build()` (and kept) on a miss. Requests
    of this process that miss the same key together wait for the first one's build."""
    key = cache_key(name, parts)
    value = cache.get(key)
    if value is not None:
        return value
    with _BUILDING_LOCK:
        lock = _BUILDING.setdefault(key, threading.Lock())
    try:
        with lock:
            value = cache.get(key)  # built by the thread this one waited for
            if value is None:
                value = build()
                cache.set(key, value, seconds)
    finally:
        with _BUILDING_LOCK:
            if _BUILDING.get(key) is lock and not lock.locked():
                del _BUILDING[key]
    return value


# Markup whose key is every input it shows, kept in this process: see `rendered_once`.
_MARKUP = OrderedDict()
_MARKUP_LOCK = threading.Lock()
MARKUP_KEPT = 4096


def rendered_once(key, render):
    """`render()`'s markup, kept in this process under `key` and reused: for markup whose key holds
    everything it shows (the language, the viewer's name, the links offered), so no copy can be
    out of date and none needs to expire. The least recently used of more than MARKUP_KEPT is
    dropped. Rendered every time with DEBUG on, so an edited template shows at once."""
    if settings.DEBUG:
        return render()
    with _MARKUP_LOCK:
        markup = _MARKUP.get(key)
        if markup is not None:
            _MARKUP.move_to_end(key)
            return markup
    markup = render()
    with _MARKUP_LOCK:
        _MARKUP[key] = markup
        if len(_MARKUP) > MARKUP_KEPT:
            _MARKUP.popitem(last=False)
    return markup


# Where each request's CSRF token goes in kept markup: render with {"csrf_token": CSRF_STAND_IN} (or
# write it into markup built in code) and put the request's own in with `with_csrf_token`. Marked
# safe, so it reaches the markup as written, which escaped data never reads.
CSRF_STAND_IN = mark_safe("<csrf-token>")
_CSRF_FIELD = f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_STAND_IN}">'


def with_csrf_token(markup, token):
    """Kept markup with `token` (the request's CSRF token, as `get_token` or the template context
    gives it) in its forms; with none, without the token's field."""
    token = str(token or "")
    if token and token != "NOTPROVIDED":
        return mark_safe(markup.replace(CSRF_STAND_IN, escape(token)))
    return mark_safe(markup.replace(_CSRF_FIELD, ""))
