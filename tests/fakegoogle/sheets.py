"""Sheets ``spreadsheets.*``: get, create, the atomic batchUpdate, developer
metadata lookups, and the values calls addressed by data filter."""

from __future__ import annotations

from typing import Any

from . import fields
from .errors import ApiError
from .grid import Box
from .routing import Router
from .sheet_ranges import Target, book_for, resolve, sheet_by_id
from .sheets_anchored import filter_box, matching, meta_matches
from .sheets_cells import merge_cell
from .sheets_json import sheet_properties, spreadsheet_json
from .sheets_requests import KINDS, Batch
from .sheets_values import as_rows, atomic, input_option, read, write
from .spreadsheet import Sheet, Spreadsheet
from .state import State
from .wire import Request

router = Router("sheets")
BASE = "/v4/spreadsheets/{spreadsheetId}"
JsonDict = dict[str, Any]


def _boxes(targets: list[Target]) -> list[tuple[Sheet, int, int, int, int]]:
    return [(t.sheet, t.r0, t.r1, t.c0, t.c1) for t in targets]


def wants_grid(grid: bool, mask_text: str | None) -> bool:
    """Grid data is sent when asked for, or when the field mask selects it."""
    return grid or bool(mask_text and "data" in fields.parse(mask_text).get("sheets", {}))


def render(book: Spreadsheet, ranges: list[str], grid: bool) -> JsonDict:
    """The Spreadsheet resource (the server applies any ``fields`` mask)."""
    targets = [resolve(book, text) for text in ranges]
    return spreadsheet_json(book, grid, _boxes(targets) if targets else None)


@router.add("GET", BASE, "spreadsheets.get")
def get(state: State, request: Request) -> JsonDict:
    book = book_for(state, request.params["spreadsheetId"])
    return render(book, request.args("ranges"), wants_grid(request.flag("includeGridData"), request.arg("fields")))


@router.add("POST", "/v4/spreadsheets", "spreadsheets.create", writes=True)
def create(state: State, request: Request) -> JsonDict:
    body = request.json() or {}
    props = body.get("properties") or {}
    book = state.create_spreadsheet(props.get("title") or "Untitled spreadsheet")
    try:
        _fill_new(Batch(state, book), body)
    except ApiError:
        state.remove_file(book.id)
        raise
    return spreadsheet_json(book)


def _fill_new(batch: Batch, body: JsonDict) -> None:
    """Apply a spreadsheets.create body to a fresh spreadsheet."""
    book = batch.book
    props = {k: v for k, v in (body.get("properties") or {}).items() if k != "title"}
    if props:
        KINDS["updateSpreadsheetProperties"](batch, {"properties": props, "fields": ",".join(props)})
    wanted = body.get("sheets") or []
    if wanted:
        book.sheets = []
    for position, sheet_data in enumerate(wanted):
        sheet_props = dict(sheet_data.get("properties") or {})
        if position == 0:
            sheet_props.setdefault("sheetId", 0)
        reply = KINDS["addSheet"](batch, {"properties": sheet_props})
        sheet = sheet_by_id(book, reply["properties"]["sheetId"])  # type: ignore[index]
        for block in sheet_data.get("data") or []:
            r0, c0 = int(block.get("startRow") or 0), int(block.get("startColumn") or 0)
            for i, row in enumerate(block.get("rowData") or []):
                for j, cell in enumerate(row.get("values") or []):
                    if r0 + i < sheet.row_count and c0 + j < sheet.col_count:
                        sheet.put(r0 + i, c0 + j, merge_cell(batch, sheet, None, cell or {}, {"*": {}}))
    for item in body.get("namedRanges") or []:
        KINDS["addNamedRange"](batch, {"namedRange": item})


