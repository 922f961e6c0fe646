"""`sheetbill init --google`: make an existing spreadsheet ready for sheetbill
without touching what the admin put in it.

Missing tabs are added with their headers, missing headers are added after
the last header of a tab (never moving a column), and then: dropdowns for
Status, Client, Service, Method (and Invoice Mode, Active), number formats
on money and date columns, `_sheetbill` hidden, the worker's tabs
protected. Cell values are never written below the header row. Running it
again changes nothing that is already right. Two reads and one batchUpdate.

`capabilities` (e.g. "insurance") adds those optional columns too, with their
dropdowns, as `book.create` does for a new Excel workbook.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..dropdowns import OPTIONAL_DROPDOWNS
from ..formats import FORMATS
from ..schema import Tab
from ..table import column_letter, map_headers
from . import anchors, grid, values
from .commit import HEADS
from ...google.http import Google
from .style import header_write

PROTECTION = "sheetbill: written by sheetbill only"
NEW_ROWS = 1000
DROPDOWNS = (  # tab, field, list of values or (tab, field) of a range, the note shown on the cell
    ("sessions", "status", ["Scheduled", "Completed", "Cancelled", "No-show"], "Completed sessions are invoiced"),
    ("sessions", "client", ("clients", "client_id"), "A Client ID (or the client's exact name)"),
    ("sessions", "service", ("services", "code"), "A service Code"),
    ("clients", "invoice_mode", ["per-session", "daily"], "Empty: the config's default"),
    ("payments", "method", ["Card", "Bank transfer", "Cash", "Other"], "How the client paid"),
    ("services", "active", ["Yes", "No"], "No: the service can no longer be billed"),
    ("clients", "superbill", ["Yes", "No"], "Yes: a superbill each month, and sessions need a Diagnosis"),
    ("clients", "relationship", ["Self", "Spouse", "Child", "Other"], "The client's relationship to the insured"),
) + tuple((key, fld, list(choices), note) for key, fld, choices, note in OPTIONAL_DROPDOWNS)  # where present
NUMBER_FORMATS = {"money": values.MONEY_FORMAT, "date": values.DATE_FORMAT,
                  "percent": {"type": "PERCENT", "pattern": FORMATS["percent"]}}


def set_up(google: Google, spreadsheet_id: str, tabs: Sequence[Tab], new_id, new_rows: int = NEW_ROWS,
           capabilities: frozenset[str] = frozenset()) -> list[str]:
    """Prepare the spreadsheet; returns one line per change made. `new_id()`
    gives unused sheet ids; new tabs get `new_rows` rows; the optional columns of
    `capabilities` (schema.init_capabilities) are added like the others."""
    path = f"/{spreadsheet_id}"
    known = google.sheets("get", path, params={"fields": "sheets(properties(sheetId,title,hidden,gridProperties),"
                                                         "protectedRanges(description))"})
    sheets = {s["properties"]["title"]: s for s in known.get("sheets") or ()}
    present = [t for t in tabs if t.name in sheets]
    headers: dict[str, list[object]] = {}
    if present:
        answer = google.sheets("get", path, params={
            "ranges": [f"{grid.quoted(t.name)}!1:1" for t in present], "includeGridData": "true",
            "fields": "sheets(properties/title,data/rowData/values/effectiveValue)"})
        for sheet in answer.get("sheets") or ():
            rows = (sheet.get("data") or [{}])[0].get("rowData") or [{}]
            headers[sheet["properties"]["title"]] = [values.read(c) for c in rows[0].get("values") or ()]
    requests: list[dict[str, Any]] = []
    done: list[str] = []
    places: dict[str, tuple[int, int, dict[str, int]]] = {}  # key -> (sheet id, rows, columns by field)
    for tab in tabs:
        sheet = sheets.get(tab.name)
        if sheet is None:
            sheet_id = new_id()
            requests.append({"addSheet": {"properties": {
                "sheetId": sheet_id, "title": tab.name, "hidden": tab.hidden,
                "gridProperties": {"rowCount": new_rows, "columnCount": max(26, len(tab.columns)), "frozenRowCount": 1}}}})
            made = [c.field for c in tab.created(capabilities)]
            requests.append(header_write(tab, sheet_id, made, 0))
            places[tab.key] = (sheet_id, new_rows, {f: i for i, f in enumerate(made)})
            done.append(f"added tab '{tab.name}'")
            if tab.worker:
                requests.append(_protect(sheet_id))
            if tab.key in HEADS:  # its last used row, the header: what a cycle reads of it
                requests.append(anchors.create(new_id(), grid.LAST, sheet_id, 1))
            continue
        props = sheet["properties"]
        sheet_id, size = props["sheetId"], props.get("gridProperties") or {}
        columns, missing, width = map_headers(tab, headers.get(tab.name, []))
        lacking = [c.field for c in tab.created(capabilities) if c.field in missing]
        if lacking:
            if width + len(lacking) > int(size.get("columnCount") or 0):
                requests.append({"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS",
                                                     "length": width + len(lacking) - int(size.get("columnCount") or 0)}})
            requests.append(header_write(tab, sheet_id, lacking, width))
            columns.update({f: width + i for i, f in enumerate(lacking)})
            done.append(f"added column(s) {', '.join(tab.column(f).header for f in lacking)} to '{tab.name}'")
        if tab.hidden and not props.get("hidden"):
            requests.append({"updateSheetProperties": {"properties": {"sheetId": sheet_id, "hidden": True},
                                                       "fields": "hidden"}})
            done.append(f"hid '{tab.name}'")
        places[tab.key] = (sheet_id, int(size.get("rowCount") or NEW_ROWS), columns)
        if tab.worker and not any(p.get("description") == PROTECTION for p in sheet.get("protectedRanges") or ()):
            requests.append(_protect(sheet_id))
            done.append(f"protected '{tab.name}'")
    requests += _formats(tabs, places) + _dropdowns(tabs, places)
    google.sheets("post", f"{path}:batchUpdate", body={"requests": requests}, idempotent=True)
    return done + ["set dropdowns and number formats"]


def _protect(sheet_id: int) -> dict[str, Any]:
    return {"addProtectedRange": {"protectedRange": {"range": {"sheetId": sheet_id}, "description": PROTECTION}}}


def _column(sheet_id: int, column: int) -> dict[str, Any]:
    """A column below its header."""
    return {"sheetId": sheet_id, "startRowIndex": 1, "startColumnIndex": column, "endColumnIndex": column + 1}


def _formats(tabs: Sequence[Tab], places: dict) -> list[dict[str, Any]]:
    out = []
    for tab in tabs:
        sheet_id, _, columns = places[tab.key]
        for column in tab.columns:
            if column.kind in NUMBER_FORMATS and column.field in columns:
                out.append({"repeatCell": {"range": _column(sheet_id, columns[column.field]),
                                           "cell": {"userEnteredFormat": {"numberFormat": NUMBER_FORMATS[column.kind]}},
                                           "fields": "userEnteredFormat.numberFormat"}})
    return out


def _dropdowns(tabs: Sequence[Tab], places: dict) -> list[dict[str, Any]]:
    by_key = {t.key: t for t in tabs}
    out = []
    for key, fld, choices, note in DROPDOWNS:
        if key not in places or fld not in places[key][2]:
            continue
        sheet_id, _, columns = places[key]
        if isinstance(choices, tuple):
            source_tab = by_key[choices[0]]
            letter = column_letter(places[choices[0]][2].get(choices[1], 0))
            condition = {"type": "ONE_OF_RANGE", "values": [
                {"userEnteredValue": f"={grid.quoted(source_tab.name)}!${letter}$2:${letter}"}]}
        else:
            condition = {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": c} for c in choices]}
        out.append({"setDataValidation": {"range": _column(sheet_id, columns[fld]), "rule": {
            "condition": condition, "inputMessage": note, "strict": False, "showCustomUi": True}}})
    return out
