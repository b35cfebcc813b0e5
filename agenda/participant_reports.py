"""Reading the participant reports video platforms export: Zoom's participant report, Microsoft
Teams' attendance report (the sectioned one of today, usually UTF-16 and tab-separated, and the
older join/leave event list) and, as a fallback, any table with email, name, join and leave columns.

Pure functions over bytes: no database, no session. Every problem is reported with the line it
is on; a row that cannot be read is left out and said so, never guessed."""

import csv
import datetime
import io
import unicodedata
from dataclasses import dataclass, field

from dateutil import parser as date_parser
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# A participant report of a few hundred people is tens of kilobytes; anything this big is not one.
MAX_REPORT_BYTES = 1024 * 1024


class ReportFormat(models.TextChoices):
    ZOOM = "zoom", gettext_lazy("Zoom participant report")
    TEAMS = "teams", gettext_lazy("Microsoft Teams attendance report")
    GENERIC = "generic", gettext_lazy("Table with email, name, join and leave")


class ReportError(ValueError):
    """The file as a whole cannot be read (encoding, size, unknown format)."""


@dataclass
class ReportRow:
    line: int
    name: str
    email: str
    joined: datetime.datetime
    left: datetime.datetime


@dataclass
class RowProblem:
    line: int
    message: str


@dataclass
class ParticipantReport:
    format: str
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def format_label(self):
        return ReportFormat(self.format).label


