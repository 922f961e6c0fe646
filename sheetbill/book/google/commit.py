"""One commit as one `spreadsheets.batchUpdate`: the requests, in order.

1. the lease compare-and-set (see `lease`);
2. tabs the worker creates (`addSheet`, headers);
3. the guards: each tagged row written to, and each END tag, checked in
   place (see `anchors`);
4. more grid rows or columns where the writes need them;
5. headers of worker columns missing from a tab, then the cells:
   `updateCells` per run of adjacent cells, appended rows as one block per tab;
6. tags on appended rows that later writes will address, END tags back on
   each tab's last grid row, the Changelog's LAST tag on its last row.

Google applies the list atomically: if any guard or the lease fails,
nothing at all is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ...errors import WorkbookError
from .. import cells
from ...core.changes import Changes
from ..table import Table
from . import anchors, values
from .grid import END, LAST, TAG
from .layout import Layout, TabPlace
from .style import header_write

TAGGED_APPENDS = frozenset({"invoices", "state"})  # tabs whose new rows are written to later
HEADS = frozenset({"changelog"})  # tabs a cycle reads only the header and LAST row of
SLACK_ROWS = 200  # rows added beyond what a write needs, so most commits need no growth
VALUE = "userEnteredValue"
VALUE_AND_FORMAT = "userEnteredValue,userEnteredFormat.numberFormat"


class RowsUnknown(Exception):
    """A row the edits address has no known place (it was never tagged, and rows moved)."""


@dataclass
class Outcome:
    """What the layout and tables learn once the batch has been applied."""

    new_sheets: dict[str, int] = field(default_factory=dict)  # tab key -> sheet id
    columns: dict[str, dict[str, int]] = field(default_factory=dict)  # tab key -> field -> column
    tags: dict[str, dict[int, tuple[int, int]]] = field(default_factory=dict)  # key -> logical -> (tag, physical)
    ends: dict[str, tuple[int, int]] = field(default_factory=dict)
    lasts: dict[str, tuple[int, int]] = field(default_factory=dict)
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> (rows, columns)
    appended: dict[str, int] = field(default_factory=dict)  # key -> rows appended


@dataclass
class Batch:
    requests: list[dict[str, Any]] = field(default_factory=list)
    guards: set[int] = field(default_factory=set)  # indexes of requests that fail when rows moved
    lease_at: int | None = None  # index of the lease's create
    outcome: Outcome = field(default_factory=Outcome)
    headers: list[dict[str, Any]] = field(default_factory=list)  # written once the grid is wide enough

    def add(self, request: dict[str, Any]) -> int:
        self.requests.append(request)
        return len(self.requests) - 1


def build(tables: Mapping[str, Table], layout: Layout, edits: Changes, rows: Mapping[tuple[str, str], int],
          lease: list[dict[str, Any]]) -> Batch:
    """The batch that applies `edits` (already with state rows) at the rows' current places."""
    batch = Batch()
    for request in lease:
        batch.lease_at = batch.add(request)
    touched = [k for k in tables if any(w.tab == k for w in edits.cells) or any(a.tab == k for a in edits.rows)]
    for key in touched:
        used = ({w.field for w in edits.cells if w.tab == key}
                | {f for a in edits.rows if a.tab == key for f in a.values})
        _prepare(batch, key, tables[key], layout, used)
    cells_at: dict[str, dict[tuple[int, int], tuple[dict[str, Any], bool]]] = {k: {} for k in touched}
    for w in edits.cells:
        table, place = tables[w.tab], layout.tabs[w.tab]
        at = place.physical(w.row) if place.sheet_id is not None else w.row
        if at is None:
            raise RowsUnknown(f"{table.tab.name} row {w.row}")
        column = batch.outcome.columns[w.tab][w.field]
        kind = _kind(table, w.field)
        cells_at[w.tab][(at, column)] = _kept(values.cell(kind, cells.for_kind(kind, w.after)), kind,
                                              place.formats.get((w.row, column)))
    appends: dict[str, list[dict[int, tuple[dict[str, Any], bool]]]] = {k: [] for k in touched}
    for a in edits.rows:
        table = tables[a.tab]
        columns = batch.outcome.columns[a.tab]
        appends[a.tab].append({columns[f]: values.cell(_kind(table, f), cells.for_kind(_kind(table, f), v))
                               for f, v in a.values.items()})
    for key in touched:
        _guard(batch, key, tables[key], layout.tabs[key], {r for r, _ in cells_at[key]})
    for key in touched:
        _grow(batch, key, layout.tabs[key], cells_at[key], len(appends[key]))
    for request in batch.headers:
        batch.add(request)
    for key in touched:
        _write_cells(batch, layout.tabs[key], key, cells_at[key])
        _write_appends(batch, layout.tabs[key], key, appends[key])
    for key in touched:
        _tag_appends(batch, key, layout, edits, rows)
        _place_end(batch, key, layout)
        if key in HEADS:
            _place_last(batch, key, layout)
    return batch


