"""The cohort's attendance ledger as CSV, streamed, through the same export rules as the cohort's
other exports (a coach's file holds only their cities; every export is audited)."""

from datetime import UTC

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import CharField, Exists, F, FilteredRelation, IntegerField, OuterRef, Q, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from accelerator.exports import Lines, csv_cells, neutralise
from cohorts.views.exports import CohortExportView

from ..models import Attendance, Response, Session, SessionInvitation


class AttendanceExportView(CohortExportView):
    """The whole attendance ledger of the cohort: one row per mark (each convening segment, and the
    convening's outcome derived from them), with the invitee's answer, where the mark came from and
    who made it; then one row per invitee nobody has marked yet (invited, or answered). By session
    and segment (the outcome after the segments), city and name.

    At tens of thousands of rows, per-row work costs more than anything else, so the marks and the
    invitees are read as plain rows of ids (the invitee's answer joined in), neither joined to nor
    sorted by names in the database; the sessions with their segments, the cities and the people
    are read once each, in their order, and put the rows in the same order by rank. Each line is
    then a few parts looked up and put together: a person's cells, a segment's and every label
    are written as CSV text once."""

    export_name = "attendance"

    def table(self):
        header = [_("City"), _("Person"), _("Email"), _("Session"), _("Kind"), _("Starts (UTC)"), _("Segment"),
                  _("Required"), _("Attendance"), _("Marked at (UTC)"), _("Source"), _("Operator"), _("Note"),
                  _("Answer"), _("Reason given")]
        cities = self.cities()
        city_rank, city_names = {}, {}
        for pk, name in cities.order_by("name").values_list("pk", "name"):
            city_rank[pk], city_names[pk] = len(city_rank), name
        segment_rank, segment_cells, live = self._segments()

        # The marks, each with the invitee's answer, and the invitees of the sessions still on that
        # nobody has marked yet (no status), in one query.
        invitation = FilteredRelation("session__invitations",
                                      condition=Q(session__invitations__person=F("person")))
        marks = (Attendance.objects.filter(city__in=cities, session__cohort=self.cohort)
                 .annotate(invitation=invitation, marked=Cast("marked_at", CharField()))
                 .values_list("city_id", "person_id", "session_id", "day_id", "status", "marked", "source",
                              "marked_by_id", "note", "invitation__response", "invitation__reason"))
        nothing = {name: Value(None, output_field=field) for name, field in (
            ("no_day", IntegerField()), ("no_status", CharField()), ("no_mark", CharField()),
            ("no_source", CharField()), ("no_operator", IntegerField()), ("no_note", CharField()))}
        unmarked = (SessionInvitation.objects.filter(city__in=cities, session_id__in=live)
                    .filter(~Exists(Attendance.objects.filter(session=OuterRef("session"), person=OuterRef("person"))))
                    .annotate(**nothing)
                    .values_list("city_id", "person_id", "session_id", "no_day", "no_status", "no_mark", "no_source",
                                 "no_operator", "no_note", "response", "reason"))
        rows = _rows(marks.order_by().union(unmarked.order_by(), all=True))

        people = {row[1] for row in rows} | ({row[7] for row in rows} - {None})
        person_rank, person_cells = {}, {}
        for pk, name, email in (get_user_model().objects.filter(pk__in=people).order_by("full_name")
                                .values_list("pk", "full_name", "email")):
            person_rank[pk], person_cells[pk] = len(person_rank), (neutralise(name), neutralise(email))

        # The marks first, then the invitees not marked; each by segment, city and name. (Python's
        # sort keeps rows of equal keys in the order read; the database's would leave them in any.)
        towns, places, segments = len(city_rank), len(person_rank), len(segment_rank)
        rows.sort(key=lambda row: ((((row[4] is None) * segments + segment_rank[row[2], row[3]]) * towns
                                    + city_rank[row[0]]) * places + person_rank[row[1]]))

        status_cells, source_cells, answer_cells = (_Cells(Attendance.Status.choices),
                                                    _Cells(Attendance.Source.choices), _Cells(Response.choices))
        answer_cells[None] = ","
        operators = {None: ","}
        pairs = {}  # (city, person): the line's first three cells

        def pair(key):
            cells = pairs[key] = csv_cells([neutralise(city_names[key[0]]), *person_cells[key[1]]])
            return cells

        def operator(pk):  # (gone since the rows were read: left empty)
            cells = operators[pk] = csv_cells(person_cells.get(pk, ("",))[:1])
            return cells

        def free_text(text):  # a note or a reason: seldom given, each one its own
            return csv_cells([neutralise(text)])

        # A part is looked up first and made only when it is missing: this loop runs once per row.
        def lines():
            for city_id, pk, session_id, day_id, status, marked, source, by, note, answer, reason in rows:
                key = city_id, pk
                if status is None:  # nobody has marked this invitee yet
                    yield (f"{pairs.get(key) or pair(key)}{segment_cells[session_id, None]},,,,,"
                           f"{answer_cells[answer]}{free_text(reason)[:-1] if reason else ''}\r\n")
                    continue
                # `marked` is the database's text of the moment in UTC, the zone Django keeps every
                # connection in: "YYYY-MM-DD HH:MM…", cut to the minute without parsing it.
                yield (f"{pairs.get(key) or pair(key)}{segment_cells[session_id, day_id]}{status_cells[status]}"
                       f"{marked[:10]}T{marked[11:16]}+00:00,{source_cells[source]}"
                       f"{operators.get(by) or operator(by)}{free_text(note) if note else ','}{answer_cells[answer]}"
                       f"{free_text(reason)[:-1] if reason else ''}\r\n")

        return header, Lines(lines())

    def _segments(self):
        """({(session, segment or None): rank}, {the same: its CSV cells}, [sessions not cancelled]):
        ranked by start, a session's own row (None) after its segments'; equal starts share a rank.
        One query."""
        yes, no = _("yes"), _("no")
        kind_label = {value: str(label) for value, label in Session.Kind.choices}
        order, cells, live = {}, {}, []
        for pk, title, kind, starts, required, status, day_id, label, day_starts in (
                Session.objects.filter(cohort=self.cohort).values_list(
                    "pk", "title", "kind", "starts_at", "required", "status", "days__pk", "days__label",
                    "days__starts_at")):
            shared = [neutralise(title), kind_label.get(kind, kind), _utc(starts)]
            if (pk, None) not in cells:
                cells[pk, None] = csv_cells([*shared, "", yes if required else no])
                order[pk, None] = (starts, 1, None)
                if status != Session.Status.CANCELLED:
                    live.append(pk)
            if day_id is not None:
                cells[pk, day_id] = csv_cells([*shared, neutralise(label), yes if required else no])
                order[pk, day_id] = (starts, 0, day_starts)
        ranks = {moment: n for n, moment in enumerate(sorted(set(order.values()), key=_segment_order))}
        return {key: ranks[moment] for key, moment in order.items()}, cells, live


class _Cells(dict):
    """{value: its label's CSV cell} for a field's choices; a value that is not a choice (an old
    one) is written as it stands."""

    def __init__(self, choices):
        super().__init__((value, csv_cells([str(label)])) for value, label in choices)

    def __missing__(self, value):
        cell = self[value] = csv_cells([neutralise(value)])
        return cell


def _segment_order(moment):
    starts, own_row, day_starts = moment
    return starts, own_row, day_starts or starts


def _rows(queryset):
    """A values_list queryset's rows as a list, straight from a database cursor: the ORM's own
    iteration adds more per row than these rows cost to write."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # nothing could match
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _utc(moment):
    return moment.astimezone(UTC).isoformat(timespec="minutes")
