"""Queries that every page runs, built and compiled by the ORM once per process, then run again
with each request's values.

Turning a queryset into SQL costs the ORM more than PostgreSQL takes to answer a small query
(a few hundred microseconds for three tables joined), and the city resolver runs one on every city
page. A `PreparedQuery` is written as an ordinary queryset, built with stand-in values; the
compiled statement is kept, and each call puts the real values where the stand-ins were and reads
the rows into model instances the way the ORM does (select_related objects and annotations
included), or with `rows()` the tuples of a `values_list()` queryset (a UNION too). No prefetch,
no deferred fields. `accelerator/tests/test_prepared.py` checks the results against the ORM's own.

On PostgreSQL each statement is also prepared on the server, once per database connection
(`PREPARE`, then `EXECUTE` with the values): the planner then plans it once instead of on every
call, which for the joins and unions these statements hold takes longer than running them. A
statement the server cannot prepare runs as plain SQL. `DATABASE_PREPARED_STATEMENTS=false` turns
this off, as a connection pooler in transaction mode (PgBouncer) requires."""

import datetime
import itertools
import re
import threading
import weakref

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import CharField, DateTimeField, F, IntegerField, Value
from django.db.models.query import get_related_populators

# Where a database connection notes the statements prepared on its server session, by name.
_ON_CONNECTION = "_accelerator_prepared"
_numbers = itertools.count(1)


def _in_transaction(connection):
    return connection.in_atomic_block or not connection.get_autocommit()


def _registry(connection):
    """{statement: name on the server} of `connection`'s current session: a new session (the
    driver's connection replaced) starts with none, as its server has none."""
    raw = connection.connection
    held = connection.__dict__.get(_ON_CONNECTION)
    if held is None or held[0] is not raw:
        held = connection.__dict__[_ON_CONNECTION] = (raw, {})
    return held[1]


# Values whose type the server cannot work out from where their placeholder stands: `NOW() - $1`
# could be a time or an interval. The driver writes them as typed literals in plain SQL; a prepared
# statement names the type.
_CASTS = {datetime.timedelta: "interval"}


def _numbered(sql, casts=None):
    """Django's `%s` placeholders as PostgreSQL's `$1`, `$2`…, each followed by its cast in
    `casts` ({position from 0: type}), and `%%` as `%`."""
    numbers = itertools.count(1)
    casts = casts or {}

    def placeholder(match):
        if match.group(0) == "%%":
            return "%"
        number = next(numbers)
        return f"${number}::{casts[number - 1]}" if number - 1 in casts else f"${number}"

    return re.sub(r"%%|%s", placeholder, sql)


class _RunsOnServer:
    """Runs a statement (a dict holding its `sql`, with `%s` placeholders) on PostgreSQL by a name
    prepared once per connection; elsewhere, or where the server refuses it, as plain SQL."""

    def _execute(self, connection, cursor, statement, params):
        name = self._on_server(connection, statement)
        if name is None:
            cursor.execute(statement["sql"], params)
            return
        try:
            cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})" if params
                           else f"EXECUTE {name}", params or None)
        except Exception as error:
            prepared = _registry(connection)
            if getattr(error.__cause__, "pgcode", None) == "26000":
                prepared.clear()  # the session's statements were discarded (DEALLOCATE ALL, DISCARD ALL)
            else:
                prepared.pop(self._name, None)  # no longer valid there (a column's type changed)
            # Each is prepared again, under a new name, by the next call. Outside a transaction
            # nothing is lost: this call runs as plain SQL; inside one the error ends it.
            if _in_transaction(connection):
                raise
            cursor.execute(statement["sql"], params)

    def _on_server(self, connection, statement):
        """The name the statement has on `connection`'s server session, prepared there now if it is
        not yet; None where statements run as plain SQL."""
        if (connection.vendor != "postgresql" or statement.get("on_server") is False
                or not getattr(settings, "DATABASE_PREPARED_STATEMENTS", True)):
            return None
        prepared = _registry(connection)
        name = prepared.get(self._name)
        if name is not None:
            return name
        name = f"{self._name}_{len(prepared)}_{next(_numbers)}"
        # The driver's own cursor: preparing is the connection's bookkeeping, not one of the
        # page's queries. Inside a transaction a refusal must not end it: a savepoint holds it.
        in_transaction = _in_transaction(connection)
        cursor = connection.connection.cursor()
        try:
            if in_transaction:
                cursor.execute("SAVEPOINT accelerator_prepare")
            try:
                cursor.execute(f"PREPARE {name} AS {_numbered(statement['sql'], statement.get('casts'))}")
            except Exception:
                if in_transaction:
                    cursor.execute("ROLLBACK TO SAVEPOINT accelerator_prepare")
                statement["on_server"] = False  # the same statement would be refused again
                return None
            finally:
                if in_transaction:
                    cursor.execute("RELEASE SAVEPOINT accelerator_prepare")
        finally:
            cursor.close()
        prepared[self._name] = name
        return name


