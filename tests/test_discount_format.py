"""A Discount cell's number format tells a percentage from an amount: a number under a
percent format (typed as `10%`, stored as 0.1) is that percentage, a plain number is an
amount however small (0.5 is 0.50 off). The readers mark the first kind as `Percent`."""

from __future__ import annotations

import os
import pickle
from datetime import date
from decimal import Decimal as M
from pathlib import Path

import openpyxl
import pytest

from sheetbill.book import cells
from sheetbill.book.google import grid, values
from sheetbill.book.markers import CellError, FormulaNoValue, Percent, PercentSign
from sheetbill.book.sheet_cache import SheetCache
from sheetbill.book.xlsx import SheetEdit, patch_workbook, read_sheets
from sheetbill.book.xlsx.numfmt import number_kind
from sheetbill.core.model import Discount
from tests.fakegoogle import humans

from .conftest import session
from .google_practice import GooglePractice, google_practice  # noqa: F401  (fixture)
from .test_xlsx_read import both_readers

pytest_plugins = ["tests.conftest_google"]


def percent(n: str) -> Discount:
    return Discount(percent=M(n))


def off(n: str) -> Discount:
    return Discount(amount=M(n))


@pytest.mark.parametrize("cell, read", [
    (Percent("0.1"), percent("10")),  # a cell typed as 10%
    (Percent("0.125"), percent("12.5")),  # shown as 13% under `0%`: the stored number counts
    (Percent("0.05"), percent("5")),
    (Percent("1"), percent("100")),
    (Percent("0"), percent("0")),
    (PercentSign("10"), percent("10")),  # typed as 10 under `0"%"`: shows 10%
    (PercentSign("0.5"), percent("0.5")),
    (M("0.5"), off("0.50")),  # a plain number is an amount, however small
    (M("0.1"), off("0.10")),
    (M("0.99"), off("0.99")),
    (M("5"), off("5.00")),
    (M("12.50"), off("12.50")),
    (M("0"), off("0")),
    ("10%", percent("10")),
    ("12.5%", percent("12.5")),
    (" 10% ", percent("10")),
    ("5.00", off("5.00")),
    ("0.5", off("0.50")),
    ("12,50", off("12.50")),
    (None, None),
    ("", None),
])
def test_a_discount_is_a_percentage_only_where_the_cell_shows_one(cell, read):
    got = cells.discount(cell, "Discount")
    assert got == read
    if got is not None:  # the readings carry plain Decimals on, never the marker
        assert all(type(n) is M for n in (got.percent, got.amount) if n is not None)


