"""Rendered parts of the calendar pages, kept under a key made of everything they show.

Each caller passes the version of its data, read in one cheap query (the sessions' own change
stamps, their invitations' and the marks' counts), with the viewer and the cities they see: a
change to any of them makes a new key (`accelerator.caching`)."""

from django.utils.safestring import mark_safe

from accelerator.caching import kept
from cohorts.tenancy import scope_city_ids


def scope_key():
    """The cities the current request sees ("all" for staff), as the request's scope holds them
    (`cohorts.tenancy.scope_city_ids`): part of every key, so a viewer who joins or leaves a team,
    or gains or loses a city, gets a new one."""
    cities = scope_city_ids()
    return "all" if cities is None else tuple(sorted(cities))


def cached_html(name, parts, render):
    """`render()`'s HTML, cached under `name`, `parts`, the language and the time zone."""
    html = kept(f"agenda:{name}", (scope_key(), *parts), lambda: str(render()))
    return mark_safe(html)  # rendered by our templates, escaped there


def cached_parts(name, parts, render):
    """`render()`'s tuple of HTML parts, kept together under `name` and `parts` like `cached_html`:
    a page of several kept parts reads them in one go."""
    kept_parts = kept(f"agenda:{name}", (scope_key(), *parts), lambda: tuple(str(part) for part in render()))
    return tuple(mark_safe(part) for part in kept_parts)  # rendered by our templates, escaped there


def cached_feed(user, version, name, sessions):
    """A person's calendar feed (bytes), rebuilt from `sessions()` only when `version` or the
    feed's name changed."""
    from agenda.ics import calendar_bytes

    return kept("agenda:feed", (user.pk, name, version), lambda: calendar_bytes(sessions(), name=name))
