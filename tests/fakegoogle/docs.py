"""Docs v1 ``documents.create``, ``documents.get`` and ``documents.batchUpdate``."""

from __future__ import annotations

import copy
from typing import Any, Callable

from .docmodel import DocError, Document, Paragraph, Table, table_layout, ulen, walk
from .errors import ApiError
from .routing import Router
from .state import State
from .wire import Request

router = Router("docs")
JsonDict = dict[str, Any]
PT = "PT"

DOCUMENT_STYLE: JsonDict = {
    "background": {"color": {}},
    "pageNumberStart": 1,
    "marginTop": {"magnitude": 72, "unit": PT},
    "marginBottom": {"magnitude": 72, "unit": PT},
    "marginRight": {"magnitude": 72, "unit": PT},
    "marginLeft": {"magnitude": 72, "unit": PT},
    "pageSize": {"height": {"magnitude": 792, "unit": PT}, "width": {"magnitude": 612, "unit": PT}},
    "marginHeader": {"magnitude": 36, "unit": PT},
    "marginFooter": {"magnitude": 36, "unit": PT},
    "useCustomHeaderFooterMargins": True,
}
NAMED_STYLES: JsonDict = {
    "styles": [
        {
            "namedStyleType": "NORMAL_TEXT",
            "textStyle": {
                "bold": False,
                "italic": False,
                "underline": False,
                "strikethrough": False,
                "smallCaps": False,
                "backgroundColor": {},
                "foregroundColor": {"color": {"rgbColor": {}}},
                "fontSize": {"magnitude": 11, "unit": PT},
                "weightedFontFamily": {"fontFamily": "Arial", "weight": 400},
                "baselineOffset": "NONE",
            },
            "paragraphStyle": {
                "namedStyleType": "NORMAL_TEXT",
                "alignment": "START",
                "lineSpacing": 115,
                "direction": "LEFT_TO_RIGHT",
                "spacingMode": "COLLAPSE_LISTS",
                "spaceAbove": {"unit": PT},
                "spaceBelow": {"unit": PT},
            },
        },
        *(
            {
                "namedStyleType": name,
                "textStyle": {"fontSize": {"magnitude": size, "unit": PT}},
                "paragraphStyle": {"namedStyleType": name, "direction": "LEFT_TO_RIGHT", "keepWithNext": True},
            }
            for name, size in (("TITLE", 26), ("HEADING_1", 20), ("HEADING_2", 16), ("HEADING_3", 14))
        ),
    ]
}
CELL_STYLE: JsonDict = {
    "rowSpan": 1,
    "columnSpan": 1,
    "backgroundColor": {},
    "paddingLeft": {"magnitude": 5, "unit": PT},
    "paddingRight": {"magnitude": 5, "unit": PT},
    "paddingTop": {"magnitude": 5, "unit": PT},
    "paddingBottom": {"magnitude": 5, "unit": PT},
    "contentAlignment": "TOP",
}


# ------------------------------------------------------------------ rendering

def paragraph_json(paragraph: Paragraph, start: int) -> JsonDict:
    elements, index = [], start
    for run in paragraph.runs:
        size = ulen(run.text)
        run_json = {"content": run.text, "textStyle": copy.deepcopy(run.style)}
        elements.append({"startIndex": index, "endIndex": index + size, "textRun": run_json})
        index += size
    body = {"elements": elements, "paragraphStyle": copy.deepcopy(paragraph.style)}
    return {"startIndex": start, "endIndex": index, "paragraph": body}


def table_json(table: Table, start: int) -> JsonDict:
    layout = table_layout(table, start)
    rows = []
    for row_start, row_end, cells in layout["rows"]:
        rows.append(
            {
                "startIndex": row_start,
                "endIndex": row_end,
                "tableCells": [
                    {
                        "startIndex": cell_start,
                        "endIndex": cell_end,
                        "content": [block_json(s.block, s.start) for s in spots],
                        "tableCellStyle": copy.deepcopy(CELL_STYLE),
                    }
                    for cell_start, cell_end, spots in cells
                ],
                "tableRowStyle": {"minRowHeight": {"unit": PT}},
            }
        )
    return {
        "startIndex": start,
        "endIndex": layout["end"],
        "table": {
            "rows": len(table.rows),
            "columns": table.width,
            "tableRows": rows,
            "tableStyle": {"tableColumnProperties": [{"widthType": "EVENLY_DISTRIBUTED"} for _ in range(table.width)]},
        },
    }


def block_json(block: Paragraph | Table, start: int) -> JsonDict:
    return paragraph_json(block, start) if isinstance(block, Paragraph) else table_json(block, start)


def document_json(document: Document) -> JsonDict:
    content: list[JsonDict] = [
        {
            "endIndex": 1,
            "sectionBreak": {
                "sectionStyle": {
                    "columnSeparatorStyle": "NONE",
                    "contentDirection": "LEFT_TO_RIGHT",
                    "sectionType": "CONTINUOUS",
                }
            },
        }
    ]
    content += [block_json(s.block, s.start) for s in walk(document.body, 1) if s.container is document.body]
    return {
        "title": document.title,
        "body": {"content": content},
        "documentStyle": copy.deepcopy(DOCUMENT_STYLE),
        "namedStyles": copy.deepcopy(NAMED_STYLES),
        "revisionId": document.revision_id,
        "suggestionsViewMode": "SUGGESTIONS_INLINE",
        "documentId": document.id,
    }


