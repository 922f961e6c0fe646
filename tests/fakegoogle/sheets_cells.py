"""``spreadsheets.batchUpdate`` requests that change cells: values, formats,
notes and validation, sorting, copy and cut."""

from __future__ import annotations

import copy
import functools
from typing import Any, Callable

from . import fields
from .cells import Cell, evaluate
from .sheet_ranges import Target, exceeds, grid_target, sheet_by_id
from .sheets_requests import Batch, JsonDict, bad, kind, need_fields
from .sheets_values import lookup_in
from .spreadsheet import Sheet, Spreadsheet


def _extended(value: JsonDict | None, book: Spreadsheet, sheet: Sheet) -> tuple[Any, str | None, bool]:
    """(value, formula, error) from an ExtendedValue object."""
    value = value or {}
    if value.get("formulaValue"):
        result, error = evaluate(value["formulaValue"], lookup_in(book, sheet))
        return result, value["formulaValue"], error
    for key in ("stringValue", "numberValue", "boolValue"):
        if key in value and value[key] is not None:
            return (None if value[key] == "" else value[key]), None, False
    if "errorValue" in value:
        return value["errorValue"].get("message", "#ERROR!"), None, True
    return None, None, False


def merge_cell(batch: Batch, sheet: Sheet, old: Cell | None, data: JsonDict, mask: fields.Mask) -> Cell:
    """Apply the masked fields of a CellData object to a cell."""
    old = old or Cell()
    if "*" in mask:
        mask = {"userEnteredValue": {}, "userEnteredFormat": {}, "note": {}, "dataValidation": {}}
    value, formula, error = old.value, old.formula, old.error
    fmt, note, rule = old.fmt, old.note, old.rule
    if "userEnteredValue" in mask:
        value, formula, error = _extended(data.get("userEnteredValue"), batch.book, sheet)
    if "userEnteredFormat" in mask:
        new_fmt = copy.deepcopy(fmt or {})
        sub = mask["userEnteredFormat"]
        if sub:
            fields.apply(new_fmt, data.get("userEnteredFormat"), sub)
        else:
            new_fmt = fields.prune(copy.deepcopy(data.get("userEnteredFormat") or {}))
        fmt = new_fmt or None
    if "note" in mask:
        note = data.get("note") or None
    if "dataValidation" in mask:
        rule = fields.prune(data.get("dataValidation")) or None
    return Cell(value, formula, fmt, note, rule, error)


def _write_rows(batch: Batch, target: Target, rows: list[JsonDict], mask: fields.Mask, fill: bool) -> None:
    sheet = target.sheet
    for i in range(target.r1 - target.r0):
        row = rows[i] if i < len(rows) else None
        if row is None and not fill:
            continue
        values = (row or {}).get("values") or []
        for j in range(target.c1 - target.c0):
            if j >= len(values) and not fill:
                continue
            data = values[j] if j < len(values) else {}
            r, c = target.r0 + i, target.c0 + j
            sheet.put(r, c, merge_cell(batch, sheet, sheet.cell(r, c), data or {}, mask))


@kind("updateCells")
def update_cells(batch: Batch, req: JsonDict) -> None:
    mask = need_fields(req)
    rows = req.get("rows") or []
    if req.get("range") is not None:
        target = grid_target(batch.book, req["range"])
        _write_rows(batch, target, rows, mask, fill=True)
        return
    start = req.get("start") or {}
    sheet = sheet_by_id(batch.book, start.get("sheetId"))
    r0, c0 = int(start.get("rowIndex") or 0), int(start.get("columnIndex") or 0)
    height = len(rows)
    width = max((len(row.get("values") or []) for row in rows), default=0)
    if r0 + height > sheet.row_count or c0 + width > sheet.col_count:
        raise exceeds(sheet, r0, r0 + max(height, 1), c0, c0 + max(width, 1))
    _write_rows(batch, Target(sheet, r0, r0 + height, c0, c0 + width), rows, mask, fill=False)


@kind("appendCells")
def append_cells(batch: Batch, req: JsonDict) -> None:
    mask = need_fields(req)
    sheet = sheet_by_id(batch.book, req.get("sheetId"))
    rows = req.get("rows") or []
    start = sheet.used_rows()
    width = max((len(row.get("values") or []) for row in rows), default=0)
    batch.book.resize(sheet, max(sheet.row_count, start + len(rows)), max(sheet.col_count, width))
    _write_rows(batch, Target(sheet, start, start + len(rows), 0, width), rows, mask, fill=False)


