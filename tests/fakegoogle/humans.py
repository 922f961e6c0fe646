"""What a person does in the Sheets UI, for concurrent-edit tests.

Each helper edits the state the way the UI would (developer metadata on
rows moves with them, formatting is inherited by inserted rows) and records
the change as a Drive revision by the human account.  Indices are 0-based,
like the API's.  Use them directly, or from ``fake.faults.before(...)`` to
strike between two of the worker's requests.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

from .cells import Cell
from .grid import ROWS
from .seed import fill
from .sheets_cells import sort_range
from .sheets_requests import Batch
from .spreadsheet import Sheet, Spreadsheet
from .state import State


def _open(state: State, spreadsheet_id: str, sheet: str | int) -> tuple[Spreadsheet, Sheet]:
    book = state.spreadsheets[spreadsheet_id]
    found = book.sheet(sheet) if isinstance(sheet, int) else book.sheet_titled(sheet)
    if found is None:
        raise KeyError(f"no sheet {sheet!r} in {spreadsheet_id}")
    return book, found


def insert_rows(
    state: State,
    spreadsheet_id: str,
    sheet: str | int,
    index: int,
    count: int = 1,
    values: Sequence[Sequence[Any]] | None = None,
) -> None:
    """Insert ``count`` rows before row ``index`` and optionally type values into them."""
    with state.lock:
        book, found = _open(state, spreadsheet_id, sheet)
        book.insert_lines(found, ROWS, index, count, inherit_before=index > 0)
        if values:
            fill(found, values, top=index)
        state.touch(spreadsheet_id, user=state.human)


def delete_rows(state: State, spreadsheet_id: str, sheet: str | int, start: int, end: int | None = None) -> None:
    """Delete rows [start, end) (one row when ``end`` is omitted)."""
    with state.lock:
        book, found = _open(state, spreadsheet_id, sheet)
        book.delete_lines(found, ROWS, start, start + 1 if end is None else end)
        state.touch(spreadsheet_id, user=state.human)


def sort_rows(
    state: State,
    spreadsheet_id: str,
    sheet: str | int,
    column: int,
    descending: bool = False,
    header_rows: int = 1,
) -> None:
    """Sort the data rows below ``header_rows`` by a 0-based column, whole rows moving."""
    with state.lock:
        book, found = _open(state, spreadsheet_id, sheet)
        end = max(found.used_rows(), header_rows)
        request = {
            "range": {"sheetId": found.sheet_id, "startRowIndex": header_rows, "endRowIndex": end},
            "sortSpecs": [{"dimensionIndex": column, "sortOrder": "DESCENDING" if descending else "ASCENDING"}],
        }
        sort_range(Batch(state, book), request)
        state.touch(spreadsheet_id, user=state.human)


def type_values(
    state: State, spreadsheet_id: str, sheet: str | int, top: int, left: int, rows: Sequence[Sequence[Any]]
) -> None:
    """Type values into cells starting at (top, left), as USER_ENTERED input."""
    with state.lock:
        _, found = _open(state, spreadsheet_id, sheet)
        fill(found, rows, top=top, left=left)
        state.touch(spreadsheet_id, user=state.human)


def format_numbers(
    state: State, spreadsheet_id: str, sheet: str | int, top: int, left: int, number_format: dict[str, str],
    rows: int = 1, cols: int = 1,
) -> None:
    """Give cells starting at (top, left) a number format, as Format > Number > Custom does:
    ``{"type": "NUMBER", "pattern": '0"%"'}``. Values typed later keep it."""
    with state.lock:
        _, found = _open(state, spreadsheet_id, sheet)
        for r in range(top, top + rows):
            for c in range(left, left + cols):
                old = found.cell(r, c) or Cell()
                found.put(r, c, replace(old, fmt={**(old.fmt or {}), "numberFormat": dict(number_format)}))
        state.touch(spreadsheet_id, user=state.human)
