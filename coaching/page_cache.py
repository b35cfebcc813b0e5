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

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.safestring import mark_safe

from accelerator.caching import kept
from accelerator.prepared import PreparedQuery
from cohorts.models import City, DashboardRow

from .models import Showcase

# The keys' queries, compiled once (accelerator.prepared): the ORM would take longer to build them
# on every request than the database takes to answer them.
_CITY, _COHORT, _CODE = -7_000_011, -7_000_012, "\x00showcase\x00"


def _unscoped(model):
    return model.objects.with_scopes_disabled()  # each query names its city or cohort


def _count_and_latest(showcases, group):
    return showcases.order_by().values(group).annotate(n=Count("pk"), latest=Max("updated_at")).values_list(
        "n", "latest")


_VERSION = PreparedQuery(lambda city: _unscoped(DashboardRow).filter(city_id=city).values_list("version"), city=_CITY)
_SHOWCASE = PreparedQuery(
    lambda city, code: _unscoped(Showcase).filter(city_id=city, code=code).values_list(
        "id", "title", "status", "updated_at"),
    city=_CITY, code=_CODE,
)
_CITY_SHOWCASES = PreparedQuery(
    lambda city: _count_and_latest(_unscoped(Showcase).filter(city_id=city), "city_id"), city=_CITY)
_COHORT_SHOWCASES = PreparedQuery(
    lambda cohort: _count_and_latest(_unscoped(Showcase).filter(city__cohort_id=cohort), "city__cohort_id"),
    cohort=_COHORT,
)


def _one(rows, empty=None):
    return rows[0] if rows else empty


def city_version(city):
    """The version of `city`'s coaching (raised by every change of it), or None while the city
    has no dashboard row yet."""
    row = _one(_VERSION.rows(city=city.pk))
    return row[0] if row else None


def showcase_stamp(city, code):
    """(pk, title, status, updated_at) of the city's showcase `code`, or None: its `updated_at`
    moves with every change of it, its evidence and its feedback."""
    return _one(_SHOWCASE.rows(city=city.pk, code=code))


def city_showcases_stamp(city):
    """What moves with every change the city's list of showcases shows: how many there are and
    the latest `updated_at` (every change of a showcase or its evidence moves it)."""
    return _one(_CITY_SHOWCASES.rows(city=city.pk), (0, None))


def cohort_showcases_stamp(cohort):
    """The same for every showcase of the cohort (their feedback moves `updated_at` too)."""
    return _one(_COHORT_SHOWCASES.rows(cohort=cohort.pk), (0, None))


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
