"""Rendered parts of the coaching pages, kept under a key made of what they show
(`accelerator.caching`).

A city's check-ins, their attendees and action items and its mayor decisions (with the sessions
they name) only change through services that raise the version of the city's dashboard row in
their own transaction (cohorts.services.dashboard_rows): that version, read in one small query,
keys the city's log, check-in and decision pages. A showcase's own `updated_at` moves with every
change of it, its evidence and its feedback (coaching.services.showcases): it keys the
showcase's page, and with their count the lists of showcases. The viewer's rights,
the day (what is overdue) and the rest come with each caller's parts. What no key follows, a
person's name corrected in place, shows once the copy expires."""

from django.db import connection
from django.utils import timezone
from django.utils.safestring import mark_safe

from accelerator.caching import kept
from cohorts.models import City, DashboardRow

from .models import Showcase

# Plain SQL for the keys: the ORM would take longer to build these than the database to answer.
_VERSION_SQL = f"SELECT version FROM {DashboardRow._meta.db_table} WHERE city_id = %s"
_SHOWCASE_SQL = (f"SELECT id, title, status, updated_at FROM {Showcase._meta.db_table} "
                 "WHERE city_id = %s AND code = %s")
_CITY_SHOWCASES_SQL = f"SELECT COUNT(*), MAX(updated_at) FROM {Showcase._meta.db_table} WHERE city_id = %s"
_COHORT_SHOWCASES_SQL = (
    f"SELECT COUNT(*), MAX(s.updated_at) FROM {Showcase._meta.db_table} s "
    f"INNER JOIN {City._meta.db_table} c ON c.id = s.city_id WHERE c.cohort_id = %s"
)


def city_version(city):
    """The version of `city`'s coaching (raised by every change of it), or None while the city
    has no dashboard row yet."""
    row = _one(_VERSION_SQL, [city.pk])
    return row[0] if row else None


def showcase_stamp(city, code):
    """(pk, title, status, updated_at) of the city's showcase `code`, or None: its `updated_at`
    moves with every change of it, its evidence and its feedback."""
    return _one(_SHOWCASE_SQL, [city.pk, code])


def city_showcases_stamp(city):
    """What moves with every change the city's list of showcases shows: how many there are and
    the latest `updated_at` (every change of a showcase or its evidence moves it)."""
    return tuple(_one(_CITY_SHOWCASES_SQL, [city.pk]))


def cohort_showcases_stamp(cohort):
    """The same for every showcase of the cohort (their feedback moves `updated_at` too)."""
    return tuple(_one(_COHORT_SHOWCASES_SQL, [cohort.pk]))


def _one(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


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
