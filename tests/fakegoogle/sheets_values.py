"""Sheets ``spreadsheets.values.*``: reading and writing cell values by A1 range."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from . import a1
from .cells import Cell, Value, from_input, render
from .errors import ApiError
from .routing import Router
from .sheet_ranges import Target, book_for, exceeds, resolve
from .spreadsheet import Sheet, Spreadsheet
from .state import State
from .wire import Request

router = Router("sheets")
BASE = "/v4/spreadsheets/{spreadsheetId}"
JsonDict = dict[str, Any]


@contextmanager
def atomic(book: Spreadsheet) -> Iterator[None]:
    """Apply all or nothing: on any error the spreadsheet is rolled back."""
    snapshot = book.clone()
    try:
        yield
    except BaseException:
        book.restore(snapshot)
        raise


# ------------------------------------------------------------------ reading

def read(
    target: Target, major: str = "ROWS", option: str = "FORMATTED_VALUE", dates: str = "SERIAL_NUMBER"
) -> list[list[Value]]:
    """Values of a range with trailing empty cells and rows trimmed."""
    rows: list[list[Value]] = []
    sheet = target.sheet
    for r in range(target.r0, target.r1):
        cells = sheet.rows[r].cells
        used = [c for c, cell in cells.items() if target.c0 <= c < target.c1 and not cell.blank]
        if not used:
            rows.append([])
            continue
        rows.append([render(cells.get(c), option, dates) for c in range(target.c0, max(used) + 1)])
    while rows and not rows[-1]:
        rows.pop()
    if major == "COLUMNS" and rows:
        width = max(len(row) for row in rows)
        columns = [[row[c] if c < len(row) else "" for row in rows] for c in range(width)]
        rows = []
        for column in columns:
            while column and column[-1] == "":
                column.pop()
            rows.append(column)
    return rows


def value_range(target: Target, request: Request, major: str | None = None) -> JsonDict:
    major = major or request.arg("majorDimension") or "ROWS"
    option = request.arg("valueRenderOption") or "FORMATTED_VALUE"
    dates = request.arg("dateTimeRenderOption") or "SERIAL_NUMBER"
    out: JsonDict = {"range": target.a1, "majorDimension": major}
    values = read(target, major, option, dates)
    if values:
        out["values"] = values
    return out


@router.add("GET", BASE + "/values/{range}", "spreadsheets.values.get")
def values_get(state: State, request: Request) -> JsonDict:
    book = book_for(state, request.params["spreadsheetId"])
    return value_range(resolve(book, request.params["range"]), request)


@router.add("GET", BASE + "/values:batchGet", "spreadsheets.values.batchGet")
def values_batch_get(state: State, request: Request) -> JsonDict:
    book = book_for(state, request.params["spreadsheetId"])
    out: JsonDict = {"spreadsheetId": book.id}
    ranges = request.args("ranges")
    if ranges:
        out["valueRanges"] = [value_range(resolve(book, text), request) for text in ranges]
    return out


# ------------------------------------------------------------------ writing

def lookup_in(book: Spreadsheet, default: Sheet):
    """A resolver for single-cell references inside formulas."""

    def lookup(ref: str) -> Value:
        title, cells = a1.split_sheet(ref)
        sheet = book.sheet_titled(title) if title else default
        bounds = a1.parse_cells(cells or "")
        if sheet is None or bounds is None:
            raise ValueError(ref)
        cell = sheet.cell(bounds[0], bounds[2])
        return None if cell is None else cell.value

    return lookup


def store(book: Spreadsheet, sheet: Sheet, r: int, c: int, raw: Any, user_entered: bool) -> None:
    """Write one input value into a cell, keeping its format, note and rule."""
    value, formula, number_format, error = from_input(raw, user_entered, lookup_in(book, sheet))
    old = sheet.cell(r, c) or Cell()
    fmt = old.fmt
    if number_format is not None:
        fmt = {**(fmt or {}), "numberFormat": number_format}
    sheet.put(r, c, Cell(value, formula, fmt, old.note, old.rule, error))


def as_rows(values: Any, major: str | None) -> list[list[Any]]:
    rows = [list(row) if isinstance(row, list) else [row] for row in (values or [])]
    if major == "COLUMNS":
        height = max((len(col) for col in rows), default=0)
        rows = [[col[r] if r < len(col) else None for col in rows] for r in range(height)]
    return rows


def input_option(value: str | None) -> bool:
    """True for USER_ENTERED; 400 when missing, as Google answers."""
    if not value or value == "INPUT_VALUE_OPTION_UNSPECIFIED":
        raise ApiError(400, "'valueInputOption' is required but not specified")
    return value == "USER_ENTERED"


def check_fit(target: Target, rows: list[list[Any]], anchor_only: bool = False) -> tuple[int, int]:
    """Raise Google's error when values do not fit the range or the grid."""
    sheet = target.sheet
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    if not (anchor_only or target.single or target.whole):
        if height > target.r1 - target.r0:
            row = target.r0 + height
            raise ApiError(400, f"Requested writing within range [{target.a1}], but tried writing to row [{row}]")
        if width > target.c1 - target.c0:
            column = a1.column_letters(target.c0 + width - 1)
            raise ApiError(400, f"Requested writing within range [{target.a1}], but tried writing to column [{column}]")
    if height and width and (target.r0 + height > sheet.row_count or target.c0 + width > sheet.col_count):
        raise exceeds(sheet, target.r0, target.r0 + height, target.c0, target.c0 + width)
    return height, width


