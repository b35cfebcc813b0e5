"""Rendered parts of the coaching pages, kept under a key made of what they show
(`accelerator.caching`).

A city's check-ins, their attendees and action items and its mayor decisions (with the sessions
they name) only change through services that raise the version of the city's dashboard row in
their own transaction (cohorts.services.dashboard_rows): that version, read in one small query,
keys the city's log, check-in and decision pages. A showcase's own `updated_at` moves with every
change of it, its evidence and its feedback (coaching.services.showcases). The viewer's rights,
the day (what is overdue) and the rest come with each caller's parts. What no key follows, a
person's name corrected in place, shows once the copy expires."""

from django.db import connection
from django.utils import timezone
from django.utils.safestring import mark_safe

from accelerator.caching import kept
from cohorts.models import City, DashboardRow

_VERSION_SQL = f"SELECT version FROM {DashboardRow._meta.db_table} WHERE city_id = %s"


def city_version(city):
    """The version of `city`'s coaching (raised by every change of it), or None while the city
    has no dashboard row yet. Plain SQL: the ORM would take longer to build it than the database
    to answer."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL, [city.pk])
        row = cursor.fetchone()
    return row[0] if row else None


def kept_part(name, city, parts, build):
    """`build()` (HTML, or anything else that pickles), kept under the city as it is, today's date
    (what is overdue) and `parts`, which name the version of what it shows."""
    city_state = [getattr(city, field.attname) for field in City._meta.concrete_fields]
    return kept(f"coaching:{name}", (city_state, timezone.localdate().isoformat(), *parts), build)


def city_part(name, city, parts, build):
    """`kept_part` under the city's coaching version too; built every time while the city has no
    version yet."""
    version = city_version(city)
    if version is None:
        return build()
    return kept_part(name, city, (version, *parts), build)


def city_html(name, city, parts, render):
    return mark_safe(city_part(name, city, parts, lambda: str(render())))  # our templates escaped it
