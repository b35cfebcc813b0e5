"""Streamed CSV downloads that a spreadsheet opens safely.

Rows are produced lazily and written as they go, so a whole cohort's ledger neither times out
nor sits in memory. Cells a spreadsheet would run as a formula are prefixed with a quote."""

import csv

from django.http import StreamingHttpResponse
from django_scopes import scope
from django_scopes.state import get_scope

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def _rows_in_scope(header, rows):
    # The response is consumed after the view and middleware return, so the request's city scope
    # has closed by then; the rows are read inside the same scope they were planned in.
    captured = dict(get_scope())
    writer = csv.writer(_Echo())

    def generate():
        with scope(**captured):
            yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
            yield writer.writerow([neutralise(h) for h in header])
            for row in rows:
                yield writer.writerow([neutralise(cell) for cell in row])

    return generate()


def csv_response(filename, header, rows):
    response = StreamingHttpResponse(_rows_in_scope(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