def write(
    book: Spreadsheet, target: Target, rows: list[list[Any]], user_entered: bool, anchor_only: bool = False
) -> JsonDict:
    """Write a block of values at a range; returns an UpdateValuesResponse."""
    sheet = target.sheet
    height, width = check_fit(target, rows, anchor_only)
    out: JsonDict = {"spreadsheetId": book.id}
    if not height or not width:
        out["updatedRange"] = a1.format_range(sheet.title, target.r0, target.r0 + 1, target.c0, target.c0 + 1)
        return out
    r1, c1 = target.r0 + height, target.c0 + width
    touched_rows, touched_cols, count = set(), set(), 0
    for i, row in enumerate(rows):
        for j, raw in enumerate(row):
            if raw is None:
                continue
            store(book, sheet, target.r0 + i, target.c0 + j, raw, user_entered)
            touched_rows.add(i)
            touched_cols.add(j)
            count += 1
    out.update(
        updatedRange=a1.format_range(sheet.title, target.r0, r1, target.c0, c1),
        updatedRows=len(touched_rows),
        updatedColumns=len(touched_cols),
        updatedCells=count,
    )
    return out


def _with_data(out: JsonDict, book: Spreadsheet, request_args: dict[str, str | None], flag: bool) -> JsonDict:
    if flag and "updatedRange" in out:
        target = resolve(book, out["updatedRange"])
        data: JsonDict = {"range": target.a1, "majorDimension": "ROWS"}
        option = request_args.get("render") or "FORMATTED_VALUE"
        values = read(target, "ROWS", option, request_args.get("dates") or "SERIAL_NUMBER")
        if values:
            data["values"] = values
        out["updatedData"] = data
    return out


@router.add("PUT", BASE + "/values/{range}", "spreadsheets.values.update", writes=True)
def values_update(state: State, request: Request) -> JsonDict:
    book = book_for(state, request.params["spreadsheetId"])
    user_entered = input_option(request.arg("valueInputOption"))
    body = request.json() or {}
    target = resolve(book, request.params["range"], clamp=False)
    out = write(book, target, as_rows(body.get("values"), body.get("majorDimension")), user_entered)
    state.touch(book.id)
    args = {"render": request.arg("responseValueRenderOption"), "dates": request.arg("responseDateTimeRenderOption")}
    return _with_data(out, book, args, request.flag("includeValuesInResponse"))


@router.add("POST", BASE + "/values:batchUpdate", "spreadsheets.values.batchUpdate", writes=True)
def values_batch_update(state: State, request: Request) -> JsonDict:
    book = book_for(state, request.params["spreadsheetId"])
    body = request.json() or {}
    user_entered = input_option(body.get("valueInputOption"))
    responses = []
    rows_seen: set[tuple[int, int]] = set()
    cols_seen: set[tuple[int, int]] = set()
    sheets_seen: set[int] = set()
    args = {"render": body.get("responseValueRenderOption"), "dates": body.get("responseDateTimeRenderOption")}
    planned = []
    for item in body.get("data") or []:
        target = resolve(book, item.get("range") or "", clamp=False)
        rows = as_rows(item.get("values"), item.get("majorDimension"))
        check_fit(target, rows)
        planned.append((target, rows))
    for target, rows in planned:
        out = write(book, target, rows, user_entered)
        responses.append(_with_data(out, book, args, bool(body.get("includeValuesInResponse"))))
        for i, row in enumerate(rows):
            for j, raw in enumerate(row):
                if raw is not None:
                    rows_seen.add((target.sheet.sheet_id, target.r0 + i))
                    cols_seen.add((target.sheet.sheet_id, target.c0 + j))
                    sheets_seen.add(target.sheet.sheet_id)
    state.touch(book.id)
    result: JsonDict = {"spreadsheetId": book.id}
    if responses:
        result.update(
            totalUpdatedRows=len(rows_seen),
            totalUpdatedColumns=len(cols_seen),
            totalUpdatedCells=sum(r.get("updatedCells", 0) for r in responses),
            totalUpdatedSheets=len(sheets_seen),
            responses=responses,
        )
    return result


