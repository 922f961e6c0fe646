"""The one read of a cycle: every tab's cells, row tags and the lease, from a
single `spreadsheets.get` (values and tags come from the same instant).

Rows carry developer-metadata tags (see `anchors`): a tag belongs to a
physical row and moves with it when a person inserts, deletes or sorts rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import values

TAG = "sheetbill.row"  # identity of one row the worker writes to
END = "sheetbill.end"  # on a tab's last grid row: moves when rows are inserted or deleted
LAST = "sheetbill.last"  # on the Changelog's last row: a cycle reads only its header and this row
LEASE = "sheetbill.lease"  # on the spreadsheet: who may write, until when

# each cell's value and the text it shows: the text tells a number under a percent format
# (`10%`, stored as 0.1) from a plain one (values.read). It comes for cells that hold
# something only; a number format (userEnteredFormat/numberFormat/type) would come for every
# grid row of the columns `init` formatted, empty or not
FIELDS = ("sheets(properties(sheetId,title,hidden,gridProperties(rowCount,columnCount)),"
          "data(startRow,rowData(values(effectiveValue,formattedValue)),"
          "rowMetadata/developerMetadata(metadataId,metadataKey)),"
          "developerMetadata(metadataId,metadataKey)),"
          "developerMetadata(metadataId,metadataKey,metadataValue)")
# the rows tagged before their first write are read back with each cell's number format too (a few
# rows): an empty cell the admin formatted (a currency in Balance) keeps its format when written
WITH_FORMATS = FIELDS.replace("values(effectiveValue,formattedValue)",
                              "values(effectiveValue,formattedValue,userEnteredFormat/numberFormat/type)")


@dataclass
class SheetGrid:
    """One tab as read: its rows of values and where its tags are."""

    sheet_id: int
    title: str
    row_count: int
    col_count: int
    hidden: bool = False
    rows: list[tuple[int, tuple[object, ...]]] = field(default_factory=list)  # 1-based, non-empty rows
    tags: dict[int, int] = field(default_factory=dict)  # row -> tag id
    end: tuple[int, int] | None = None  # (tag id, row) of the END tag
    last: tuple[int, int] | None = None  # (tag id, row) of the LAST tag
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) -> values.own_format

    @property
    def last_row(self) -> int:
        return self.rows[-1][0] if self.rows else 0


@dataclass
class Read:
    sheets: dict[str, SheetGrid]  # by title
    metadata: dict[int, tuple[str, str]]  # every developer metadata id seen -> (key, value)


def quoted(title: str) -> str:
    """A tab name as an A1 range of the whole tab."""
    return "'" + title.replace("'", "''") + "'"


def filters(names: list[str], heads: set[str]) -> list[dict[str, Any]]:
    """The DataFilters of one read: whole tabs; of a tab in `heads`, its header
    row and the row with the LAST tag."""
    out: list[dict[str, Any]] = [{"a1Range": quoted(n) + ("!1:1" if n in heads else "")} for n in names]
    if heads & set(names):
        out.append({"developerMetadataLookup": {"metadataKey": LAST}})
    return out


def parse(answer: dict[str, Any]) -> Read:
    seen: dict[int, tuple[str, str]] = {}
    for meta in answer.get("developerMetadata") or ():
        seen[int(meta["metadataId"])] = (meta.get("metadataKey", ""), meta.get("metadataValue", ""))
    sheets = {}
    for sheet in answer.get("sheets") or ():
        grid = _sheet(sheet, seen)
        sheets[grid.title] = grid
    return Read(sheets, seen)


def _sheet(sheet: dict[str, Any], seen: dict[int, tuple[str, str]]) -> SheetGrid:
    props = sheet.get("properties") or {}
    size = props.get("gridProperties") or {}
    grid = SheetGrid(int(props.get("sheetId") or 0), props.get("title", ""), int(size.get("rowCount") or 0),
                     int(size.get("columnCount") or 0), bool(props.get("hidden")))
    for meta in sheet.get("developerMetadata") or ():
        seen[int(meta["metadataId"])] = (meta.get("metadataKey", ""), "")
    for block in sheet.get("data") or ():
        top = int(block.get("startRow") or 0)
        for i, row in enumerate(block.get("rowData") or ()):
            data = row.get("values") or ()
            cells = tuple(map(values.read, data))
            for column, value in enumerate(cells):
                if value.__class__ is Decimal or "userEnteredFormat" in data[column]:
                    kind = values.own_format(data[column])
                    if kind is not None:
                        grid.formats[(top + i + 1, column)] = kind
            end = len(cells)
            while end and cells[end - 1] is None:
                end -= 1
            if end:
                grid.rows.append((top + i + 1, cells[:end]))
        for i, meta_row in enumerate(block.get("rowMetadata") or ()):
            for meta in meta_row.get("developerMetadata") or ():
                meta_id, key = int(meta["metadataId"]), meta.get("metadataKey", "")
                seen[meta_id] = (key, "")
                if key == TAG:
                    grid.tags.setdefault(top + i + 1, meta_id)
                elif key == END:
                    grid.end = (meta_id, top + i + 1)
                elif key == LAST:
                    grid.last = (meta_id, top + i + 1)
    return grid
