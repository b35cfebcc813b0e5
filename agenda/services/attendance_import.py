"""Video-call attendance: a participant report read against a session's invitees, proposed as marks,
and written to the ledger once staff confirm.

`attendance_import_preview` changes nothing; `attendance_import_apply` writes only the rows staff
ticked, recomputed from the same file, so what is written is what was shown. A mark someone set
by hand (or the desk, or a staff decision) is replaced only when its row was ticked, and those
rows are never ticked for staff in advance."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from agenda import participant_reports
from agenda.models import Attendance, Response, Session, thresholds_for
from cohorts.models import Membership
from cohorts.services.dashboard_rows import dashboard_rows_changed

# Rows this far either side of the session still belong to it (people join early, hosts stay on).
SLACK = datetime.timedelta(hours=2)


@dataclass
class PersonLine:
    """One invitee: what the report says, the proposed mark and whether staff must confirm it."""

    invitation: object
    rows: list = field(default_factory=list)
    guessed: bool = False  # matched by name only
    intervals: list = field(default_factory=list)
    minutes: int = 0
    late_by: int = 0
    status: str = ""
    current: object = None
    notes: list = field(default_factory=list)

    @property
    def code(self):
        return self.invitation.code

    @property
    def lines(self):
        return sorted(row.line for row in self.rows)

    @property
    def hand_set(self):
        return self.current is not None and self.current.source != Attendance.Source.IMPORT

    @property
    def unchanged(self):
        return self.current is not None and self.current.status == self.status

    @property
    def needs_confirmation(self):
        return not self.unchanged and (self.guessed or self.hand_set)

    @property
    def status_label(self):
        return Attendance.Status(self.status).label

    def note(self):
        if not self.rows:
            return _("Not in the report")
        return _("%(minutes)d min in the call, first joined %(late)d min after the start") % {
            "minutes": self.minutes, "late": self.late_by} if self.late_by > 0 else \
            _("%(minutes)d min in the call") % {"minutes": self.minutes}


@dataclass
class UnmatchedRow:
    row: object
    stand_in_for: str = ""  # the city whose mayor this person stood in for


@dataclass
class ImportPreview:
    report: object
    people: list
    unmatched: list
    problems: list
    digest: str

    @property
    def changes(self):
        return [line for line in self.people if not line.unchanged]


def merge_intervals(intervals):
    """Overlapping or touching (start, end) intervals joined, in time order."""
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def minutes_within(intervals, start, end):
    """Whole minutes of the merged intervals that fall inside [start, end]."""
    seconds = sum(max(0.0, (min(e, end) - max(s, start)).total_seconds()) for s, e in merge_intervals(intervals))
    return int(seconds // 60)


def propose_status(*, intervals, starts_at, ends_at, thresholds):
    """(status, minutes in the session, minutes late) for one person's merged intervals.

    Absent below the cohort's minimum; late when the first join is past the grace period (even if
    they also left early: arriving late is what the ledger has a word for); left early when the
    time in the call is under the cohort's share of the session; otherwise present."""
    minutes = minutes_within(intervals, starts_at, ends_at)
    if not intervals or minutes < thresholds.absent_under_minutes or minutes == 0:
        return Attendance.Status.ABSENT, minutes, 0
    first = min(start for start, _end in intervals)
    late_by = max(0, int((first - starts_at).total_seconds() // 60))
    if late_by > thresholds.late_after_minutes:
        return Attendance.Status.LATE, minutes, late_by
    length = (ends_at - starts_at).total_seconds() / 60
    if minutes * 100 < thresholds.min_stay_percent * length:
        return Attendance.Status.LEFT_EARLY, minutes, late_by
    return Attendance.Status.PRESENT, minutes, late_by


def _guard(session, actor):
    if not actor.has_perm("agenda.mark_attendance", session):
        raise RuleViolation(_("You cannot mark attendance for this session."))
    if session.is_cancelled:
        raise RuleViolation(_("This session was cancelled; there is no attendance to mark."))
    if session.is_in_person:
        raise RuleViolation(_("The convening's attendance comes from its check-in desk, not from a video call."))
    if session.starts_at > timezone.now():
        raise RuleViolation(_("Attendance can be marked once the session has started."))


def _read(session, raw, zone):
    """The report read both month-first and day-first: the reading that puts more rows on the
    session's day wins (Teams and Zoom write dates in the organiser's locale, unlabelled)."""
    window = (session.starts_at - SLACK, session.ends_at + SLACK)

    def on_the_day(report):
        return sum(1 for row in report.rows if row.joined < window[1] and row.left > window[0])

    month_first = participant_reports.parse(raw, zone=zone)
    if on_the_day(month_first) == len(month_first.rows):
        return month_first, window
    day_first = participant_reports.parse(raw, zone=zone, dayfirst=True)
    return (day_first if on_the_day(day_first) > on_the_day(month_first) else month_first), window


def _mayor_only(session):
    return session.audience == Session.Audience.MAYORS


def attendance_import_preview(*, session, actor, raw, zone):
    """What importing the report `raw` would do. Changes nothing.

    Raises RuleViolation when nothing can be proposed: an unreadable file, a report of another
    day, a session that takes no import."""
    _guard(session, actor)
    try:
        report, window = _read(session, raw, zone)
    except participant_reports.ReportError as error:
        raise RuleViolation(str(error)) from error
    problems = list(report.problems)
    on_day, other_day = [], []
    for row in report.rows:
        (on_day if row.joined < window[1] and row.left > window[0] else other_day).append(row)
    local = timezone.localtime(session.starts_at, session.zone)
    if report.rows and not on_day:
        days = sorted({timezone.localtime(row.joined, session.zone).date() for row in report.rows})
        raise RuleViolation(_("This report is of a call on %(report_day)s; the session “%(title)s” was on %(day)s. "
                              "Nothing was imported: choose the report of this session.") % {
            "report_day": ", ".join(date_format(day, "DATE_FORMAT") for day in days[:3]),
            "title": session.title, "day": date_format(local.date(), "DATE_FORMAT")})
    for row in other_day:
        problems.append(participant_reports.RowProblem(row.line, _(
            "Line %(line)d (%(who)s) is of another day than the session; it is left out.")
            % {"line": row.line, "who": row.name or row.email}))
    if not on_day and not problems:
        raise RuleViolation(_("The report lists no participants."))

    invitations = list(session.invitations.select_related("person", "city"))
    current = {a.person_id: a for a in session.attendance.filter(day__isnull=True)}
    people = {inv.person_id: PersonLine(invitation=inv, current=current.get(inv.person_id)) for inv in invitations}
    by_email = {inv.person.email.casefold(): inv for inv in invitations}
    by_name = {}
    for inv in invitations:
        by_name.setdefault(participant_reports.normalised_name(inv.person.full_name), []).append(inv)

    unmatched = []
    identities = {}  # person id -> the report identities (email or name) matched to them
    for row in sorted(on_day, key=lambda r: r.line):
        invitation = by_email.get(row.email) if row.email else None
        guessed = False
        if invitation is None:
            candidates = by_name.get(participant_reports.normalised_name(row.name), []) if row.name else []
            if len(candidates) == 1:
                invitation, guessed = candidates[0], True
        if invitation is None:
            unmatched.append(UnmatchedRow(row))
            continue
        line = people[invitation.person_id]
        line.rows.append(row)
        line.guessed = line.guessed or guessed
        identities.setdefault(invitation.person_id, set()).add(row.email or row.name.casefold())
    _flag_stand_ins(session, unmatched)

    thresholds = thresholds_for(session.cohort)
    for person_id, line in people.items():
        if len(identities.get(person_id, ())) > 1:
            line.notes.append(_("Lines %(lines)s are different entries in the report for this one person; their "
                                "times are added together.") % {"lines": ", ".join(map(str, line.lines))})
        line.intervals = merge_intervals((row.joined, row.left) for row in line.rows)
        status, line.minutes, line.late_by = propose_status(
            intervals=line.intervals, starts_at=session.starts_at, ends_at=session.ends_at, thresholds=thresholds)
        if not line.rows and line.invitation.response == Response.APOLOGY:
            status = Attendance.Status.EXCUSED
        line.status = status
    ordered = sorted(people.values(), key=lambda p: (p.invitation.city.name, p.invitation.person.full_name))
    return ImportPreview(report=report, people=ordered, unmatched=unmatched,
                         problems=sorted(problems, key=lambda p: p.line), digest=hashlib.sha256(raw).hexdigest())


def _flag_stand_ins(session, unmatched):
    """On a mayor-only session, someone else of a mayor's city who joined is a stand-in, which
    the program does not count (as at the convening's desk)."""
    if not _mayor_only(session) or not unmatched:
        return
    emails = {u.row.email for u in unmatched if u.row.email}
    members = Membership.objects.filter(user__email__in=emails, city__cohort=session.cohort).select_related(
        "city", "user")
    cities = {m.user.email.casefold(): m.city.name for m in members if not m.is_mayor}
    for entry in unmatched:
        entry.stand_in_for = cities.get(entry.row.email, "")


def attendance_import_apply(*, session, actor, raw, zone, accepted):
    """Write the marks of the rows whose invitation codes are in `accepted`, as the preview of the
    same file proposes them. Returns the number of marks changed; the same file twice changes nothing."""
    preview = attendance_import_preview(session=session, actor=actor, raw=raw, zone=zone)
    now = timezone.now()
    chosen = [line for line in preview.changes if line.code in accepted]
    with transaction.atomic():
        to_create, to_update = [], []
        for line in chosen:
            note = line.note()[:300]
            if line.current is None:
                to_create.append(Attendance(
                    session=session, city_id=line.invitation.city_id, person_id=line.invitation.person_id,
                    status=line.status, note=note, source=Attendance.Source.IMPORT, marked_by=actor, marked_at=now))
            else:
                mark = line.current
                mark.status, mark.note, mark.source, mark.marked_by, mark.marked_at = (
                    line.status, note, Attendance.Source.IMPORT, actor, now)
                to_update.append(mark)
        try:
            with transaction.atomic():
                Attendance.objects.bulk_create(to_create)
        except IntegrityError as exc:  # someone marked one of these people meanwhile
            raise RuleViolation(_("Someone else marked this attendance meanwhile; look at it again.")) from exc
        Attendance.objects.bulk_update(to_update, ["status", "note", "source", "marked_by", "marked_at"])
        changed = len(to_create) + len(to_update)
        if changed:
            dashboard_rows_changed(city_ids={line.invitation.city_id for line in chosen})
        audit_record(
            cohort=session.cohort, city=session.city, actor=actor, action="attendance.imported",
            data={"session": session.code, "title": session.title, "format": preview.report.format,
                  "count": changed, "rows": len(preview.report.rows), "unmatched": len(preview.unmatched),
                  "digest": preview.digest[:16]},
        )
    return changed