@router.add("POST", BASE + ":batchUpdate", "spreadsheets.batchUpdate", writes=True)
def batch_update(state: State, request: Request) -> JsonDict:
    """Apply every request or none, like Google."""
    book = book_for(state, request.params["spreadsheetId"])
    body = request.json() or {}
    requests = body.get("requests") or []
    if not requests:
        raise ApiError(400, "Must specify at least one request.")
    batch = Batch(state, book)
    replies = []
    with atomic(book):
        for index, item in enumerate(requests):
            present = [(k, v) for k, v in (item or {}).items() if v is not None]
            if len(present) != 1:
                problem = "Only one kind of request may be set." if present else "No request set."
                raise ApiError(400, f"Invalid requests[{index}]: {problem}")
            name, payload = present[0]
            handler = KINDS.get(name)
            if handler is None:
                raise ApiError(501, f"Invalid requests[{index}].{name}: not implemented by the local fake.")
            try:
                reply = handler(batch, payload or {})
            except ApiError as err:
                if err.code != 400:
                    raise
                raise ApiError(400, f"Invalid requests[{index}].{name}: {err.message}", details=err.details) from None
            replies.append({} if reply is None else {name: reply})
    state.touch(book.id)
    out: JsonDict = {"spreadsheetId": book.id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        ranges, grid = body.get("responseRanges") or [], bool(body.get("responseIncludeGridData"))
        out["updatedSpreadsheet"] = render(book, ranges, grid)
    return out


# ------------------------------------------------------------------ developer metadata

@router.add("GET", BASE + "/developerMetadata/{metadataId}", "spreadsheets.developerMetadata.get")
def metadata_get(state: State, request: Request) -> JsonDict:
    book = book_for(state, request.params["spreadsheetId"])
    try:
        meta = book.metadata.get(int(request.params["metadataId"]))
    except ValueError:
        meta = None
    if meta is None:
        raise ApiError(404, f"No developer metadata with ID: {request.params['metadataId']}")
    return meta.json()


@router.add("POST", BASE + "/developerMetadata:search", "spreadsheets.developerMetadata.search")
def metadata_search(state: State, request: Request) -> JsonDict:
    book = book_for(state, request.params["spreadsheetId"])
    filters = (request.json() or {}).get("dataFilters") or []
    found = []
    for meta in matching(book, filters):
        hits = [f for f in filters if meta_matches(book, meta, f)]
        found.append({"developerMetadata": meta.json(), "dataFilters": hits})
    return {"matchedDeveloperMetadata": found} if found else {}


# ------------------------------------------------------------------ values by data filter

def filter_targets(book: Spreadsheet, data_filter: JsonDict) -> list[Target]:
    """The ranges a DataFilter selects (metadata lookups select their rows/columns)."""
    box = filter_box(book, data_filter)
    boxes = [box] if box is not None else []
    if box is None:
        for meta in matching(book, [data_filter]):
            location = meta.location
            if location.line is not None:
                boxes.append(location.line.box())
            elif location.kind == "SHEET":
                boxes.append(Box(int(location.sheet_id or 0)))
    targets = []
    for item in boxes:
        sheet = sheet_by_id(book, item.sheet_id)
        r0, r1, c0, c1 = item.bounded(sheet.row_count, sheet.col_count)
        targets.append(Target(sheet, r0, r1, c0, c1))
    return targets


@router.add("POST", BASE + "/values:batchGetByDataFilter", "spreadsheets.values.batchGetByDataFilter")
def values_get_by_filter(state: State, request: Request) -> JsonDict:
    book = book_for(state, request.params["spreadsheetId"])
    body = request.json() or {}
    major = body.get("majorDimension") or "ROWS"
    option = body.get("valueRenderOption") or "FORMATTED_VALUE"
    dates = body.get("dateTimeRenderOption") or "SERIAL_NUMBER"
    matched = []
    for data_filter in body.get("dataFilters") or []:
        for target in filter_targets(book, data_filter):
            value_range: JsonDict = {"range": target.a1, "majorDimension": major}
            values = read(target, major, option, dates)
            if values:
                value_range["values"] = values
            matched.append({"valueRange": value_range, "dataFilters": [data_filter]})
    out: JsonDict = {"spreadsheetId": book.id}
    if matched:
        out["valueRanges"] = matched
    return out


@router.add(
    "POST", BASE + "/values:batchUpdateByDataFilter", "spreadsheets.values.batchUpdateByDataFilter", writes=True
)
def values_update_by_filter(state: State, request: Request) -> JsonDict:
    book = book_for(state, request.params["spreadsheetId"])
    body = request.json() or {}
    user_entered = input_option(body.get("valueInputOption"))
    responses = []
    with atomic(book):
        for item in body.get("data") or []:
            targets = filter_targets(book, item.get("dataFilter") or {})
            if len(targets) != 1:
                raise ApiError(400, f"The data filter matched {len(targets)} ranges; a write needs exactly one.")
            out = write(book, targets[0], as_rows(item.get("values"), item.get("majorDimension")), user_entered)
            out.pop("spreadsheetId", None)
            out["dataFilter"] = item.get("dataFilter")
            responses.append(out)
    state.touch(book.id)
    result: JsonDict = {"spreadsheetId": book.id}
    if responses:
        result.update(
            totalUpdatedRows=sum(r.get("updatedRows", 0) for r in responses),
            totalUpdatedColumns=max(r.get("updatedColumns", 0) for r in responses),
            totalUpdatedCells=sum(r.get("updatedCells", 0) for r in responses),
            totalUpdatedSheets=1,
            responses=responses,
        )
    return result



@router.add("POST", BASE + ":getByDataFilter", "spreadsheets.getByDataFilter")
def get_by_data_filter(state: State, request: Request) -> JsonDict:
    book = book_for(state, request.params["spreadsheetId"])
    body = request.json() or {}
    targets = [t for f in body.get("dataFilters") or [] for t in filter_targets(book, f)]
    grid = wants_grid(bool(body.get("includeGridData")), request.arg("fields"))
    return spreadsheet_json(book, grid, _boxes(targets) if targets else None)


@router.add("POST", BASE + "/sheets/{sheetId}:copyTo", "spreadsheets.sheets.copyTo", writes=True)
def copy_to(state: State, request: Request) -> JsonDict:
    """Copy one sheet into another (or the same) spreadsheet, as "Copy of <title>"."""
    book = book_for(state, request.params["spreadsheetId"])
    try:
        source = sheet_by_id(book, int(request.params["sheetId"]))
    except ValueError:
        raise ApiError(400, f"Invalid sheet id: {request.params['sheetId']}") from None
    target_id = (request.json() or {}).get("destinationSpreadsheetId") or ""
    target = book_for(state, target_id)
    title, number = f"Copy of {source.title}", 2
    while target.sheet_titled(title) is not None:
        title, number = f"Copy {number} of {source.title}", number + 1
    twin = source.clone()
    twin.sheet_id = state.new_int_id({s.sheet_id for s in target.sheets})
    twin.title, twin.hidden = title, False
    twin.merges = [Box(twin.sheet_id, m.r0, m.r1, m.c0, m.c1) for m in twin.merges]
    twin.basic_filter = None
    target.sheets.append(twin)
    state.touch(target.id)
    return sheet_properties(target, twin)