def decode(raw):
    """Text of the file. Teams writes UTF-16 (with a byte-order mark); Excel on Windows saves cp1252."""
    if len(raw) > MAX_REPORT_BYTES:
        raise ReportError(_("The file is larger than %(size)d KB; a participant report is much smaller.")
                          % {"size": MAX_REPORT_BYTES // 1024})
    if not raw.strip():
        raise ReportError(_("The file is empty."))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    elif raw[1:200:2].count(0) > 50 and raw[0:200:2].count(0) == 0:  # UTF-16 without its mark
        encodings = ["utf-16-le"]
    else:
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = raw.decode(encoding).replace("\x00", "")
        except UnicodeDecodeError:
            continue
        if not text.strip():
            raise ReportError(_("The file is empty."))
        return text
    raise ReportError(_("The file's characters cannot be read; save the report again as CSV (UTF-8 or UTF-16)."))


def _table(text):
    """[(line number, [cells])] with the delimiter the file uses (tab for Teams, comma otherwise)."""
    sample = text[:4000]
    delimiter = "\t" if sample.count("\t") > sample.count(",") // 2 else ","
    if sample.count(";") > sample.count(",") and delimiter == ",":  # European spreadsheets
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for cells in reader:
            rows.append((reader.line_num, [cell.strip() for cell in cells]))
    except csv.Error as error:
        raise ReportError(_("The file is not a readable table (line %(line)d).") % {"line": reader.line_num}) from error
    return rows


def _key(cell):
    return " ".join(cell.casefold().replace("_", " ").split())


def _column(header, *names, contains=()):
    keys = [_key(cell) for cell in header]
    for name in names:
        if name in keys:
            return keys.index(name)
    for index, key in enumerate(keys):
        if any(part in key for part in contains):
            return index
    return None


def _moment(text, zone, dayfirst):
    """An aware moment from a report's time, in `zone` unless the text names its offset."""
    if not text:
        raise ValueError("empty")
    no_date = datetime.datetime(1, 1, 1)
    parsed = date_parser.parse(text, dayfirst=dayfirst, default=no_date)
    if parsed.date() == no_date.date():
        raise ValueError("no date")
    return parsed.replace(tzinfo=zone) if parsed.tzinfo is None else parsed


def _row(line, name, email, join_text, leave_text, zone, dayfirst):
    email = email if "@" in email else ""
    name = name.strip()
    if not name and not email:
        return RowProblem(line, _("Line %(line)d has neither a name nor an email; it is left out.") % {"line": line})
    who = name or email
    try:
        joined = _moment(join_text, zone, dayfirst)
        left = _moment(leave_text, zone, dayfirst)
    except (ValueError, OverflowError):
        return RowProblem(line, _("Line %(line)d (%(who)s): the join or leave time “%(join)s” / “%(leave)s” cannot be "
                                  "read; it is left out.") % {"line": line, "who": who, "join": join_text[:40],
                                                               "leave": leave_text[:40]})
    if left < joined:
        return RowProblem(line, _("Line %(line)d (%(who)s) leaves before it joins; it is left out.")
                          % {"line": line, "who": who})
    return ReportRow(line, name, email.casefold(), joined, left)


def _collect(report, results):
    seen = {}
    for result in results:
        if isinstance(result, RowProblem):
            report.problems.append(result)
            continue
        key = (result.name.casefold(), result.email, result.joined, result.left)
        if key in seen:
            report.problems.append(RowProblem(result.line, _(
                "Line %(line)d repeats line %(first)d; it is counted once.") % {"line": result.line,
                                                                                 "first": seen[key]}))
            continue
        seen[key] = result.line
        report.rows.append(result)
    return report


def _body(rows, header_index):
    """The data rows under a header, up to the first blank line or the next section."""
    for line, cells in rows[header_index + 1:]:
        if not any(cells):
            break
        yield line, cells


def _cell(cells, index):
    return cells[index] if index is not None and index < len(cells) else ""


def _find_header(rows, predicate, start=0):
    for index in range(start, len(rows)):
        keys = [_key(cell) for cell in rows[index][1]]
        if predicate(keys):
            return index
    return None


def _zoom(rows, header_index, zone, dayfirst):
    header = rows[header_index][1]
    name = _column(header, "name (original name)", "name", "participant", contains=("name",))
    email = _column(header, "user email", "email", contains=("email",))
    join = _column(header, "join time", contains=("join",))
    leave = _column(header, "leave time", contains=("leave",))
    report = ParticipantReport(ReportFormat.ZOOM)
    return _collect(report, (
        _row(line, _cell(cells, name), _cell(cells, email), _cell(cells, join), _cell(cells, leave), zone, dayfirst)
        for line, cells in _body(rows, header_index)
    ))


def _teams(rows, zone, dayfirst):
    """Today's Teams report: '2. Participants' (first join, last leave) and, when the organiser
    kept it, '3. In-Meeting Activities' (every join and leave), which is the better source."""
    activities = _find_header(rows, lambda k: "join time" in k and "leave time" in k)
    participants = _find_header(rows, lambda k: "first join" in k and "last leave" in k)
    index = activities if activities is not None else participants
    header = rows[index][1]
    name = _column(header, "name", "full name")
    email = _column(header, "email", "participant id (upn)", contains=("email",))
    join = _column(header, "join time", "first join")
    leave = _column(header, "leave time", "last leave")
    report = ParticipantReport(ReportFormat.TEAMS)
    return _collect(report, (
        _row(line, _cell(cells, name), _cell(cells, email), _cell(cells, join), _cell(cells, leave), zone, dayfirst)
        for line, cells in _body(rows, index)
    ))


def _teams_events(rows, header_index, zone, dayfirst):
    """The older Teams list: one line per 'Joined' or 'Left', paired per person in time order."""
    header = rows[header_index][1]
    name, action, when = (_column(header, "full name"), _column(header, "user action"), _column(header, "timestamp"))
    report = ParticipantReport(ReportFormat.TEAMS)
    events = []
    for line, cells in _body(rows, header_index):
        who, act, text = _cell(cells, name), _key(_cell(cells, action)), _cell(cells, when)
        try:
            moment = _moment(text, zone, dayfirst)
        except (ValueError, OverflowError):
            report.problems.append(RowProblem(line, _("Line %(line)d (%(who)s): the time “%(time)s” cannot be read; "
                                                      "it is left out.") % {"line": line, "who": who or "—",
                                                                            "time": text[:40]}))
            continue
        if not who or act not in ("joined", "joined before", "left"):
            report.problems.append(RowProblem(line, _("Line %(line)d is neither a join nor a leave of a named person; "
                                                      "it is left out.") % {"line": line}))
            continue
        events.append((moment, line, who, act))
    if not events:
        return report
    last = max(moment for moment, *_ in events)
    open_since = {}
    results = []
    for moment, line, who, act in sorted(events):
        if act.startswith("joined"):
            open_since.setdefault(who, (moment, line))
        elif who in open_since:
            joined, first_line = open_since.pop(who)
            results.append(ReportRow(first_line, who, "", joined, moment))
        else:
            results.append(RowProblem(line, _("Line %(line)d: %(who)s leaves without having joined; it is left out.")
                                      % {"line": line, "who": who}))
    for who, (joined, line) in open_since.items():  # still in the call when the report was taken
        results.append(ReportRow(line, who, "", joined, last))
    return _collect(report, sorted(results, key=lambda r: r.line))


def _generic(rows, header_index, zone, dayfirst):
    header = rows[header_index][1]
    name = _column(header, "name", "full name", "participant", contains=("name",))
    email = _column(header, "email", "e-mail", "mail", contains=("email", "e-mail"))
    join = _column(header, "join", "joined", "join time", "start", contains=("join", "arriv"))
    leave = _column(header, "leave", "left", "leave time", "end", contains=("leave", "left", "depart"))
    report = ParticipantReport(ReportFormat.GENERIC)
    return _collect(report, (
        _row(line, _cell(cells, name), _cell(cells, email), _cell(cells, join), _cell(cells, leave), zone, dayfirst)
        for line, cells in _body(rows, header_index)
    ))


def _is_zoom(keys):
    return ("name (original name)" in keys or "duration (minutes)" in keys) and "join time" in keys


def _is_generic(keys):
    has = lambda *parts: any(any(p in key for p in parts) for key in keys)  # noqa: E731 - a local shorthand
    return has("mail") and has("join", "arriv", "start") and has("leave", "left", "depart", "end")


def parse(raw, *, zone, dayfirst=False):
    """The report in `raw` bytes, its times read in `zone` unless they carry an offset.

    Raises ReportError when the file as a whole is unreadable or of no known format."""
    rows = [(line, cells) for line, cells in _table(decode(raw))]
    zoom = _find_header(rows, _is_zoom)
    if zoom is not None:
        return _zoom(rows, zoom, zone, dayfirst)
    if _find_header(rows, lambda k: ("first join" in k and "last leave" in k) or ("join time" in k and "leave time"
                                                                                   in k and "role" in k)) is not None:
        return _teams(rows, zone, dayfirst)
    events = _find_header(rows, lambda k: "user action" in k and "timestamp" in k)
    if events is not None:
        return _teams_events(rows, events, zone, dayfirst)
    generic = _find_header(rows, _is_generic)
    if generic is not None:
        return _generic(rows, generic, zone, dayfirst)
    raise ReportError(_(
        "This is not a participant report this page knows: expected Zoom's participant report, Microsoft Teams' "
        "attendance report, or a table whose first line names the columns email, name, join and leave."))


def normalised_name(name):
    """A name reduced for comparison: no accents, case, punctuation, word order or Zoom's
    '(original name)' part."""
    name = name.split("(")[0]
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    words = "".join(c if c.isalnum() else " " for c in plain.casefold()).split()
    return " ".join(sorted(words))
