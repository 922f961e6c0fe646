"""Turning A1 strings and GridRange objects into concrete cells of a sheet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import a1
from .errors import ApiError
from .grid import Box
from .spreadsheet import Sheet, Spreadsheet


@dataclass(frozen=True)
class Target:
    """A resolved range: the sheet and concrete bounds (exclusive ends)."""

    sheet: Sheet
    r0: int
    r1: int
    c0: int
    c1: int
    single: bool = False
    whole: bool = False

    @property
    def a1(self) -> str:
        return a1.format_range(self.sheet.title, self.r0, self.r1, self.c0, self.c1)

    @property
    def box(self) -> Box:
        return Box(self.sheet.sheet_id, self.r0, self.r1, self.c0, self.c1)


def exceeds(sheet: Sheet, r0: int, r1: int, c0: int, c1: int) -> ApiError:
    shown = a1.format_range(sheet.title, r0, r1, c0, c1).split("!", 1)[1]
    title = "'" + sheet.title.replace("'", "''") + "'"
    return ApiError(
        400,
        f"Range ({title}!{shown}) exceeds grid limits. Max rows: {sheet.row_count}, max columns: {sheet.col_count}",
    )


def resolve(book: Spreadsheet, text: str, clamp: bool = True) -> Target:
    """Resolve an A1 range (or a named range) against a spreadsheet.

    Reads clamp the far side to the grid; a range starting outside the grid
    is an error either way.
    """
    parsed = a1.parse(text)
    if parsed.sheet is not None and parsed.whole_sheet and "!" not in text and not text.startswith("'"):
        named = next((n for n in book.named if n.name == parsed.sheet), None)
        if named is not None:
            sheet = book.sheet(named.box.sheet_id)
            if sheet is None:
                raise a1.unable_to_parse(text)
            r0, r1, c0, c1 = named.box.bounded(sheet.row_count, sheet.col_count)
            return Target(sheet, r0, r1, c0, c1)
    if parsed.sheet is None:
        sheet = book.sheets[0]
    else:
        found = book.sheet_titled(parsed.sheet)
        if found is None:
            raise a1.unable_to_parse(text)
        sheet = found
    r0 = parsed.r0 or 0
    c0 = parsed.c0 or 0
    r1 = sheet.row_count if parsed.r1 is None else parsed.r1
    c1 = sheet.col_count if parsed.c1 is None else parsed.c1
    if r0 >= sheet.row_count or c0 >= sheet.col_count:
        raise exceeds(sheet, r0, max(r1, r0 + 1), c0, max(c1, c0 + 1))
    if clamp:
        r1 = min(r1, sheet.row_count)
        c1 = min(c1, sheet.col_count)
    return Target(sheet, r0, r1, c0, c1, parsed.single_cell, parsed.whole_sheet)


def sheet_by_id(book: Spreadsheet, sheet_id: Any) -> Sheet:
    sheet = book.sheet(int(sheet_id or 0))
    if sheet is None:
        raise ApiError(400, f"No grid with id: {int(sheet_id or 0)}")
    return sheet


def grid_target(book: Spreadsheet, data: dict[str, Any] | None) -> Target:
    """Resolve a GridRange object; open sides run to the grid's edge."""
    box = Box.from_json(data or {})
    sheet = sheet_by_id(book, box.sheet_id)
    r0, r1, c0, c1 = box.bounded(sheet.row_count, sheet.col_count)
    if r1 > sheet.row_count or c1 > sheet.col_count or r0 < 0 or c0 < 0 or r0 > r1 or c0 > c1:
        raise exceeds(sheet, r0, max(r1, r0 + 1), c0, max(c1, c0 + 1))
    return Target(sheet, r0, r1, c0, c1)


def book_for(state: Any, spreadsheet_id: str) -> Spreadsheet:
    """The spreadsheet with this id, or Google's 404 / 403."""
    book = state.spreadsheets.get(spreadsheet_id)
    entry = state.files.get(spreadsheet_id)
    if book is None or entry is None:
        raise ApiError(404, "Requested entity was not found.")
    if entry.private:
        raise ApiError(403, "The caller does not have permission")
    return book