# ------------------------------------------------------------------ endpoints

def find(state: State, document_id: str) -> Document:
    document = state.documents.get(document_id)
    entry = state.files.get(document_id)
    if document is None or entry is None:
        raise ApiError(404, "Requested entity was not found.")
    if entry.private:
        raise ApiError(403, "The caller does not have permission")
    return document


@router.add("POST", "/v1/documents", "documents.create", writes=True)
def create(state: State, request: Request) -> JsonDict:
    body = request.json() or {}
    document = state.create_document(body.get("title") or "Untitled document")
    return document_json(document)


@router.add("GET", "/v1/documents/{documentId}", "documents.get")
def get(state: State, request: Request) -> JsonDict:
    return document_json(find(state, request.params["documentId"]))


def _index(location: JsonDict | None, end_of_segment: JsonDict | None, document: Document) -> int:
    if location is not None:
        if location.get("segmentId"):
            raise DocError("Headers, footers and footnotes are not supported by the local fake.")
        return int(location.get("index") or 0)
    if end_of_segment is not None:
        return document.end_index() - 1
    raise DocError("A location or endOfSegmentLocation must be set.")


def _insert_text(document: Document, req: JsonDict) -> JsonDict | None:
    document.insert_text(_index(req.get("location"), req.get("endOfSegmentLocation"), document), req.get("text") or "")
    return None


def _replace_all(document: Document, req: JsonDict) -> JsonDict | None:
    contains = req.get("containsText") or {}
    find, replacement = contains.get("text") or "", req.get("replaceText") or ""
    count = document.replace_all(find, replacement, bool(contains.get("matchCase")))
    return {"occurrencesChanged": count} if count else {}


def _delete_range(document: Document, req: JsonDict) -> JsonDict | None:
    area = req.get("range") or {}
    if area.get("segmentId"):
        raise DocError("Headers, footers and footnotes are not supported by the local fake.")
    document.delete_range(int(area.get("startIndex") or 0), int(area.get("endIndex") or 0))
    return None


def _cell_location(req: JsonDict) -> tuple[int, int]:
    where = req.get("tableCellLocation") or {}
    start = (where.get("tableStartLocation") or {}).get("index")
    if start is None:
        raise DocError("The table start location must be set.")
    return int(start), int(where.get("rowIndex") or 0)


def _insert_row(document: Document, req: JsonDict) -> JsonDict | None:
    start, row = _cell_location(req)
    document.insert_table_row(start, row, bool(req.get("insertBelow")))
    return None


def _delete_row(document: Document, req: JsonDict) -> JsonDict | None:
    start, row = _cell_location(req)
    document.delete_table_row(start, row)
    return None


def _insert_table(document: Document, req: JsonDict) -> JsonDict | None:
    index = _index(req.get("location"), req.get("endOfSegmentLocation"), document)
    document.insert_table(index, int(req.get("rows") or 0), int(req.get("columns") or 0))
    return None


KINDS: dict[str, Callable[[Document, JsonDict], JsonDict | None]] = {
    "insertText": _insert_text,
    "replaceAllText": _replace_all,
    "deleteContentRange": _delete_range,
    "insertTableRow": _insert_row,
    "deleteTableRow": _delete_row,
    "insertTable": _insert_table,
}


@router.add("POST", "/v1/documents/{documentId}:batchUpdate", "documents.batchUpdate", writes=True)
def batch_update(state: State, request: Request) -> JsonDict:
    """Apply every request or none, like Google."""
    document = find(state, request.params["documentId"])
    body = request.json() or {}
    control = body.get("writeControl") or {}
    if control.get("requiredRevisionId") and control["requiredRevisionId"] != document.revision_id:
        raise ApiError(400, "The document was modified after the required revision.", "FAILED_PRECONDITION")
    snapshot = copy.deepcopy(document.body)
    replies = []
    try:
        for index, item in enumerate(body.get("requests") or []):
            present = [(k, v) for k, v in (item or {}).items() if v is not None]
            if len(present) != 1:
                raise ApiError(400, f"Invalid requests[{index}]: exactly one request kind must be set.")
            name, payload = present[0]
            handler = KINDS.get(name)
            if handler is None:
                raise ApiError(501, f"Invalid requests[{index}].{name}: not implemented by the local fake.")
            try:
                reply = handler(document, payload or {})
            except DocError as err:
                raise ApiError(400, f"Invalid requests[{index}].{name}: {err}") from None
            replies.append({name: reply} if reply is not None else {})
    except ApiError:
        document.body = snapshot
        raise
    if replies:
        document.revision += 1
        state.touch(document.id)
    return {"replies": replies, "writeControl": {"requiredRevisionId": document.revision_id}, "documentId": document.id}