def clear(target: Target) -> None:
    """Clear values (formats, notes and validation stay)."""
    for r in range(target.r0, target.r1):
        cells = target.sheet.rows[r].cells
        for c in [c for c in cells if target.c0 <= c < target.c1]:
            target.sheet.put(r, c, cells[c].with_value(None))


@router.add("POST", BASE + "/values/{range}:clear", "spreadsheets.values.clear", writes=True)
def values_clear(state: State, request: Request) -> JsonDict:
    book = book_for(state, request.params["spreadsheetId"])
    target = resolve(book, request.params["range"])
    clear(target)
    state.touch(book.id)
    return {"spreadsheetId": book.id, "clearedRange": target.a1}


@router.add("POST", BASE + "/values:batchClear", "spreadsheets.values.batchClear", writes=True)
def values_batch_clear(state: State, request: Request) -> JsonDict:
    book = book_for(state, request.params["spreadsheetId"])
    targets = [resolve(book, text) for text in (request.json() or {}).get("ranges") or []]
    for target in targets:
        clear(target)
    state.touch(book.id)
    out: JsonDict = {"spreadsheetId": book.id}
    if targets:
        out["clearedRanges"] = [t.a1 for t in targets]
    return out


# ------------------------------------------------------------------ append

def find_table(target: Target) -> tuple[int, int, int, int] | None:
    """Google's "table" inside a range: the block of data around its last value."""
    sheet = target.sheet
    last: tuple[int, int] | None = None
    for r in range(target.r1 - 1, target.r0 - 1, -1):
        used = [c for c, cell in sheet.rows[r].cells.items() if target.c0 <= c < target.c1 and not cell.blank]
        if used:
            last = (r, max(used))
            break
    if last is None:
        return None
    if target.single:
        lo_r, hi_r, lo_c, hi_c = 0, sheet.row_count, 0, sheet.col_count
    else:
        lo_r, hi_r, lo_c, hi_c = target.r0, target.r1, target.c0, target.c1

    def filled(r: int, c: int) -> bool:
        cell = sheet.rows[r].cells.get(c)
        return cell is not None and not cell.blank

    r0, r1, c0, c1 = last[0], last[0] + 1, last[1], last[1] + 1
    grown = True
    while grown:
        grown = False
        span_c = range(max(c0 - 1, lo_c), min(c1 + 1, hi_c))
        span_r = range(max(r0 - 1, lo_r), min(r1 + 1, hi_r))
        if r0 > lo_r and any(filled(r0 - 1, c) for c in span_c):
            r0, grown = r0 - 1, True
        if r1 < hi_r and any(filled(r1, c) for c in span_c):
            r1, grown = r1 + 1, True
        if c0 > lo_c and any(filled(r, c0 - 1) for r in span_r):
            c0, grown = c0 - 1, True
        if c1 < hi_c and any(filled(r, c1) for r in span_r):
            c1, grown = c1 + 1, True
    return r0, r1, c0, c1


@router.add("POST", BASE + "/values/{range}:append", "spreadsheets.values.append", writes=True)
def values_append(state: State, request: Request) -> JsonDict:
    book = book_for(state, request.params["spreadsheetId"])
    user_entered = input_option(request.arg("valueInputOption"))
    body = request.json() or {}
    target = resolve(book, request.params["range"])
    sheet = target.sheet
    rows = as_rows(body.get("values"), body.get("majorDimension"))
    table = find_table(target)
    at_r, at_c = (table[1], table[2]) if table else (target.r0, target.c0)
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    with atomic(book):
        if request.arg("insertDataOption") == "INSERT_ROWS" and at_r < sheet.row_count and height:
            book.insert_lines(sheet, "ROWS", at_r, height, inherit_before=True)
        if at_r + height > sheet.row_count:
            book.resize(sheet, at_r + height, None)
        if at_c + width > sheet.col_count:
            book.resize(sheet, None, at_c + width)
        spot = Target(sheet, at_r, at_r + max(height, 1), at_c, at_c + max(width, 1))
        updates = write(book, spot, rows, user_entered, anchor_only=True)
    state.touch(book.id)
    args = {"render": request.arg("responseValueRenderOption"), "dates": request.arg("responseDateTimeRenderOption")}
    out: JsonDict = {"spreadsheetId": book.id}
    if table:
        out["tableRange"] = a1.format_range(sheet.title, *table)
    out["updates"] = _with_data(updates, book, args, request.flag("includeValuesInResponse"))
    return out
