"""A spreadsheet as JSON, in the shapes ``spreadsheets.get`` answers with."""

from __future__ import annotations

import copy
from typing import Any

from .cells import cell_data
from .grid import COLUMNS, ROWS
from .spreadsheet import DEFAULT_COLUMN_PIXELS, DEFAULT_ROW_PIXELS, Metadata, Protected, Sheet, Spreadsheet

JsonDict = dict[str, Any]
GRID_KEYS = ("frozenRowCount", "frozenColumnCount", "hideGridlines", "rowGroupControlAfter", "columnGroupControlAfter")


def _rgb(red: float, green: float, blue: float) -> JsonDict:
    return {k: v for k, v in (("red", red), ("green", green), ("blue", blue)) if v}


DEFAULT_FORMAT: JsonDict = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}

THEME: JsonDict = {
    "primaryFontFamily": "Arial",
    "themeColors": [
        {"colorType": kind, "color": {"rgbColor": color}}
        for kind, color in (
            ("TEXT", {}),
            ("BACKGROUND", _rgb(1, 1, 1)),
            ("ACCENT1", _rgb(0.25882354, 0.52156866, 0.95686275)),
            ("ACCENT2", _rgb(0.91764706, 0.2627451, 0.20784314)),
            ("ACCENT3", _rgb(0.9843137, 0.7372549, 0.015686275)),
            ("ACCENT4", _rgb(0.20392157, 0.65882355, 0.3254902)),
            ("ACCENT5", _rgb(1, 0.42745098, 0.003921569)),
            ("ACCENT6", _rgb(0.27450982, 0.7411765, 0.7764706)),
            ("LINK", _rgb(0.06666667, 0.33333334, 0.8)),
        )
    ],
}


def spreadsheet_properties(book: Spreadsheet) -> JsonDict:
    props: JsonDict = {
        "title": book.title,
        "locale": book.locale,
        "autoRecalc": book.auto_recalc,
        "timeZone": book.time_zone,
        "defaultFormat": copy.deepcopy(DEFAULT_FORMAT),
        "spreadsheetTheme": copy.deepcopy(THEME),
    }
    props.update(copy.deepcopy(book.props))
    return props


def sheet_properties(book: Spreadsheet, sheet: Sheet) -> JsonDict:
    grid: JsonDict = {"rowCount": sheet.row_count, "columnCount": sheet.col_count}
    grid.update({k: sheet.grid[k] for k in GRID_KEYS if sheet.grid.get(k)})
    props: JsonDict = {
        "sheetId": sheet.sheet_id,
        "title": sheet.title,
        "index": book.sheets.index(sheet),
        "sheetType": "GRID",
        "gridProperties": grid,
    }
    if sheet.hidden:
        props["hidden"] = True
    if sheet.tab_color:
        rgb = sheet.tab_color.get("rgbColor")
        if rgb is not None:
            props["tabColor"] = copy.deepcopy(rgb)
        props["tabColorStyle"] = copy.deepcopy(sheet.tab_color)
    if sheet.right_to_left:
        props["rightToLeft"] = True
    return props


def protected_json(book: Spreadsheet, item: Protected, with_owner: bool = True) -> JsonDict:
    out: JsonDict = {"protectedRangeId": item.id}
    if item.named_range_id:
        out["namedRangeId"] = item.named_range_id
    else:
        out["range"] = item.box.json()
    if item.description:
        out["description"] = item.description
    if item.warning_only:
        out["warningOnly"] = True
    if item.unprotected:
        out["unprotectedRanges"] = [b.json() for b in item.unprotected]
    out["requestingUserCanEdit"] = True
    editors = copy.deepcopy(item.editors)
    if with_owner and not item.warning_only:
        users = editors.setdefault("users", [])
        if book.owner and book.owner not in users:
            users.insert(0, book.owner)
    out["editors"] = editors
    return out


