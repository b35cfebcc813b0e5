"""Rendered parts of the calendar pages, kept under a key made of everything they show.

Each caller passes the version of its data, read in one cheap query (the sessions' own change
stamps, their invitations' and the marks' counts), with the viewer and the cities they see: a
change to any of them makes a new key, so a cached part is never older than its data. The
timeout only bounds memory; nothing relies on it."""

import hashlib

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django_scopes.state import get_scope

KEPT_FOR = 24 * 3600


def scope_key():
    """The cities the current request sees ("all" for staff): part of every key, so a viewer
    who joins or leaves a team, or gains or loses a city, gets a new one."""
    state = get_scope()
    if state.get("_enabled", True) is False:
        return "all"
    cities = state.get("city")
    if isinstance(cities, (list, tuple, set)):
        return tuple(sorted(getattr(c, "pk", c) for c in cities))
    return getattr(cities, "pk", cities)


def cached_html(name, parts, render):
    """`render()`'s HTML, cached under `name`, `parts`, the language and the time zone."""
    raw = repr((translation.get_language(), str(timezone.get_current_timezone()), scope_key(), *parts))
    key = f"agenda:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, KEPT_FOR)
    return mark_safe(html)  # rendered by our templates, escaped there


def cached_feed(user, version, name, sessions):
    """A person's calendar feed (bytes), rebuilt from `sessions()` only when `version` or the
    feed's name changed."""
    from agenda.ics import calendar_bytes

    raw = repr((translation.get_language(), user.pk, name, version))
    key = f"agenda:feed:{hashlib.sha256(raw.encode()).hexdigest()}"
    content = cache.get(key)
    if content is None:
        content = calendar_bytes(sessions(), name=name)
        cache.set(key, content, KEPT_FOR)
    return content
