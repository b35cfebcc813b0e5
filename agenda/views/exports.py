"""The cohort's attendance ledger as CSV, streamed, through the same export rules as the cohort's
other exports (a coach's file holds only their cities; every export is audited)."""

from datetime import UTC
from itertools import chain

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q
from django.utils.translation import gettext as _

from accelerator.exports import Neutralised, neutralise
from cohorts.views.exports import CohortExportView

from ..models import Attendance, Response, Session, SessionInvitation


class AttendanceExportView(CohortExportView):
    """The whole attendance ledger of the cohort: one row per mark (each convening segment, and the
    convening's outcome derived from them), with the invitee's answer, where the mark came from and
    who made it; then one row per invitee nobody has marked yet (invited, or answered). Streamed.

    Read as plain tuples, the invitee's answer joined in the same query; what repeats from row to
    row (cities, sessions, people, labels, moments) is formatted and neutralised once: at tens of
    thousands of rows, per-row work costs more than the database does."""

    export_name = "attendance"

    def table(self):
        header = [_("City"), _("Person"), _("Email"), _("Session"), _("Kind"), _("Starts (UTC)"), _("Segment"),
                  _("Required"), _("Attendance"), _("Marked at (UTC)"), _("Source"), _("Operator"), _("Note"),
                  _("Answer"), _("Reason given")]
        status_label = {value: str(label) for value, label in Attendance.Status.choices}
        source_label = {value: str(label) for value, label in Attendance.Source.choices}
        answer_label = {value: str(label) for value, label in Response.choices}
        answer_label[None] = ""
        yes, no = _("yes"), _("no")
        cities = self.cities()
        kind_label = {value: str(label) for value, label in Session.Kind.choices}

        # What repeats from row to row (a city, a session, a person, a moment) is formatted and
        # neutralised the first time it is met, and looked up after that.
        city_cells, session_cells, day_cells, people, moments, operators = {}, {}, {None: ""}, {}, {}, {None: ""}

        def city(pk, name):
            text = city_cells.get(pk)
            if text is None:
                text = city_cells[pk] = neutralise(name)
            return text

        def session(pk, title, kind, starts, required):
            cells = session_cells.get(pk)
            if cells is None:
                cells = session_cells[pk] = (neutralise(title), kind_label.get(kind, kind), _utc(starts),
                                             yes if required else no)
            return cells

        def day(pk, label):
            text = day_cells.get(pk)
            if text is None:
                text = day_cells[pk] = neutralise(label)
            return text

        def person(pk, name, email):
            cells = people.get(pk)
            if cells is None:
                cells = people[pk] = (neutralise(name), neutralise(email))
            return cells

        def utc(moment):  # marks made together (an import, a desk's batch) share their text
            text = moments.get(moment)
            if text is None:
                text = moments[moment] = _utc(moment)
            return text

        def operator(name):
            text = operators.get(name)
            if text is None:
                text = operators[name] = neutralise(name)
            return text

        invitation = FilteredRelation("session__invitations",
                                      condition=Q(session__invitations__person=F("person")))
        marks = (
            Attendance.objects.filter(city__in=cities, session__cohort=self.cohort)
            .annotate(invitation=invitation)
            .order_by("session__starts_at", "day__starts_at", "city__name", "person__full_name")
            .values_list("city_id", "city__name", "person_id", "person__full_name", "person__email", "session_id",
                         "session__title", "session__kind", "session__starts_at", "session__required", "day_id",
                         "day__label", "status", "marked_at", "source", "marked_by__full_name", "note",
                         "invitation__response", "invitation__reason")
        )
        unmarked = (
            SessionInvitation.objects.filter(city__in=cities, session__cohort=self.cohort)
            .exclude(session__status=Session.Status.CANCELLED)
            .filter(~Exists(Attendance.objects.filter(session=OuterRef("session"), person=OuterRef("person"))))
            .order_by("session__starts_at", "city__name", "person__full_name")
            .values_list("city_id", "city__name", "person_id", "person__full_name", "person__email", "session_id",
                         "session__title", "session__kind", "session__starts_at", "session__required", "response",
                         "reason")
        )

        def marked_rows():
            for (city_id, city_name, pk, name, email, session_id, title, kind, starts, required, day_id, label,
                 status, marked, source, by, note, answer, reason) in marks.iterator(chunk_size=5000):
                yield (city(city_id, city_name), *person(pk, name, email),
                       *session(session_id, title, kind, starts, required)[:3], day(day_id, label),
                       session_cells[session_id][3], status_label.get(status, status), utc(marked),
                       source_label.get(source, source), operator(by), neutralise(note) if note else "",
                       answer_label.get(answer, answer), neutralise(reason) if reason else "")

        def unmarked_rows():
            for (city_id, city_name, pk, name, email, session_id, title, kind, starts, required, answer,
                 reason) in unmarked.iterator(chunk_size=5000):
                yield (city(city_id, city_name), *person(pk, name, email),
                       *session(session_id, title, kind, starts, required)[:3], "", session_cells[session_id][3],
                       "", "", "", "", "", answer_label.get(answer, answer), neutralise(reason) if reason else "")

        return header, Neutralised(chain(marked_rows(), unmarked_rows()))


def _utc(moment):
    return moment.astimezone(UTC).isoformat(timespec="minutes")
