"""Prepared queries give what the ORM gives for the same queryset: the same rows, the same field
values (converted as the ORM converts them), the related objects already attached, annotations."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from accelerator.prepared import PreparedQuery
from cohorts.models import City, Membership

pytestmark = pytest.mark.django_db

PERSON = -999_999


def _values(obj):
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def _memberships(person):
    memberships = Membership.objects.with_scopes_disabled().select_related("city__cohort")
    return memberships.filter(user_id=person).order_by("pk")


def test_rows_related_objects_and_values_are_the_orms(world, django_assert_num_queries):
    prepared = PreparedQuery(_memberships, person=PERSON)
    for role in ("mayor", "member", "outsider"):
        person = world.users[role]
        with scopes_disabled():
            expected = list(_memberships(person.pk))
        with django_assert_num_queries(1):
            got = prepared(person=person.pk)
            # city and cohort came with the row: no further query
            [(m.city.name, m.city.cohort.name) for m in got]
        assert [m.pk for m in got] == [m.pk for m in expected]
        for mine, theirs in zip(got, expected, strict=True):
            assert _values(mine) == _values(theirs)
            assert _values(mine.city) == _values(theirs.city)
            assert _values(mine.city.cohort) == _values(theirs.city.cohort)
            assert mine._state.adding is False and mine._state.db == "default"


def test_values_are_put_in_on_every_call_and_annotations_are_read(world):
    prepared = PreparedQuery(
        lambda slug: City.objects.filter(slug=slug).annotate(people=Count("memberships")), slug="\x00stand-in\x00"
    )
    alpha, beta = prepared(slug="alpha"), prepared(slug="beta")
    assert [c.pk for c in alpha] == [world.city.pk] and [c.pk for c in beta] == [world.other_city.pk]
    assert alpha[0].people == 2 and alpha[0].cohort_id == world.cohort.pk
    assert prepared(slug="nowhere") == []


def test_a_stand_in_that_never_reaches_the_statement_is_refused(world):
    prepared = PreparedQuery(lambda slug: City.objects.all(), slug="\x00stand-in\x00")
    with pytest.raises(ImproperlyConfigured):
        prepared(slug="alpha")


def _is_city_lookup(sql):
    """A statement of the city resolver: as SQL, or run by name where the server prepared it."""
    if sql.startswith("EXECUTE "):
        return sql.split()[1].startswith("cohorts_tenancy_")
    return '"cohorts_city"' in sql.split("WHERE")[0] and "cohorts_cohort" in sql


def test_the_city_resolver_asks_once_for_each_kind_of_viewer(world, client):
    """Members find the city among their memberships, staff and coaches read it: one query each."""
    url = world.city.get_absolute_url() + "decisions/"
    for role in ("mayor", "coach", "staff"):
        client.force_login(world.users[role])
        client.get(url)  # the session and its user are read once per request, as on every page
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        tenancy = [q for q in captured.captured_queries if _is_city_lookup(q["sql"])]
        assert len(tenancy) == 1, (role, [q["sql"][:120] for q in tenancy])
    client.force_login(world.users["other_coach"])
    assert client.get(url).status_code == 404


def test_rows_of_a_values_query_and_a_union_are_the_orms(world):
    def build(slug):
        cities = City.objects.filter(slug=slug).order_by().values_list("pk", "name", "cohort__start_date")
        slugs = City.objects.filter(slug=slug).order_by().values_list("pk", "slug", "cohort__start_date")
        return cities.union(slugs, all=True)

    prepared = PreparedQuery(build, slug="\x00stand-in\x00")
    assert sorted(prepared.rows(slug="alpha")) == sorted(build("alpha"))
    assert prepared.rows(slug="nowhere") == []
    with pytest.raises(ImproperlyConfigured):
        prepared(slug="alpha")


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="statements are prepared on PostgreSQL")


@postgres_only
def test_on_postgresql_a_statement_is_prepared_once_per_connection_and_run_by_name(world):
    prepared = PreparedQuery(_memberships, person=PERSON)
    mayor = world.users["mayor"]
    expected = [_values(m) for m in _memberships(mayor.pk)]
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert [_values(m) for m in prepared(person=mayor.pk)] == expected
        assert len(captured.captured_queries) == 1 and captured.captured_queries[0]["sql"].startswith("EXECUTE ")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE left(name, length(%s)) = %s",
                       [prepared._name + "_", prepared._name + "_"])
        assert cursor.fetchone()[0] == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_its_statements_again():
    from cohorts.tests.factories import CityFactory

    city = CityFactory()
    prepared = PreparedQuery(lambda slug: City.objects.filter(slug=slug)[:1], slug="\x00stand-in\x00")
    assert [c.pk for c in prepared(slug=city.slug)] == [city.pk]
    connection.close()  # the server session, and its prepared statements, end
    with CaptureQueriesContext(connection) as captured:
        assert [c.pk for c in prepared(slug=city.slug)] == [city.pk]
    assert captured.captured_queries[-1]["sql"].startswith("EXECUTE ")


@postgres_only
def test_a_statement_the_server_refuses_to_prepare_runs_as_sql_and_the_transaction_goes_on(world):
    from django.db.models.expressions import RawSQL

    def build(slug):  # `INTERVAL '1 day'` is SQL; `INTERVAL $1` is not
        return City.objects.filter(slug=slug).annotate(
            recent=RawSQL("NOW() - INTERVAL %s < NOW()", ("1 day",))).values_list("slug", "recent")

    prepared = PreparedQuery(build, slug="\x00stand-in\x00")
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert prepared.rows(slug="alpha") == [("alpha", True)]
        assert not captured.captured_queries[0]["sql"].startswith("EXECUTE ")
    assert City.objects.filter(slug="alpha").exists()  # the transaction is whole


@postgres_only
def test_statements_discarded_from_the_server_fail_once_in_a_transaction_and_are_prepared_again(world):
    """A pooler's DISCARD ALL (or a DEALLOCATE ALL) takes every statement of the session: the
    first call to notice ends its transaction (it cannot go on), and every statement is prepared
    again by its next call."""
    from django.db import DatabaseError, transaction

    mine, other = PreparedQuery(_memberships, person=PERSON), PreparedQuery(_memberships, person=PERSON)
    mayor = world.users["mayor"]
    expected = [m.pk for m in _memberships(mayor.pk)]
    assert [m.pk for m in mine(person=mayor.pk)] == [m.pk for m in other(person=mayor.pk)] == expected
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    with pytest.raises(DatabaseError), transaction.atomic():
        mine(person=mayor.pk)
    assert [m.pk for m in mine(person=mayor.pk)] == [m.pk for m in other(person=mayor.pk)] == expected


def test_hand_written_sql_gives_the_cursors_rows_and_on_postgresql_runs_by_name(world):
    from accelerator.prepared import PreparedSQL

    sql = "SELECT slug, name FROM cohorts_city WHERE cohort_id = %s AND slug <> %s ORDER BY slug"
    prepared = PreparedSQL("accelerator_tests_cities", sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [world.cohort.pk, "beta"])
        expected = cursor.fetchall()
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert prepared.rows([world.cohort.pk, "beta"]) == expected == [("alpha", world.city.name)]
        assert captured.captured_queries[0]["sql"].startswith("EXECUTE ") == (connection.vendor == "postgresql")


def _project_modules():
    """Every module of the project's own apps but their tests and migrations: each prepared query
    is made when its module is imported."""
    import importlib
    import pkgutil
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    root = Path(settings.BASE_DIR).resolve()
    for app in apps.get_app_configs():
        if Path(app.path).resolve().parent != root:
            continue
        for found in pkgutil.walk_packages([app.path], f"{app.name}."):
            if not {".tests", ".migrations"} & {f".{part}" for part in found.name.split(".")}:
                importlib.import_module(found.name)


@postgres_only
def test_every_prepared_query_of_the_project_prepares_on_the_server(world):
    """A statement the server refuses still runs, as plain SQL planned on every call: correct,
    but the speed it was prepared for is silently lost. None of the project's may be refused."""
    _project_modules()
    statements = list(PreparedQuery.instances)
    assert len(statements) > 40
    refused = []
    with scopes_disabled():
        for prepared in statements:
            if prepared._on_server(connection, prepared._statement("default")) is None:
                refused.append(prepared._name)
    assert refused == []
