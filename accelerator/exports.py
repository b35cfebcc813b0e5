"""Streamed CSV downloads that a spreadsheet opens safely.

Rows are produced lazily and written as they go, so a whole cohort's ledger neither times out
nor sits in memory. Cells a spreadsheet would run as a formula are prefixed with a quote."""

import csv
import io
from itertools import islice

from django.http import StreamingHttpResponse
from django_scopes import scope
from django_scopes.state import get_scope

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_TRIGGER_SET = frozenset(FORMULA_TRIGGERS)

# Rows are written this many at a time: one chunk per row would pass every row through the
# response machinery on its own, which costs more than writing it.
ROWS_PER_CHUNK = 1000


def neutralise(value):
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    if text and text[0] in _TRIGGER_SET:
        return "'" + text
    return text


class Neutralised:
    """Rows whose every cell is already a string passed through `neutralise` (or known safe, like
    a label or a formatted date): written as they are, with no per-cell pass. An export of tens
    of thousands of rows neutralises each distinct name, title or label once instead."""

    def __init__(self, rows):
        self.rows = rows

    def __iter__(self):
        return iter(self.rows)


class Lines:
    """Rows already written as CSV text, each a whole line ending in "\\r\\n" whose cells were
    neutralised and quoted as `csv_cells` does: joined as they are. An export that puts each line
    together from parts made once (a person's cells, a session's) leaves the CSV writer nothing to
    do per row."""

    def __init__(self, lines):
        self.lines = lines

    def __iter__(self):
        return iter(self.lines)


def csv_cells(cells):
    """`cells` (already neutralised) as the CSV writer writes them, each followed by a comma: a
    part of a line, to be joined with others and closed with "\\r\\n"."""
    if type(cells) is not list and type(cells) is not tuple:
        cells = list(cells)
    try:
        text = ",".join(cells)  # raises for a cell that is not text, which the writer turns into text
    except TypeError:
        text = None
    # The writer quotes only a cell holding a comma, a quote or a line break: with none of them,
    # the cells joined are what it writes, without a buffer and a writer made for a few cells.
    if (text is not None and cells and text.count(",") == len(cells) - 1 and '"' not in text and "\r" not in text
            and "\n" not in text):
        return text + ","
    buffer = io.StringIO()
    csv.writer(buffer).writerow([*cells, ""])  # the empty last cell leaves a trailing comma, and never quotes alone
    return buffer.getvalue()[:-2]


def _cells(row):
    return [neutralise(cell) for cell in row]


def _rows_in_scope(header, rows):
    # The response is consumed after the view and middleware return, so the request's city scope
    # has closed by then; the rows are read inside the same scope they were planned in.
    captured = dict(get_scope())

    def generate():
        with scope(**captured):
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            buffer.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
            writer.writerow([neutralise(h) for h in header])
            ready, lines = isinstance(rows, Neutralised), isinstance(rows, Lines)
            rows_left = iter(rows)
            while True:
                batch = list(islice(rows_left, ROWS_PER_CHUNK))
                if lines:
                    buffer.write("".join(batch))
                else:
                    writer.writerows(batch if ready else map(_cells, batch))
                yield buffer.getvalue()
                if len(batch) < ROWS_PER_CHUNK:
                    return
                buffer.seek(0)
                buffer.truncate()

    return generate()


def csv_response(filename, header, rows):
    response = StreamingHttpResponse(_rows_in_scope(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
