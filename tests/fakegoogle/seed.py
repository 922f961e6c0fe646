"""Put data into the fake directly, without going through HTTP."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from .cells import Cell, from_input
from .docmodel import Block, Document, Paragraph, Table
from .spreadsheet import Row, Sheet, Spreadsheet
from .state import State


def fill(sheet: Sheet, rows: Sequence[Sequence[Any]], top: int = 0, left: int = 0, user_entered: bool = True) -> None:
    """Write values into a sheet, growing it when needed (USER_ENTERED by default)."""
    needed_rows = top + len(rows)
    needed_cols = left + max((len(r) for r in rows), default=0)
    while sheet.row_count < needed_rows:
        sheet.rows.append(Row())
    while sheet.col_count < needed_cols:
        sheet.cols.append({})
    for i, row in enumerate(rows):
        for j, raw in enumerate(row):
            if raw is None:
                continue
            value, formula, number_format, error = from_input(raw, user_entered)
            old = sheet.cell(top + i, left + j) or Cell()
            fmt = {**(old.fmt or {}), "numberFormat": number_format} if number_format else old.fmt
            sheet.put(top + i, left + j, Cell(value, formula, fmt, old.note, old.rule, error))


def spreadsheet(
    state: State,
    title: str,
    tabs: Mapping[str, Sequence[Sequence[Any]]] | None = None,
    *,
    private: bool = False,
    file_id: str | None = None,
    user_entered: bool = True,
) -> Spreadsheet:
    """A spreadsheet with one tab per entry of ``tabs`` (default: a blank Sheet1).

    ``private`` makes it a file the worker account cannot open (403/404).
    """
    with state.lock:
        sheets = []
        for position, (name, rows) in enumerate((tabs or {"Sheet1": []}).items()):
            sheet = Sheet.blank(0 if position == 0 else state.new_int_id({s.sheet_id for s in sheets}), name)
            fill(sheet, rows, user_entered=user_entered)
            sheets.append(sheet)
        book = state.create_spreadsheet(title, sheets, file_id=file_id)
        state.files[book.id].private = private
        return book


def document(state: State, title: str, blocks: Sequence[str | Sequence[Sequence[str]]] = ()) -> Document:
    """A Docs document: a string is a paragraph, a list of rows is a table."""
    body: list[Block] = []
    for block in blocks:
        if isinstance(block, str):
            body.append(Paragraph.of(block))
        else:
            if not body or not isinstance(body[-1], Paragraph):
                body.append(Paragraph.of(""))
            body.append(Table.of([list(row) for row in block]))
    if not body or not isinstance(body[-1], Paragraph):
        body.append(Paragraph.of(""))
    with state.lock:
        return state.create_document(title, body)