@kind("repeatCell")
def repeat_cell(batch: Batch, req: JsonDict) -> None:
    mask = need_fields(req)
    target = grid_target(batch.book, req.get("range"))
    data = req.get("cell") or {}
    sheet = target.sheet
    for r in range(target.r0, target.r1):
        for c in range(target.c0, target.c1):
            sheet.put(r, c, merge_cell(batch, sheet, sheet.cell(r, c), data, mask))


@kind("setDataValidation")
def set_data_validation(batch: Batch, req: JsonDict) -> None:
    target = grid_target(batch.book, req.get("range"))
    rule = fields.prune(req.get("rule")) or None
    sheet = target.sheet
    for r in range(target.r0, target.r1):
        for c in range(target.c0, target.c1):
            old = sheet.cell(r, c) or Cell()
            sheet.put(r, c, Cell(old.value, old.formula, old.fmt, old.note, rule, old.error))


def _sort_key(cell: Cell | None) -> tuple[int, Any]:
    if cell is None or cell.blank:
        return (3, "")
    if isinstance(cell.value, bool):
        return (2, cell.value)
    if isinstance(cell.value, (int, float)):
        return (0, cell.value)
    return (1, str(cell.value).lower())


@kind("sortRange")
def sort_range(batch: Batch, req: JsonDict) -> None:
    target = grid_target(batch.book, req.get("range"))
    sheet = target.sheet
    order = list(range(target.r0, target.r1))
    for spec in reversed(req.get("sortSpecs") or [{"dimensionIndex": target.c0}]):
        column = int(spec.get("dimensionIndex") or 0)
        descending = spec.get("sortOrder") == "DESCENDING"
        order.sort(key=functools.cmp_to_key(_comparer(sheet, column, descending)))
    batch.book.permute_rows(sheet, target.r0, target.c0, target.c1, order)


def _comparer(sheet: Sheet, column: int, descending: bool) -> Callable[[int, int], int]:
    def compare(a: int, b: int) -> int:
        ka, kb = _sort_key(sheet.cell(a, column)), _sort_key(sheet.cell(b, column))
        if ka[0] == 3 or kb[0] == 3:
            return (ka[0] == 3) - (kb[0] == 3)
        result = (ka > kb) - (ka < kb)
        return -result if descending else result

    return compare


def _place_block(dest: Sheet, block: list[list[Cell | None]], r0: int, c0: int, paste_type: str) -> None:
    if r0 + len(block) > dest.row_count or c0 + (len(block[0]) if block else 0) > dest.col_count:
        raise bad("The paste destination is outside the grid.")
    for i, row in enumerate(block):
        for j, cell in enumerate(row):
            old = dest.cell(r0 + i, c0 + j) or Cell()
            cell = cell or Cell()
            if paste_type == "PASTE_VALUES":
                cell = Cell(cell.value, None, old.fmt, old.note, old.rule, cell.error)
            elif paste_type == "PASTE_FORMAT":
                cell = Cell(old.value, old.formula, cell.fmt, old.note, old.rule, old.error)
            elif paste_type == "PASTE_DATA_VALIDATION":
                cell = Cell(old.value, old.formula, old.fmt, old.note, cell.rule, old.error)
            dest.put(r0 + i, c0 + j, cell)


@kind("copyPaste")
def copy_paste(batch: Batch, req: JsonDict) -> None:
    source = grid_target(batch.book, req.get("source"))
    dest = grid_target(batch.book, req.get("destination"))
    block = [[source.sheet.cell(r, c) for c in range(source.c0, source.c1)] for r in range(source.r0, source.r1)]
    if req.get("pasteOrientation") == "TRANSPOSE":
        block = [list(col) for col in zip(*block)]
    height, width = len(block), len(block[0]) if block else 0
    if not height or not width:
        return
    rows_fit = max(1, (dest.r1 - dest.r0) // height)
    cols_fit = max(1, (dest.c1 - dest.c0) // width)
    for i in range(rows_fit):
        for j in range(cols_fit):
            top, left = dest.r0 + i * height, dest.c0 + j * width
            _place_block(dest.sheet, block, top, left, req.get("pasteType") or "PASTE_NORMAL")


@kind("cutPaste")
def cut_paste(batch: Batch, req: JsonDict) -> None:
    source = grid_target(batch.book, req.get("source"))
    coordinate = req.get("destination") or {}
    dest = sheet_by_id(batch.book, coordinate.get("sheetId"))
    block = [[source.sheet.cell(r, c) for c in range(source.c0, source.c1)] for r in range(source.r0, source.r1)]
    for r in range(source.r0, source.r1):
        for c in range(source.c0, source.c1):
            source.sheet.put(r, c, None)
    top, left = int(coordinate.get("rowIndex") or 0), int(coordinate.get("columnIndex") or 0)
    _place_block(dest, block, top, left, req.get("pasteType") or "PASTE_NORMAL")