def sheet_json(book: Spreadsheet, sheet: Sheet, boxes: list[tuple[int, int, int, int]] | None) -> JsonDict:
    out: JsonDict = {"properties": sheet_properties(book, sheet)}
    if boxes is not None:
        out["data"] = [grid_data(book, sheet, *box) for box in boxes]
    if sheet.merges:
        out["merges"] = [m.json() for m in sheet.merges]
    protected = [p for p in book.protected if p.box.sheet_id == sheet.sheet_id]
    if protected:
        out["protectedRanges"] = [protected_json(book, p) for p in protected]
    if sheet.basic_filter is not None:
        basic = copy.deepcopy({k: v for k, v in sheet.basic_filter.items() if k != "range"})
        out["basicFilter"] = {"range": sheet.basic_filter["range"].json(), **basic}
    for dimension, key in ((ROWS, "rowGroups"), (COLUMNS, "columnGroups")):
        groups = [g.json() for g in sheet.groups if g.line.dimension == dimension]
        if groups:
            out[key] = groups
    located = [
        m.json() for m in book.metadata.values() if m.location.kind == "SHEET" and m.location.sheet_id == sheet.sheet_id
    ]
    if located:
        out["developerMetadata"] = located
    return out


def grid_data(book: Spreadsheet, sheet: Sheet, r0: int, r1: int, c0: int, c1: int) -> JsonDict:
    """One GridData block covering rows r0:r1 and columns c0:c1."""
    out: JsonDict = {}
    if r0:
        out["startRow"] = r0
    if c0:
        out["startColumn"] = c0
    rows: list[JsonDict] = []
    for r in range(r0, r1):
        values = [cell_data(sheet.rows[r].cells[c]) if c in sheet.rows[r].cells else {} for c in range(c0, c1)]
        while values and not values[-1]:
            values.pop()
        rows.append({"values": values} if values else {})
    while rows and not rows[-1]:
        rows.pop()
    if rows:
        out["rowData"] = rows
    rows, columns = (_line_metadata(book, sheet.sheet_id, d, lo, hi) for d, lo, hi in ((ROWS, r0, r1), (COLUMNS, c0, c1)))
    out["rowMetadata"] = [_dimension_json(ROWS, sheet.rows[r].props, rows.get(r, [])) for r in range(r0, r1)]
    out["columnMetadata"] = [_dimension_json(COLUMNS, sheet.cols[c], columns.get(c, [])) for c in range(c0, c1)]
    return out


def _dimension_json(dimension: str, props: JsonDict, located: list[Metadata]) -> JsonDict:
    default = DEFAULT_ROW_PIXELS if dimension == ROWS else DEFAULT_COLUMN_PIXELS
    out: JsonDict = {"pixelSize": props.get("pixelSize", default)}
    if props.get("hiddenByUser"):
        out["hiddenByUser"] = True
    if located:
        out["developerMetadata"] = [m.json() for m in located]
    return out


def _line_metadata(book: Spreadsheet, sheet_id: int, dimension: str, lo: int, hi: int) -> dict[int, list[Metadata]]:
    """The metadata on each row (or column) in [lo, hi), found in one pass."""
    found: dict[int, list[Metadata]] = {}
    for meta in book.metadata.values():
        line = meta.location.line
        if line is None or line.sheet_id != sheet_id or line.dimension != dimension:
            continue
        for index in range(max(line.start or 0, lo), min(line.end if line.end is not None else hi, hi)):
            found.setdefault(index, []).append(meta)
    return found


def spreadsheet_json(
    book: Spreadsheet,
    grid: bool = False,
    ranges: list[tuple[Sheet, int, int, int, int]] | None = None,
) -> JsonDict:
    """The Spreadsheet resource; ``ranges`` limits sheets (and grid data) to those ranges."""
    sheets = []
    for sheet in book.sheets:
        boxes: list[tuple[int, int, int, int]] | None
        if ranges is not None:
            boxes = [tuple(r[1:]) for r in ranges if r[0] is sheet]  # type: ignore[misc]
            if not boxes:
                continue
        else:
            boxes = [(0, sheet.row_count, 0, sheet.col_count)]
        sheets.append(sheet_json(book, sheet, boxes if grid else None))
    out: JsonDict = {
        "spreadsheetId": book.id,
        "properties": spreadsheet_properties(book),
        "sheets": sheets,
    }
    if book.named:
        out["namedRanges"] = [n.json() for n in book.named]
    located = [m.json() for m in book.metadata.values() if m.location.kind == "SPREADSHEET"]
    if located:
        out["developerMetadata"] = located
    out["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{book.id}/edit"
    return out
