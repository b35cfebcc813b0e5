import io

import pytest
from openpyxl import Workbook, load_workbook

from cohorts.roster_files import COLUMNS, MAX_ROWS, RosterFileError, read_roster, roster_csv, roster_xlsx
from cohorts.tests.rosters import roster_rows


def problems(name, content):
    with pytest.raises(RosterFileError) as caught:
        read_roster(name=name, content=content)
    return " ".join(caught.value.messages)


def xlsx(table):
    workbook = Workbook()
    for row in table:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_and_xlsx_read_the_same_rows():
    rows = roster_rows(2)
    from_csv = read_roster(name="r.csv", content=roster_csv(rows))
    from_xlsx = read_roster(name="r.XLSX", content=roster_xlsx(rows, title="r"))
    assert [r.values for r in from_csv] == [r.values for r in from_xlsx] == rows
    assert [r.number for r in from_csv] == list(range(2, 12))


def test_a_file_that_is_not_utf8_is_refused_with_what_to_do():
    content = roster_csv(roster_rows(1)).decode("utf-8-sig").replace("Town", "São Town").encode("latin-1")
    assert "not UTF-8 text" in problems("r.csv", content)


def test_a_missing_column_is_named():
    content = b"city,country,time_zone,language,role,name\nX,Y,UTC,en,mayor,Z\n"
    assert "The columns email, title are missing" in problems("r.csv", content)


def test_ten_thousand_rows_are_refused_with_the_limit():
    content = roster_csv(roster_rows(2000))  # 10,000 rows
    assert f"more than {MAX_ROWS} rows" in problems("r.csv", content)


def test_a_formula_cell_is_never_evaluated_and_is_reported():
    table = [COLUMNS, ["Town", "US", "America/Chicago", "en", "mayor", "=1+1", "a@example.org", ""]]
    (row,) = read_roster(name="r.xlsx", content=xlsx(table))
    assert row.formulas == ["name"] and row.values["name"] == "=1+1"


def test_exported_cells_are_never_formulas():
    rows = [{**roster_rows(1)[0], "name": "=HYPERLINK(\"http://evil\")", "title": "+1"}]
    sheet = load_workbook(io.BytesIO(roster_xlsx(rows, title="r"))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type == "s" for cell in cells)
    assert sheet["F2"].value == "=HYPERLINK(\"http://evil\")"
    assert "'=HYPERLINK" in roster_csv(rows).decode("utf-8-sig")


def test_other_files_are_refused_clearly():
    assert "Upload a .csv (UTF-8) or .xlsx file" in problems("r.pdf", b"%PDF")
    assert "could not be read as an XLSX workbook" in problems("r.xlsx", b"not a zip")
    assert "no rows of people or cities" in problems("r.csv", ",".join(COLUMNS).encode())
    assert "The file is empty" in problems("r.csv", b"")


def test_a_workbook_that_unpacks_to_far_more_than_a_roster_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    assert "unpacks to far more than a roster holds" in problems("r.xlsx", buffer.getvalue())
