"""``spreadsheets.batchUpdate``: the request registry, and the requests that
change sheets and their rows and columns.

Each handler takes the batch context and one request body and returns the
reply object (``None`` for an empty reply).  Errors are raised as 400s; the
dispatcher prefixes them with ``Invalid requests[i].kind:`` and rolls the
whole batch back.  Cell requests live in ``sheets_cells``, requests for
anchored things (metadata, protected ranges ...) in ``sheets_anchored``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable

from . import fields
from .errors import ApiError
from .grid import COLUMNS, ROWS, Box, Line
from .sheet_ranges import sheet_by_id
from .sheets_json import sheet_properties
from .spreadsheet import Sheet, Spreadsheet
from .state import State

JsonDict = dict[str, Any]


@dataclass
class Batch:
    """What a request handler works on."""

    state: State
    book: Spreadsheet


Kind = Callable[[Batch, JsonDict], "JsonDict | None"]
KINDS: dict[str, Kind] = {}


def kind(name: str) -> Callable[[Kind], Kind]:
    def register(handler: Kind) -> Kind:
        KINDS[name] = handler
        return handler

    return register


def bad(message: str) -> ApiError:
    return ApiError(400, message)


def need_fields(req: JsonDict) -> fields.Mask:
    text = req.get("fields")
    if not text:
        raise bad("At least one field must be updated, but 'fields' is empty.")
    return fields.parse(text)


# ------------------------------------------------------------------ sheets

def _default_title(book: Spreadsheet) -> str:
    number = len(book.sheets) + 1
    while book.sheet_titled(f"Sheet{number}") is not None:
        number += 1
    return f"Sheet{number}"


def _check_title(book: Spreadsheet, title: str, sheet: Sheet | None = None) -> None:
    other = book.sheet_titled(title)
    if other is not None and other is not sheet:
        raise bad(f'A sheet with the name "{title}" already exists. Please enter another name.')
    if not title.strip():
        raise bad("Sheet names can't be empty.")


def _apply_sheet_props(batch: Batch, sheet: Sheet, props: JsonDict, old_index: int | None) -> None:
    book = batch.book
    title = props.get("title", sheet.title)
    if title != sheet.title:
        _check_title(book, title, sheet)
        sheet.title = title
    grid = props.get("gridProperties") or {}
    book.resize(sheet, grid.get("rowCount"), grid.get("columnCount"))
    sheet.grid = {k: v for k, v in grid.items() if k not in ("rowCount", "columnCount") and v}
    frozen_rows, frozen_cols = sheet.grid.get("frozenRowCount", 0), sheet.grid.get("frozenColumnCount", 0)
    if frozen_rows > sheet.row_count or frozen_cols > sheet.col_count:
        raise bad("The number of frozen rows or columns exceeds the grid size.")
    sheet.hidden = bool(props.get("hidden"))
    sheet.right_to_left = bool(props.get("rightToLeft"))
    style = props.get("tabColorStyle")
    if style is None and props.get("tabColor"):
        style = {"rgbColor": props["tabColor"]}
    sheet.tab_color = fields.prune(style) or None
    index = props.get("index")
    if index is not None and old_index is not None and index != old_index:
        book.sheets.remove(sheet)
        target = index - 1 if index > old_index else index
        book.sheets.insert(max(0, min(target, len(book.sheets))), sheet)
    if all(s.hidden for s in book.sheets):
        raise bad("You can't hide all the sheets in a document.")


@kind("addSheet")
def add_sheet(batch: Batch, req: JsonDict) -> JsonDict:
    book = batch.book
    props = req.get("properties") or {}
    title = props.get("title") or _default_title(book)
    _check_title(book, title)
    taken = {s.sheet_id for s in book.sheets}
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = batch.state.new_int_id(taken)
    elif sheet_id in taken:
        raise bad(f"A sheet with the id {sheet_id} already exists.")
    grid = props.get("gridProperties") or {}
    sheet = Sheet.blank(int(sheet_id), title, int(grid.get("rowCount", 1000)), int(grid.get("columnCount", 26)))
    index = props.get("index")
    position = len(book.sheets) if index is None else max(0, min(int(index), len(book.sheets)))
    book.sheets.insert(position, sheet)
    _apply_sheet_props(batch, sheet, {**props, "title": title, "index": None}, None)
    return {"properties": sheet_properties(book, sheet)}


@kind("deleteSheet")
def delete_sheet(batch: Batch, req: JsonDict) -> None:
    sheet = sheet_by_id(batch.book, req.get("sheetId"))
    if len(batch.book.sheets) == 1:
        raise bad("You can't remove all the sheets in a document.")
    batch.book.drop_sheet(sheet)
    if all(s.hidden for s in batch.book.sheets):
        raise bad("You can't remove all the visible sheets in a document.")


@kind("duplicateSheet")
def duplicate_sheet(batch: Batch, req: JsonDict) -> JsonDict:
    book = batch.book
    source = sheet_by_id(book, req.get("sourceSheetId"))
    title = req.get("newSheetName") or f"Copy of {source.title}"
    _check_title(book, title)
    taken = {s.sheet_id for s in book.sheets}
    new_id = req.get("newSheetId")
    if new_id is None:
        new_id = batch.state.new_int_id(taken)
    elif new_id in taken:
        raise bad(f"A sheet with the id {new_id} already exists.")
    twin = source.clone()
    twin.sheet_id, twin.title, twin.hidden = int(new_id), title, False
    twin.merges = [Box(int(new_id), m.r0, m.r1, m.c0, m.c1) for m in twin.merges]
    index = req.get("insertSheetIndex")
    book.sheets.insert(len(book.sheets) if index is None else max(0, min(int(index), len(book.sheets))), twin)
    return {"properties": sheet_properties(book, twin)}


@kind("updateSheetProperties")
def update_sheet_properties(batch: Batch, req: JsonDict) -> None:
    mask = need_fields(req)
    incoming = req.get("properties") or {}
    sheet = sheet_by_id(batch.book, incoming.get("sheetId"))
    current = sheet_properties(batch.book, sheet)
    old_index = current["index"]
    if "tabColorStyle" in mask:
        current.pop("tabColor", None)
    if "tabColor" in mask:
        current.pop("tabColorStyle", None)
    fields.apply(current, incoming, {k: v for k, v in mask.items() if k not in ("sheetId", "sheetType")})
    if "index" not in mask:
        current["index"] = old_index
    _apply_sheet_props(batch, sheet, current, old_index)


@kind("updateSpreadsheetProperties")
def update_spreadsheet_properties(batch: Batch, req: JsonDict) -> None:
    book = batch.book
    mask = need_fields(req)
    current: JsonDict = {
        "title": book.title,
        "locale": book.locale,
        "timeZone": book.time_zone,
        "autoRecalc": book.auto_recalc,
    }
    current.update(copy.deepcopy(book.props))
    fields.apply(current, req.get("properties") or {}, mask)
    book.title = current.pop("title", book.title) or book.title
    book.locale = current.pop("locale", book.locale)
    book.time_zone = current.pop("timeZone", book.time_zone)
    book.auto_recalc = current.pop("autoRecalc", book.auto_recalc)
    book.props = current
    entry = batch.state.files.get(book.id)
    if entry is not None:
        entry.name = book.title


# ------------------------------------------------------------------ dimensions

def _line(batch: Batch, data: JsonDict | None) -> tuple[Sheet, str, int, int]:
    line = Line.from_json(data or {})
    sheet = sheet_by_id(batch.book, line.sheet_id)
    size = sheet.row_count if line.dimension == ROWS else sheet.col_count
    start = line.start if line.start is not None else 0
    end = line.end if line.end is not None else size
    if start < 0 or end > size or start >= end:
        label = "rows" if line.dimension == ROWS else "columns"
        raise bad(f"Invalid range: {label} [{start}, {end}) on a sheet with {size} {label}.")
    return sheet, line.dimension, start, end


@kind("appendDimension")
def append_dimension(batch: Batch, req: JsonDict) -> None:
    sheet = sheet_by_id(batch.book, req.get("sheetId"))
    length = int(req.get("length") or 0)
    if length <= 0:
        raise bad("length must be greater than zero.")
    if req.get("dimension") == COLUMNS:
        batch.book.resize(sheet, None, sheet.col_count + length)
    else:
        batch.book.resize(sheet, sheet.row_count + length, None)


@kind("insertDimension")
def insert_dimension(batch: Batch, req: JsonDict) -> None:
    line = Line.from_json(req.get("range") or {})
    sheet = sheet_by_id(batch.book, line.sheet_id)
    size = sheet.row_count if line.dimension == ROWS else sheet.col_count
    start = line.start or 0
    end = line.end if line.end is not None else start
    if start > size or end <= start:
        raise bad(f"Invalid range: insertion [{start}, {end}) on a dimension of size {size}.")
    if req.get("inheritFromBefore") and start == 0:
        raise bad("Cannot inherit properties from before when inserting at the start.")
    batch.book.insert_lines(sheet, line.dimension, start, end - start, bool(req.get("inheritFromBefore")))


@kind("deleteDimension")
def delete_dimension(batch: Batch, req: JsonDict) -> None:
    sheet, dimension, start, end = _line(batch, req.get("range"))
    size = sheet.row_count if dimension == ROWS else sheet.col_count
    if start == 0 and end == size:
        raise bad(f"You can't delete all the {'rows' if dimension == ROWS else 'columns'} on the sheet.")
    batch.book.delete_lines(sheet, dimension, start, end)


@kind("updateDimensionProperties")
def update_dimension_properties(batch: Batch, req: JsonDict) -> None:
    sheet, dimension, start, end = _line(batch, req.get("range"))
    mask = need_fields(req)
    incoming = req.get("properties") or {}
    for index in range(start, end):
        props = sheet.rows[index].props if dimension == ROWS else sheet.cols[index]
        fields.apply(props, incoming, {k: v for k, v in mask.items() if k in ("pixelSize", "hiddenByUser")})


@kind("autoResizeDimensions")
def auto_resize_dimensions(batch: Batch, req: JsonDict) -> None:
    sheet, dimension, start, end = _line(batch, req.get("dimensions"))
    for index in range(start, end):
        if dimension == ROWS:
            sheet.rows[index].props["pixelSize"] = 21
            continue
        texts = [str(row.cells[index].value) for row in sheet.rows if index in row.cells and not row.cells[index].blank]
        widest = max((len(text) for text in texts), default=0)
        sheet.cols[index]["pixelSize"] = max(round(widest * 8.68) + 11, 21) if widest else 100