def _kind(table: Table, fld: str) -> str:
    return table.tab.column(fld).kind


def _kept(written: tuple[dict[str, Any], bool], kind: str, own: str | None) -> tuple[dict[str, Any], bool]:
    """The value alone where the cell has a number format of its own that shows it (a currency
    over money, a date format over a date: `values.own_format`), as the Excel book keeps a cell's
    style; else the value under the column's format."""
    data, formatted = written
    if formatted and own == ("number" if kind == "money" else "date"):
        return {"userEnteredValue": data["userEnteredValue"]}, False
    return data, formatted


def _sheet_id(batch: Batch, key: str, place: TabPlace) -> int:
    """The tab's sheet: the one this batch adds (`_prepare`), else its own."""
    sheet_id = batch.outcome.new_sheets.get(key, place.sheet_id)
    if sheet_id is None:  # _prepare adds a sheet for every touched tab that has none
        raise WorkbookError(f"the tab for '{key}' has no sheet")
    return sheet_id


def _prepare(batch: Batch, key: str, table: Table, layout: Layout, used: set[str]) -> None:
    """Create the tab (with the columns `init` makes), then add the headers of
    worker columns the edits use and the tab lacks (as the Excel book does)."""
    place, tab = layout.tabs[key], table.tab
    if place.sheet_id is None:
        sheet_id = layout.new_id()
        batch.outcome.new_sheets[key] = sheet_id
        made = [c.field for c in tab.columns if not c.optional]
        columns, width = {f: i for i, f in enumerate(made)}, len(made)
        batch.add({"addSheet": {"properties": {
            "sheetId": sheet_id, "title": tab.name, "hidden": tab.hidden,
            "gridProperties": {"rowCount": 1 + SLACK_ROWS, "columnCount": max(26, width), "frozenRowCount": 1}}}})
        batch.add(header_write(tab, sheet_id, made, 0))
        batch.outcome.sizes[key] = (1 + SLACK_ROWS, max(26, width))
    else:
        sheet_id, columns, width = place.sheet_id, dict(table.columns), table.width
        batch.outcome.sizes[key] = (place.row_count, place.col_count)
    lacking = [c.field for c in tab.columns if c.field in used and c.field not in columns]
    for fld in lacking:
        if not (tab.column(fld).worker or tab.worker):
            raise WorkbookError(f"Tab '{tab.name}' has no column '{tab.column(fld).header}'")
    if lacking:
        columns.update({f: width + i for i, f in enumerate(lacking)})
        batch.headers.append(header_write(tab, sheet_id, lacking, width))
    batch.outcome.columns[key] = columns


def _guard(batch: Batch, key: str, table: Table, place: TabPlace, written: set[int]) -> None:
    if place.sheet_id is None:
        return
    by_row = {row: tag for tag, row in place.where.items()}
    for row in sorted(written):
        tag = by_row.get(row)
        if tag is None:  # the header row, or a row appended earlier in this batch's tab without a tag
            continue
        batch.add(anchors.delete_at(tag, place.sheet_id, row))
        batch.guards.add(batch.add(anchors.create(tag, TAG, place.sheet_id, row)))
    for anchor in (place.end, place.last if key in HEADS else None):
        if anchor is not None:
            batch.add(anchors.delete_at(anchor[0], place.sheet_id, anchor[1]))


def _grow(batch: Batch, key: str, place: TabPlace, cells_at: dict, appended: int) -> None:
    rows, columns = batch.outcome.sizes[key]
    need_rows = max([place.append_at + appended - 1] + [r for r, _ in cells_at])
    need_columns = 1 + max([c for _, c in cells_at] + list(batch.outcome.columns[key].values()))
    sheet_id = _sheet_id(batch, key, place)
    if need_rows > rows:
        batch.add({"appendDimension": {"sheetId": sheet_id, "dimension": "ROWS",
                                       "length": need_rows - rows + SLACK_ROWS}})
        rows = need_rows + SLACK_ROWS
    if need_columns > columns:
        batch.add({"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS", "length": need_columns - columns}})
        columns = need_columns
    batch.outcome.sizes[key] = (rows, columns)


def _write_cells(batch: Batch, place: TabPlace, key: str, cells_at: dict) -> None:
    """One updateCells per run of adjacent cells of a row with the same need for a format."""
    sheet_id = _sheet_id(batch, key, place)
    run: list[tuple[int, int, dict[str, Any], bool]] = []
    for (row, column), (data, formatted) in sorted(cells_at.items()):
        if run and (row, column - 1, formatted) != (run[-1][0], run[-1][1], run[-1][3]):
            _flush(batch, sheet_id, run)
            run = []
        run.append((row, column, data, formatted))
    if run:
        _flush(batch, sheet_id, run)


def _flush(batch: Batch, sheet_id: int, run: list[tuple[int, int, dict[str, Any], bool]]) -> None:
    row, first = run[0][0], run[0][1]
    batch.add({"updateCells": {
        "range": {"sheetId": sheet_id, "startRowIndex": row - 1, "endRowIndex": row,
                  "startColumnIndex": first, "endColumnIndex": first + len(run)},
        "rows": [{"values": [data for _, _, data, _ in run]}],
        "fields": VALUE_AND_FORMAT if run[0][3] else VALUE}})


def _write_appends(batch: Batch, place: TabPlace, key: str, new_rows: list[dict[int, tuple[dict, bool]]]) -> None:
    if not new_rows:
        return
    width = 1 + max(c for row in new_rows for c in row) if any(new_rows) else 1
    top = place.append_at
    batch.add({"updateCells": {
        "range": {"sheetId": _sheet_id(batch, key, place), "startRowIndex": top - 1,
                  "endRowIndex": top - 1 + len(new_rows), "startColumnIndex": 0, "endColumnIndex": width},
        "rows": [{"values": [row.get(c, ({}, False))[0] for c in range(width)]} for row in new_rows],
        "fields": VALUE_AND_FORMAT}})
    batch.outcome.appended[key] = len(new_rows)


def _tag_appends(batch: Batch, key: str, layout: Layout, edits: Changes, rows: Mapping[tuple[str, str], int]) -> None:
    if key not in TAGGED_APPENDS:
        return
    place = layout.tabs[key]
    sheet_id = _sheet_id(batch, key, place)
    mine = batch.outcome.tags.setdefault(key, {})
    for i, a in enumerate(x for x in edits.rows if x.tab == key):
        tag, at = layout.new_id(), place.append_at + i
        batch.add(anchors.create(tag, TAG, sheet_id, at))
        mine[rows[(key, a.key)]] = (tag, at)


def _place_end(batch: Batch, key: str, layout: Layout) -> None:
    """The END tag on the tab's last grid row: the same tag (a guard), or a new one."""
    place = layout.tabs[key]
    last = batch.outcome.sizes[key][0]
    tag = place.end[0] if place.end is not None and place.sheet_id is not None else layout.new_id()
    index = batch.add(anchors.create(tag, END, _sheet_id(batch, key, place), last))
    if place.end is not None and place.sheet_id is not None:
        batch.guards.add(index)
    batch.outcome.ends[key] = (tag, last)


def _place_last(batch: Batch, key: str, layout: Layout) -> None:
    """The LAST tag on the tab's last used row (after this batch's appends)."""
    place = layout.tabs[key]
    row = place.append_at + batch.outcome.appended.get(key, 0) - 1
    last = place.last if place.sheet_id is not None else None
    known = last is not None
    tag = last[0] if last is not None else layout.new_id()
    index = batch.add(anchors.create(tag, LAST, _sheet_id(batch, key, place), row))
    if known:
        batch.guards.add(index)
    batch.outcome.lasts[key] = (tag, row)
