"""Reading and writing a cohort's roster file: one row per person (city, country, time zone,
language, role, name, email, title), as CSV (UTF-8) or XLSX.

Reading never evaluates anything: an XLSX formula cell is reported as a problem of its row (its
formula is never calculated), and no external link or macro is followed. Writing keeps every
cell a plain value: a CSV cell a spreadsheet would run as a formula is prefixed with a quote (as
every export of the project), an XLSX cell is always stored as text."""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accelerator.exports import neutralise

COLUMNS = ["city", "country", "time_zone", "language", "role", "name", "email", "title"]
# A cohort is a dozen or more cities of about five people; this leaves room for many cohorts at
# once while keeping a preview a page a person can read and a confirmation one short transaction.
MAX_ROWS = 2000
MAX_BYTES = 2 * 1024 * 1024
# An XLSX is a zip: a small upload could unpack to gigabytes. A real roster unpacks to well under this.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
# Columns read per row; the roster has eight, a sheet may carry a few notes beside them.
MAX_COLUMNS = 60
FORMULA = "__formula__"


class RosterFileError(Exception):
    """The file as a whole cannot be read; `messages` says why, one problem each."""

    def __init__(self, messages):
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass
class RosterRow:
    number: int  # as the spreadsheet numbers it: the header is row 1
    values: dict = field(default_factory=dict)
    formulas: list = field(default_factory=list)  # columns whose cell held a formula


def _normalise_header(cell):
    return str(cell or "").strip().lower().replace(" ", "_")


def _rows_from_table(table):
    """RosterRows from an iterator of cell lists whose first item is the header."""
    try:
        header = [_normalise_header(cell) for cell in next(table)]
    except StopIteration:
        raise RosterFileError([_("The file is empty: it needs a header row with the columns %(columns)s.")
                               % {"columns": ", ".join(COLUMNS)}]) from None
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise RosterFileError([ngettext(
            "The column %(columns)s is missing. The first row must name the columns %(all)s.",
            "The columns %(columns)s are missing. The first row must name the columns %(all)s.",
            len(missing),
        ) % {"columns": ", ".join(missing), "all": ", ".join(COLUMNS)}])
    index = {column: header.index(column) for column in COLUMNS}
    rows = []
    for number, cells in enumerate(table, start=2):
        cells = list(cells)
        row = RosterRow(number=number)
        for column, position in index.items():
            value = cells[position] if position < len(cells) else None
            if isinstance(value, tuple):  # (FORMULA, source) from an XLSX formula cell
                row.formulas.append(column)
                value = value[1]
            row.values[column] = "" if value is None else str(value).strip()
        if not any(row.values.values()):
            continue  # a blank line between cities is not a row
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise RosterFileError([_("The file has more than %(limit)s rows; an import takes at most %(limit)s. "
                                     "Split it into several files (by city, for example).") % {"limit": MAX_ROWS}])
    return rows


def _csv_table(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterFileError([_("The file is not UTF-8 text. In your spreadsheet program save it as "
                                 "“CSV UTF-8”, or upload it as XLSX.")]) from None
    if "\x00" in text:
        raise RosterFileError([_("The file is not a CSV text file. Upload a CSV (UTF-8) or an XLSX file.")])
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text, newline=""), dialect)


def _xlsx_table(content):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        unpacked = 0  # refused just below, with the message for an unreadable workbook
    if unpacked > MAX_UNPACKED_BYTES:
        raise RosterFileError([_("The workbook unpacks to far more than a roster holds. Check that it is the right "
                                 "file, or save it as CSV (UTF-8).")])
    try:
        # data_only=False: a formula cell gives its formula, never a calculated or cached value.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise RosterFileError([_("The file could not be read as an XLSX workbook. Save it again as “Excel "
                                 "Workbook (.xlsx)”, or upload it as CSV (UTF-8).")]) from None
    sheet = workbook.worksheets[0]

    def cells():
        for row in sheet.iter_rows(max_col=MAX_COLUMNS):
            yield [(FORMULA, cell.value) if cell.data_type == "f" else cell.value for cell in row]

    return cells()


def read_roster(*, name, content):
    """The rows of an uploaded roster file, or RosterFileError with what is wrong."""
    if len(content) > MAX_BYTES:
        raise RosterFileError([_("The file is larger than %(size)s MB; a roster file is much smaller. Check that "
                                 "it is the right file.") % {"size": MAX_BYTES // (1024 * 1024)}])
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        table = _xlsx_table(content)
    elif lowered.endswith((".csv", ".txt")):
        table = _csv_table(content)
    else:
        raise RosterFileError([_("Upload a .csv (UTF-8) or .xlsx file.")])
    rows = _rows_from_table(iter(table))
    if not rows:
        raise RosterFileError([_("The file has its header row but no rows of people or cities.")])
    return rows


def roster_csv(rows):
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows([[neutralise(row.get(column, "")) for column in COLUMNS] for row in rows])
    return buffer.getvalue().encode("utf-8")


def roster_xlsx(rows, *, title):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row.get(column, "") for column in COLUMNS])
    for sheet_row in sheet.iter_rows():
        for cell in sheet_row:
            # Stored as text whatever it starts with: a name like "=1+1" is never a formula.
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
