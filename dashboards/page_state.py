"""The cohort page's first read, one query written out: the cohort at its address and its state —
its cities' stored rows (how many, how many current, the sum of their versions, the oldest and
latest computation), its sessions (how many, the latest change) and, while it is planned (the
set-up checklist's key), the invitations to join its cities (how many, the latest moment one was
sent, accepted or revoked).

One statement for what the ORM would build as four (the cohort, then three aggregates): on a page
served from its kept copy they are most of what it does, and building and compiling them took
longer than the database takes to answer them."""

import datetime
from functools import lru_cache, partial

from django.db import connection, models
from django.utils.dateparse import parse_date, parse_datetime

from accelerator.prepared import PreparedSQL
from agenda.models import Session
from cohorts.models import City, Cohort, DashboardRow, RoleInvitation


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name):
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _moment(value):
    """A moment as the ORM would give it (a backend without a time type answers with text in UTC)."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    parsed = parse_datetime(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def _value(field, value):
    """A cohort's column as the ORM would give it (a backend without date types answers with text)."""
    if isinstance(value, str) and isinstance(field, models.DateTimeField):
        return _moment(value)
    if isinstance(value, str) and isinstance(field, models.DateField):
        return parse_date(value)
    return value


@lru_cache(maxsize=256)
def _statement(vendor, n_ids):
    """The statement for `n_ids` city ids (None: every city), written once per backend and count
    (and on PostgreSQL prepared on the server once per connection)."""
    c, r, s, i, k = (partial(_column, model) for model in (City, DashboardRow, Session, RoleInvitation, Cohort))
    among = ""
    if n_ids is not None:
        among = f" AND c.{c('id')} IN ({', '.join(['%s'] * n_ids)})" if n_ids else " AND 1 = 0"
    of_cohort = f"JOIN {_table(Cohort)} k ON k.{k('id')} = {{}} WHERE k.{k('slug')} = %s"
    return PreparedSQL("dashboards_cohort_state", f"""SELECT * FROM
        (SELECT {', '.join(f'k.{k(f.name)}' for f in Cohort._meta.concrete_fields)} FROM {_table(Cohort)} k
         WHERE k.{k('slug')} = %s) cohort_row,
        (SELECT COUNT(c.{c('id')}) AS cities,
                COALESCE(SUM(CASE WHEN d.{r('computed_version')} = d.{r('version')} THEN 1 ELSE 0 END), 0),
                SUM(d.{r('version')}), MIN(d.{r('computed_at')}), MAX(d.{r('computed_at')})
         FROM {_table(City)} c LEFT JOIN {_table(DashboardRow)} d ON d.{r('city')} = c.{c('id')}
         {of_cohort.format(f"c.{c('cohort')}")}{among}) rows_state,
        (SELECT COUNT(s.{s('id')}), MAX(s.{s('updated_at')}) FROM {_table(Session)} s
         {of_cohort.format(f"s.{s('cohort')}")}) sessions_state,
        (SELECT COUNT(i.{i('id')}), MAX(COALESCE(i.{i('revoked_at')}, i.{i('accepted_at')}, i.{i('created_at')}))
         FROM {_table(RoleInvitation)} i JOIN {_table(City)} c ON c.{c('id')} = i.{i('city')}
         {of_cohort.format(f"c.{c('cohort')}")} AND k.{k('status')} = %s) invitations_state""")


def cohort_state(slug, city_ids=None):
    """(the cohort at `slug`, {"rows": {cities, current, versions, oldest, latest}, "sessions": (n,
    changed), "invitations": {n, latest} while the cohort is planned, else None}); the rows of the
    cohort's cities among `city_ids` only (None: every city). (None, None) when no cohort is there.
    One query."""
    fields = Cohort._meta.concrete_fields
    statement = _statement(connection.vendor, None if city_ids is None else len(city_ids))
    params = [slug, slug, *(city_ids or ()), slug, slug, Cohort.Status.PLANNED]
    found = statement.rows(params)
    if not found:
        return None, None
    values = found[0]
    n = len(fields)
    cohort = Cohort.from_db(connection.alias, [f.attname for f in fields],
                            [_value(f, v) for f, v in zip(fields, values[:n], strict=True)])
    cities, current, versions, oldest, latest, n_sessions, changed, n_invitations, invited = values[n:]
    return cohort, {
        "rows": {"cities": cities, "current": current, "versions": versions, "oldest": _moment(oldest),
                 "latest": _moment(latest)},
        "sessions": (n_sessions, _moment(changed)),
        "invitations": ({"n": n_invitations, "latest": _moment(invited)}
                        if cohort.status == Cohort.Status.PLANNED else None),
    }
