"""Property: whatever grid patch_workbook writes, read_sheets and openpyxl
(an independent reader, as Excel would be) both read back."""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font

from sheetbill.book.xlsx import SheetEdit, lost_parts, patch_workbook, read_sheets

BASE_ROWS = {1: ["ID", "When", "Text"], 2: ["A", date(2026, 1, 2), 5], 5: [None, "x", None, 1.5], 9: [7], 10: ["z"]}
LAST_USED = 10
COLS = 6

texts = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc"), max_codepoint=0x2FFFF), st.sampled_from("\n\t&<>\"'=+-@ ")
    ),
    max_size=12,
).filter(lambda t: "_x" not in t)
decimals = st.builds(lambda i, e: Decimal(i).scaleb(-e), st.integers(-(10**12), 10**12), st.integers(0, 4))
dates = st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31))
moments = st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)).map(
    lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)
)
values = st.one_of(st.none(), texts, decimals, dates, moments, st.booleans())
updates = st.dictionaries(st.tuples(st.integers(1, LAST_USED), st.integers(0, COLS - 1)), values, max_size=20)
appends = st.lists(st.lists(values, max_size=COLS), max_size=4)


def base_book(folder: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for row, cells in BASE_ROWS.items():
        for col, value in enumerate(cells, start=1):
            if value is not None:
                ws.cell(row, col, value)
    ws["C2"].font = Font(bold=True)
    path = folder / "base.xlsx"
    wb.save(path)
    return path


def expected_grid(updates: dict, appends: list) -> dict[tuple[int, int], object]:
    grid: dict[tuple[int, int], object] = {}
    for row, cells in BASE_ROWS.items():
        for col, value in enumerate(cells):
            if value is not None:
                grid[(row, col)] = Decimal(str(value)) if isinstance(value, (int, float)) else value
    grid.update(updates)
    for offset, cells in enumerate(appends, start=1):
        grid.update({(LAST_USED + offset, col): value for col, value in enumerate(cells)})
    return {key: value for key, value in grid.items() if value not in (None, "")}


def as_excel(value: object) -> object:
    """How openpyxl shows a value we wrote."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(updates, appends, st.frozensets(st.integers(0, COLS - 1)))
def test_written_grids_read_back(updates: dict, appends: list, money: frozenset[int]) -> None:
    overlapping = any((LAST_USED + 1 + i, c) in updates for i, row in enumerate(appends) for c in range(len(row)))
    if overlapping:
        return
    with tempfile.TemporaryDirectory() as folder:
        src = base_book(Path(folder))
        dst = Path(folder) / "out.xlsx"
        patch_workbook(src, dst, {"S": SheetEdit(updates=updates, appends=appends, money_columns=money)})
        assert lost_parts(src, dst) == []
        expected = expected_grid(updates, appends)

        ours = {
            (row, col): value
            for row, cells in read_sheets(dst).sheets["S"].rows
            for col, value in enumerate(cells)
            if value is not None
        }
        assert ours == expected
        assert all(str(ours[k]) == str(v) for k, v in expected.items() if isinstance(v, Decimal))

        ws = openpyxl.load_workbook(dst)["S"]
        theirs = {
            (cell.row, cell.column - 1): cell.value
            for row in ws.iter_rows()
            for cell in row
            if cell.value is not None
        }
        assert theirs == {key: as_excel(value) for key, value in expected.items()}
