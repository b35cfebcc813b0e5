"""The cohort dashboard's state, read in one query written out: its cities' stored rows (how many,
how many current, the sum of their versions, the oldest and latest computation), its sessions
(how many, the latest change) and, for the set-up checklist, the invitations to join its cities
(how many, the latest moment one was sent, accepted or revoked).

Three aggregates the ORM would build as three queries: on a page served from its kept copy they
are most of what it does, and building and compiling them took longer than the database takes
to answer them."""

import datetime
from functools import partial

from django.db import connection
from django.utils.dateparse import parse_datetime

from agenda.models import Session
from cohorts.models import City, DashboardRow, RoleInvitation


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


def cohort_state(cohort, city_ids=None, *, invitations=False):
    """{"rows": {cities, current, versions, oldest, latest}, "sessions": (n, changed),
    "invitations": {n, latest} or None} of `cohort`; the rows of `city_ids` only (None: every
    city). One query."""
    c, r, s, i = (partial(_column, model) for model in (City, DashboardRow, Session, RoleInvitation))
    params = [cohort.pk]
    among = ""
    if city_ids is not None:
        among = f" AND c.{c('id')} IN ({', '.join(['%s'] * len(city_ids))})" if city_ids else " AND 1 = 0"
        params += list(city_ids)
    params.append(cohort.pk)
    parts = [
        f"""(SELECT COUNT(c.{c('id')}) AS cities,
                    COALESCE(SUM(CASE WHEN d.{r('computed_version')} = d.{r('version')} THEN 1 ELSE 0 END), 0),
                    SUM(d.{r('version')}), MIN(d.{r('computed_at')}), MAX(d.{r('computed_at')})
             FROM {_table(City)} c LEFT JOIN {_table(DashboardRow)} d ON d.{r('city')} = c.{c('id')}
             WHERE c.{c('cohort')} = %s{among}) rows_state""",
        f"""(SELECT COUNT(s.{s('id')}), MAX(s.{s('updated_at')}) FROM {_table(Session)} s
             WHERE s.{s('cohort')} = %s) sessions_state""",
    ]
    if invitations:
        parts.append(
            f"""(SELECT COUNT(i.{i('id')}),
                        MAX(COALESCE(i.{i('revoked_at')}, i.{i('accepted_at')}, i.{i('created_at')}))
                 FROM {_table(RoleInvitation)} i JOIN {_table(City)} c ON c.{c('id')} = i.{i('city')}
                 WHERE c.{c('cohort')} = %s) invitations_state""")
        params.append(cohort.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {', '.join(parts)}", params)
        values = cursor.fetchone()
    cities, current, versions, oldest, latest, n_sessions, changed = values[:7]
    return {
        "rows": {"cities": cities, "current": current, "versions": versions, "oldest": _moment(oldest),
                 "latest": _moment(latest)},
        "sessions": (n_sessions, _moment(changed)),
        "invitations": {"n": values[7], "latest": _moment(values[8])} if invitations else None,
    }