@pytest.mark.parametrize("cell, says", [
    ("abc", "Discount 'abc' is not a discount (write 10% or an amount like 5.00)"),
    ("ten%", "Discount 'ten%' is not a discount"),
    (Percent("NaN"), "Discount 'NaN' is not a discount"),
    (CellError("#REF!"), "Discount shows the error #REF!"),
    (FormulaNoValue("A1"), "Discount is a formula with no saved value"),
])
def test_a_discount_that_does_not_read_is_a_problem(cell, says):
    with pytest.raises(cells.CellProblem, match=says.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        cells.discount(cell, "Discount")


def test_a_percent_cell_is_a_decimal_everywhere_else():
    """Tax Rate keeps its rule (a number below 1 is a fraction); text, numbers and the
    values written back read as they did."""
    assert cells.rate(M("0.19"), "Tax Rate") == 19 and cells.rate(Percent("0.19"), "Tax Rate") == 19
    # a cell typed as 190% or 100% holds 1.9 or 1: its percent, not 1.9 % (190 % is then refused by pricing)
    assert cells.rate(Percent("1.9"), "Tax Rate") == 190 and cells.rate(Percent("1"), "Tax Rate") == 100
    assert cells.rate(M("7"), "Tax Rate") == 7
    assert cells.text(Percent("0.10")) == "0.1" == cells.text(M("0.10"))
    assert cells.number(Percent("0.5"), "Quantity") == M("0.5")
    assert cells.for_kind("money", Percent("0.5")) == M("0.5")
    assert pickle.loads(pickle.dumps(Percent("0.125"))) == Percent("0.125")
    assert type(pickle.loads(pickle.dumps(Percent("0.125")))) is Percent
    assert type(Percent("0.1") * 100) is M and repr(Percent("0.1")) == "Percent('0.1')"


@pytest.mark.parametrize("fmt_id, custom, kind", [
    (9, {}, "percent"),  # 0%
    (10, {}, "percent"),  # 0.00%
    (0, {}, None),
    (4, {}, None),  # #,##0.00
    (14, {}, "date"),
    (164, {164: "0.0%"}, "percent"),
    (164, {164: "#,##0.00 %;[Red]-#,##0.00 %"}, "percent"),
    (164, {164: '0"%"'}, "percent_sign"),  # the sign as text: the number is shown as it is, beside it
    (164, {164: "0\\%"}, "percent_sign"),
    (164, {164: "[$%-409]0.00"}, "percent_sign"),  # a currency symbol '%' before the number: %10.00
    (164, {164: "dd.mm.yyyy"}, "date"),
    (9, {9: "0.00"}, None),  # the workbook's own code for the id wins
])
def test_which_excel_formats_show_a_percentage(fmt_id, custom, kind):
    assert number_kind(fmt_id, custom) == kind


def _excel_book(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sessions"
    ws.append(["Id", "Whole", "Two", "Own", "Plain", "Sign", "Money", "Day", "Text"])
    ws.append(["S-1", 0.1, 0.125, 0.2, 0.5, 10, 0.5, date(2026, 11, 3), "10%"])
    for column, code in zip("BCDEFGH", ("0%", "0.00%", "0.0%", "General", '0"%"', "#,##0.00", "yyyy-mm-dd")):
        ws[f"{column}2"].number_format = code
    ws.append(["S-2", 0.1])  # the same number, no format
    wb.save(path)
    return path


def test_the_excel_reader_marks_numbers_under_a_percent_format(tmp_path):
    path = _excel_book(tmp_path / "book.xlsx")
    fast, slow = both_readers(path, "Sessions")
    assert fast is not None
    for sheet in (fast, slow, read_sheets(path).sheets["Sessions"]):
        row, plain = sheet.rows[1][1], sheet.rows[2][1]
        assert row == ("S-1", M("0.1"), M("0.125"), M("0.2"), M("0.5"), M("10"), M("0.5"), date(2026, 11, 3), "10%")
        assert [type(v).__name__ for v in row[1:7]] == ["Percent", "Percent", "Percent", "Decimal", "PercentSign",
                                                       "Decimal"]
        assert type(plain[1]) is M
        assert [cells.discount(v, "Discount") for v in (*row[1:7], row[8], plain[1])] == [
            percent("10"), percent("12.5"), percent("20"), off("0.50"), percent("10"), off("0.50"), percent("10"),
            off("0.10")]


def test_percent_cells_keep_their_kind_through_the_cache_and_a_write(tmp_path):
    path = _excel_book(tmp_path / "book.xlsx")
    cache = SheetCache(tmp_path / "rows")
    first = read_sheets(path, known=cache).sheets["Sessions"]
    cache.save()
    again = read_sheets(path, known=SheetCache(tmp_path / "rows")).sheets["Sessions"]  # from the file
    assert again == first and type(again.rows[1][1][1]) is Percent and type(again.rows[1][1][4]) is M

    written = tmp_path / "written.xlsx"  # the worker writes to the row and writes a Percent back as it was
    patch_workbook(path, written, {"Sessions": SheetEdit(updates={(2, 8): "written", (3, 1): Percent("0.1")})})
    os.replace(written, path)
    after = read_sheets(path, known=SheetCache(tmp_path / "rows")).sheets["Sessions"]
    assert after.rows[1][1][:8] == first.rows[1][1][:8] and after.rows[1][1][8] == "written"
    assert [type(v).__name__ for v in after.rows[1][1][1:5]] == ["Percent", "Percent", "Percent", "Decimal"]
    assert after.rows[2][1] == ("S-2", M("0.1")) and type(after.rows[2][1][1]) is M  # unformatted, as before
    assert openpyxl.load_workbook(path)["Sessions"]["B2"].number_format == "0%"


@pytest.mark.parametrize("number, shown, kind", [
    ("0.1", "10%", Percent), ("0.1", "10.00%", Percent), ("0.1", "10 %", Percent), ("0.1", "%10", Percent),
    ("0.1", "10\u00a0%", Percent), ("0.1", "10\u066a", Percent), ("0.1", "\uff11\uff10\uff05", Percent),
    ("0.125", "12.5%", Percent), ("0.125", "13%", Percent), ("0.125", "12%", Percent),  # the display rounds
    ("0.125", "12,5 %", Percent), ("0.125", "12,50\u00a0%", Percent), ("0.125", "\u0661\u0662\u066b\u0665\u066a", Percent),
    ("0.125", "1.25E+01%", Percent), ("0.145", "15%", Percent), ("0.14499999999999999", "15%", Percent),
    ("-0.1", "-10%", Percent), ("-0.1", "(10%)", Percent), ("1.9", "190%", Percent), ("0", "0%", Percent),
    ("12.34", "1,234%", Percent), ("12.34", "1.234 %", Percent), ("1234.5", "123,450.00%", Percent),
    ("1234.5", "123.450,00 %", Percent), ("1234.5", "123 450,0 %", Percent), ("1234.5", "1,23,450%", Percent),
    ("0.01234", "1,234%", Percent),  # 1.234 % where the comma is the decimal separator
    # the sign as text, `0"%"` or `0\%`: the number is shown as it is, beside the sign
    ("10", "10%", PercentSign), ("1000", "1000%", PercentSign), ("1000", "1,000%", PercentSign),
    ("0.5", "0.5%", PercentSign), ("0.5", "1%", PercentSign), ("12.34", "12.34%", PercentSign),
    ("12.34", "12,34 %", PercentSign), ("0.01", "0%", PercentSign), ("19", "19 %", PercentSign),
    ("0.1", "12.50%", M), ("0.1", "11%", M), ("0.125", "14%", M),  # further off than the display rounds
    ("0.1", "n/a %", M),  # no number shown
    ("0.1", "0.1", M), ("0.1", "0.10", M), ("0.1", "\u20ac0.10", M), ("0.1", "", M), ("0.1", None, M),
])
def test_a_google_number_is_a_percent_where_it_shows_times_100_beside_the_sign(number, shown, kind):
    cell = {"effectiveValue": {"numberValue": M(number)}}
    if shown is not None:
        cell["formattedValue"] = shown
    assert type(values.read(cell)) is kind and values.read(cell) == M(number)
    assert values.read({"effectiveValue": {"stringValue": "10%"}, "formattedValue": "10%"}) == "10%"


def test_the_google_read_asks_for_the_shown_text_and_marks_percent_cells(google_practice: GooglePractice):
    p = google_practice
    p.append("Sessions", session("S-00001", "2026-11-02", discount="10%"), session("S-00002", "2026-11-02", discount=0.5),
             session("S-00003", "2026-11-02", discount="12.5%"), session("S-00004", "2026-11-02", discount="5.00"))
    answer = p.google().sheets("post", f"/{p.spreadsheet_id}:getByDataFilter", params={"fields": grid.FIELDS},
                               body={"dataFilters": grid.filters(["Sessions", "Clients"], set()),
                                     "includeGridData": True})
    read = grid.parse(answer)
    discounts = [row[6] for _, row in read.sheets["Sessions"].rows[1:]]
    assert discounts == [M("0.1"), M("0.5"), M("0.125"), M("5")]
    assert [type(v).__name__ for v in discounts] == ["Percent", "Decimal", "Percent", "Decimal"]
    assert [cells.discount(v, "Discount") for v in discounts] == [percent("10"), off("0.50"), percent("12.5"),
                                                                  off("5.00")]
    clients = {row[0]: row[4] if len(row) > 4 else None for _, row in read.sheets["Clients"].rows[1:]}
    assert type(clients["C-002"]) is Percent and clients["C-002"] == M("0.1")  # typed as 10%


def _line_discounts(rows: list[dict]) -> dict[str, tuple[M, M]]:
    return {line["Session ID"]: (M(str(line["Discount"] or 0)).quantize(M("0.01")), M(str(line["Net"])))
            for line in rows if line["Code"] == "LD60"}


def test_excel_bills_a_plain_half_as_half_a_unit_off_and_a_percent_cell_as_a_percentage(practice):
    wb = openpyxl.load_workbook(practice.workbook)
    sessions, clients = wb["Sessions"], wb["Clients"]
    for row in (session("S-00001", date(2026, 11, 3), discount=0.5),  # plain: 0.50 off
                session("S-00002", date(2026, 11, 4), discount=0.1),  # typed as 10%
                session("S-00003", date(2026, 11, 5), client="C-002"),  # the client's plain 0.5
                session("S-00004", date(2026, 11, 6), client="C-003")):  # the client's 20%
        sessions.append(row)
    sessions.cell(row=3, column=7).number_format = "0%"
    header = [c.value for c in clients[1]].index("Discount") + 1
    for row in clients.iter_rows(min_row=2):
        if row[0].value == "C-002":
            clients.cell(row=row[0].row, column=header).value = 0.5
        if row[0].value == "C-003":
            clients.cell(row=row[0].row, column=header).value = 0.2
            clients.cell(row=row[0].row, column=header).number_format = "0%"
    wb.save(practice.workbook)
    report = practice.run()
    assert len(report.created) == 4 and report.errors == []
    assert _line_discounts(practice.rows("Lines")) == {
        "S-00001": (M("0.50"), M("64.50")), "S-00002": (M("6.50"), M("58.50")),
        "S-00003": (M("0.50"), M("64.50")), "S-00004": (M("13.00"), M("52.00"))}
    assert {s["Session ID"]: s["Problem"] for s in practice.rows("Sessions")} == dict.fromkeys(
        ("S-00001", "S-00002", "S-00003", "S-00004"))
    assert practice.run().created == []  # read again (and from the cache): nothing changed, nothing billed


def test_google_bills_a_plain_half_as_half_a_unit_off_and_a_percent_cell_as_a_percentage(
        google_practice: GooglePractice):
    p = google_practice
    humans.type_values(p.fake.state, p.spreadsheet_id, "Clients", 3, 4, [[0.5]])  # C-003: a plain 0.5
    p.append("Sessions", session("S-00001", "2026-11-03", discount=0.5),  # a plain number: 0.50 off
             session("S-00002", "2026-11-04", discount="10%"),  # Sheets stores 0.1 under a PERCENT format
             session("S-00003", "2026-11-05", client="C-002"),  # the client's 10% (typed)
             session("S-00004", "2026-11-06", client="C-003"))  # the client's plain 0.5
    p.configure("transport: gmail", "transport: none")
    report = p.run()
    assert len(report.created) == 4 and report.errors == []
    assert _line_discounts(p.rows("Lines")) == {
        "S-00001": (M("0.50"), M("64.50")), "S-00002": (M("6.50"), M("58.50")),
        "S-00003": (M("6.50"), M("58.50")), "S-00004": (M("0.50"), M("64.50"))}
    assert p.run().created == []


def test_a_tax_rate_typed_as_190_percent_is_refused_not_billed_at_1_9_percent(practice):
    """Excel stores a Tax Rate typed as `190%` as 1.9 under a percent format: a typo for 19 %, which
    pricing refuses with a Problem; it used to read as 1.9 % and bill without a word."""
    wb = openpyxl.load_workbook(practice.workbook)
    services = wb["Services"]
    header = [c.value for c in services[1]]
    for row in services.iter_rows(min_row=2):
        if row[0].value == "LD60":
            cell = row[header.index("Tax Rate")]
            cell.value, cell.number_format = 1.9, "0%"
    wb["Sessions"].append(session("S-00001", date(2026, 11, 3)))
    wb.save(practice.workbook)
    report = practice.run()
    assert report.created == []
    assert "Tax Rate 190%: a rate lies between 0% and 100%" in practice.rows("Sessions")[0]["Problem"]


def test_google_reads_a_number_its_format_only_adds_a_percent_sign_to_as_the_percentage_shown(
        google_practice: GooglePractice):
    """Under a custom format that adds the sign as text (`0"%"`, `0\\%`) a cell typed as 10 shows `10%` and
    holds 10, as the Excel reader reads it: a Discount of 10 is 10 %, a Tax Rate of 19 is 19 %, as the cells
    show them. Taken for percent-formatted cells they were 1000 % and 1900 %, and refused."""
    p = google_practice
    state, book = p.fake.state, p.spreadsheet_id
    humans.format_numbers(state, book, "Services", 2, 3, {"type": "NUMBER", "pattern": '0"%"'})  # LD60's Tax Rate
    humans.type_values(state, book, "Services", 2, 3, [[19]])
    first = p.sheet("Sessions").used_rows()
    humans.format_numbers(state, book, "Sessions", first, 6, {"type": "NUMBER", "pattern": "0\\%"}, rows=2)
    p.append("Sessions", session("S-00001", "2026-11-03", discount=10),  # shows 10%, holds 10
             session("S-00002", "2026-11-04", discount=0.1))  # shows 0%, holds 0.1: 0.1 %
    assert [row[6] for row in p.values("Sessions")[1:3]] + [p.values("Services")[2][3]] == ["10%", "0%", "19%"]
    p.configure("transport: gmail", "transport: none")
    report = p.run()
    assert len(report.created) == 2 and report.errors == []
    assert {s["Session ID"]: s["Problem"] for s in p.rows("Sessions")} == dict.fromkeys(("S-00001", "S-00002"), "")
    assert _line_discounts(p.rows("Lines")) == {"S-00001": (M("6.50"), M("58.50")), "S-00002": (M("0.07"), M("64.93"))}
    assert {(line["Tax Rate"], line["Tax"]) for line in p.rows("Lines")} == {("19%", "11.12"), ("19%", "12.34")}
    assert p.run().created == []


def test_excel_bills_a_discount_shown_beside_a_sign_its_format_adds_as_the_percentage_shown(practice):
    """A Discount typed as 10 under `0"%"` shows `10%`: 10 % off, as on Google; a plain 10 is 10.00 off."""
    wb = openpyxl.load_workbook(practice.workbook)
    sessions = wb["Sessions"]
    sessions.append(session("S-00001", date(2026, 11, 3), discount=10))
    sessions.append(session("S-00002", date(2026, 11, 4), discount=10))
    sessions.cell(row=2, column=7).number_format = '0"%"'
    wb.save(practice.workbook)
    report = practice.run()
    assert len(report.created) == 2 and report.errors == []
    assert _line_discounts(practice.rows("Lines")) == {"S-00001": (M("6.50"), M("58.50")),
                                                       "S-00002": (M("10.00"), M("55.00"))}
    assert practice.run().created == []