# A column a part of a union lacks, by the type of the NULL that stands in for it.
_NULLS = {int: IntegerField, str: CharField, datetime.datetime: DateTimeField}


def union_part(queryset, kind, **columns):
    """`queryset` as one part of a UNION ALL of like rows, to read several things in one statement
    (with `PreparedQuery.rows`): each row is (kind, *columns), where a column is a field path, an
    expression, or a type (`int`, `str`, `datetime.datetime`) for a NULL this part lacks. The
    columns are named `row_<name>`, for ordering the union. Put first a part whose columns all
    have their types: the server takes a column's type from the first part that gives one."""
    named = {}
    for name, source in columns.items():
        if isinstance(source, type):
            source = Value(None, output_field=_NULLS[source]())
        named[f"row_{name}"] = source if hasattr(source, "resolve_expression") else F(source)
    return queryset.order_by().annotate(row_kind=Value(kind, output_field=IntegerField()), **named).values_list(
        "row_kind", *named)


class PreparedSQL(_RunsOnServer):
    """Hand-written SQL (`%s` placeholders) that a page runs on every view, run as a prepared
    query's statement is: prepared on the PostgreSQL server once per connection."""

    def __init__(self, name, sql):
        self._name = f"{name}_{next(_numbers)}"
        self._statement = {"sql": sql}

    def rows(self, params, using=DEFAULT_DB_ALIAS):
        connection = connections[using]
        with connection.cursor() as cursor:
            self._execute(connection, cursor, self._statement, list(params))
            return cursor.fetchall()


class PreparedQuery(_RunsOnServer):
    """`build(**stand_ins)` returns the queryset; calling the prepared query with the same names
    runs it with those values. Each stand-in must be a value no real call passes (a negative id,
    a string no slug can be) and must reach the statement as a parameter."""

    # Every prepared query of the process, for the test that each one prepares on the server.
    instances = weakref.WeakSet()

    def __init__(self, build, **stand_ins):
        PreparedQuery.instances.add(self)
        self._build = build
        self._stand_ins = stand_ins
        self._compiled = {}
        self._lock = threading.Lock()
        module = getattr(getattr(build, "func", build), "__module__", None) or "query"  # a partial's function's
        self._name = f"{module.replace('.', '_')[:40]}_{next(_numbers)}"

    def _statement(self, using):
        statement = self._compiled.get(using)
        if statement is None:
            with self._lock:
                statement = self._compiled.get(using)
                if statement is None:
                    statement = self._compiled[using] = self._compile(using)
        return statement

    def _compile(self, using):
        queryset = self._build(**self._stand_ins)
        if queryset._prefetch_related_lookups or queryset.query.deferred_loading[0]:
            raise ImproperlyConfigured("A prepared query neither prefetches nor defers.")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = {}
        for name, stand_in in self._stand_ins.items():
            found = [i for i, param in enumerate(params) if type(param) is type(stand_in) and param == stand_in]
            if not found:
                raise ImproperlyConfigured(f"The stand-in for {name} is not a parameter of the statement.")
            slots.update(dict.fromkeys(found, name))
        casts = {i: _CASTS[type(param)] for i, param in enumerate(params) if type(param) in _CASTS}
        statement = {"compiler": compiler, "sql": sql, "params": tuple(params), "slots": slots, "casts": casts,
                     "models": queryset._fields is None and compiler.klass_info is not None}
        if statement["models"]:
            klass_info, select = compiler.klass_info, compiler.select
            fields = klass_info["select_fields"]
            start, end = fields[0], fields[-1] + 1
            statement.update(
                model=klass_info["model"], start=start, end=end,
                init_list=[column[0].target.attname for column in select[start:end]],
                annotations=dict(compiler.annotation_col_map),
            )
        return statement

    def _fetch(self, using, values):
        statement = self._statement(using)
        slots = statement["slots"]
        params = [values[slots[i]] if i in slots else param for i, param in enumerate(statement["params"])]
        connection = connections[using]
        with connection.cursor() as cursor:
            self._execute(connection, cursor, statement, params)
            return statement, cursor.fetchall()

    def rows(self, using=DEFAULT_DB_ALIAS, **values):
        """The rows as tuples, each value converted as the ORM converts it (for `values_list()`)."""
        statement, rows = self._fetch(using, values)
        return [tuple(row) for row in statement["compiler"].results_iter(results=[rows])] if rows else []

    def __call__(self, using=DEFAULT_DB_ALIAS, **values):
        """The model instances the queryset built with `values` would give, in its order."""
        statement, rows = self._fetch(using, values)
        if not statement["models"]:
            raise ImproperlyConfigured("Read a values() query with rows().")
        if not rows:
            return []
        compiler = statement["compiler"]
        model, start, end, init_list = statement["model"], statement["start"], statement["end"], statement["init_list"]
        populators = get_related_populators(compiler.klass_info, compiler.select, using)
        objects = []
        for row in compiler.results_iter(results=[rows]):
            obj = model.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in statement["annotations"].items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects
