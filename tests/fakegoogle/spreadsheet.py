"""The state of one spreadsheet: sheets, their grids, and everything anchored to them.

Rows are objects in a list, so cells move with their row; every index range
(developer metadata, protected and named ranges, merges, filters, groups)
is updated by :meth:`Spreadsheet.insert_lines`, :meth:`delete_lines` and
:meth:`permute_rows`, the three structural edits both the API handlers and
the "human" helpers use.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from typing import Any

from .cells import Cell
from .grid import COLUMNS, ROWS, Box, Line, SpanMove, delete_move, insert_move, permute_move

DEFAULT_ROW_PIXELS = 21
DEFAULT_COLUMN_PIXELS = 100


@dataclass
class Row:
    """One grid row: its non-empty cells by column index, and its properties."""

    cells: dict[int, Cell] = field(default_factory=dict)
    props: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> Row:
        return Row(dict(self.cells), dict(self.props))


@dataclass
class Group:
    """A row or column group (``addDimensionGroup``)."""

    line: Line
    depth: int = 1
    collapsed: bool = False

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"range": self.line.json(), "depth": self.depth}
        if self.collapsed:
            out["collapsed"] = True
        return out


@dataclass
class Sheet:
    """One tab of a spreadsheet."""

    sheet_id: int
    title: str
    rows: list[Row]
    cols: list[dict[str, Any]]
    hidden: bool = False
    grid: dict[str, Any] = field(default_factory=dict)
    tab_color: dict[str, Any] | None = None
    right_to_left: bool = False
    merges: list[Box] = field(default_factory=list)
    basic_filter: dict[str, Any] | None = None
    groups: list[Group] = field(default_factory=list)

    @classmethod
    def blank(cls, sheet_id: int, title: str, rows: int = 1000, cols: int = 26) -> Sheet:
        return cls(sheet_id, title, [Row() for _ in range(rows)], [{} for _ in range(cols)])

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def col_count(self) -> int:
        return len(self.cols)

    def cell(self, r: int, c: int) -> Cell | None:
        if r >= len(self.rows):
            return None
        return self.rows[r].cells.get(c)

    def put(self, r: int, c: int, cell: Cell | None) -> None:
        """Store a cell (None or an empty cell removes it)."""
        cells = self.rows[r].cells
        if cell is None or cell.empty:
            cells.pop(c, None)
        else:
            cells[c] = cell

    def clone(self) -> Sheet:
        twin = copy.copy(self)
        twin.rows = [row.copy() for row in self.rows]
        twin.cols = [dict(col) for col in self.cols]
        twin.grid = dict(self.grid)
        twin.merges = list(self.merges)
        twin.basic_filter = copy.deepcopy(self.basic_filter)
        twin.groups = [replace(group) for group in self.groups]
        return twin

    def used_rows(self) -> int:
        """1 + index of the last row holding a value (0 when there is none)."""
        for index in range(len(self.rows) - 1, -1, -1):
            if any(not cell.blank for cell in self.rows[index].cells.values()):
                return index + 1
        return 0


@dataclass(frozen=True)
class Location:
    """Where developer metadata is attached."""

    kind: str
    sheet_id: int | None = None
    line: Line | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Location:
        if data.get("dimensionRange"):
            line = Line.from_json(data["dimensionRange"])
            return cls("ROW" if line.dimension == ROWS else "COLUMN", line.sheet_id, line)
        if data.get("sheetId") is not None:
            return cls("SHEET", int(data["sheetId"]))
        return cls("SPREADSHEET")

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"locationType": self.kind}
        if self.kind == "SPREADSHEET":
            out["spreadsheet"] = True
        elif self.kind == "SHEET":
            out["sheetId"] = self.sheet_id
        elif self.line is not None:
            line = self.line.json(with_sheet=False)
            out["dimensionRange"] = {"sheetId": self.line.sheet_id, **line}
        return out


@dataclass
class Metadata:
    """A developer metadata entry."""

    id: int
    key: str | None
    value: str | None
    visibility: str
    location: Location

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"metadataId": self.id}
        if self.key is not None:
            out["metadataKey"] = self.key
        if self.value is not None:
            out["metadataValue"] = self.value
        out["location"] = self.location.json()
        out["visibility"] = self.visibility
        return out


@dataclass
class Protected:
    """A protected range."""

    id: int
    box: Box
    description: str | None = None
    warning_only: bool = False
    editors: dict[str, Any] = field(default_factory=dict)
    unprotected: list[Box] = field(default_factory=list)
    named_range_id: str | None = None


@dataclass
class Named:
    """A named range."""

    id: str
    name: str
    box: Box

    def json(self) -> dict[str, Any]:
        return {"namedRangeId": self.id, "name": self.name, "range": self.box.json()}


@dataclass
class Spreadsheet:
    """A spreadsheet and all its sheets."""

    id: str
    title: str
    sheets: list[Sheet]
    locale: str = "en_US"
    time_zone: str = "Etc/GMT"
    auto_recalc: str = "ON_CHANGE"
    props: dict[str, Any] = field(default_factory=dict)
    metadata: dict[int, Metadata] = field(default_factory=dict)
    protected: list[Protected] = field(default_factory=list)
    named: list[Named] = field(default_factory=list)
    owner: str = ""

    def sheet(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def sheet_titled(self, title: str) -> Sheet | None:
        return next((s for s in self.sheets if s.title == title), None) or next(
            (s for s in self.sheets if s.title.lower() == title.lower()), None
        )

    def clone(self) -> Spreadsheet:
        twin = copy.copy(self)
        twin.sheets = [sheet.clone() for sheet in self.sheets]
        twin.props = copy.deepcopy(self.props)
        twin.metadata = {k: replace(v) for k, v in self.metadata.items()}
        twin.protected = [
            replace(p, editors=copy.deepcopy(p.editors), unprotected=list(p.unprotected)) for p in self.protected
        ]
        twin.named = [replace(n) for n in self.named]
        return twin

    def restore(self, other: Spreadsheet) -> None:
        """Take over another spreadsheet's state (to roll back a failed batch)."""
        self.__dict__.update(other.__dict__)

    # ------------------------------------------------------------ structure

    def insert_lines(self, sheet: Sheet, dimension: str, at: int, count: int, inherit_before: bool = False) -> None:
        """Insert ``count`` rows or columns before index ``at``."""
        if dimension == ROWS:
            source_index = at - 1 if inherit_before else at
            template = sheet.rows[source_index] if 0 <= source_index < sheet.row_count else None
            new_rows = [_inherited_row(template) for _ in range(count)]
            sheet.rows[at:at] = new_rows
        else:
            source_index = at - 1 if inherit_before else at
            template_col = sheet.cols[source_index] if 0 <= source_index < sheet.col_count else {}
            sheet.cols[at:at] = [_inherited_props(template_col) for _ in range(count)]
            for row in sheet.rows:
                if row.cells and max(row.cells) >= at:
                    row.cells = {(c + count if c >= at else c): cell for c, cell in row.cells.items()}
        self._move(sheet, dimension, insert_move(at, count))

    def delete_lines(self, sheet: Sheet, dimension: str, d0: int, d1: int) -> None:
        """Delete rows or columns [d0, d1)."""
        if dimension == ROWS:
            del sheet.rows[d0:d1]
        else:
            del sheet.cols[d0:d1]
            width = d1 - d0
            for row in sheet.rows:
                if row.cells and max(row.cells) >= d0:
                    row.cells = {
                        (c - width if c >= d1 else c): cell for c, cell in row.cells.items() if not d0 <= c < d1
                    }
        self._move(sheet, dimension, delete_move(d0, d1))

    def permute_rows(self, sheet: Sheet, r0: int, c0: int, c1: int, order: list[int]) -> None:
        """Reorder rows r0.. so that new row r0+i holds old row order[i] (columns c0:c1)."""
        originals = [dict(sheet.rows[old].cells) for old in order]
        for offset, cells in enumerate(originals):
            target = sheet.rows[r0 + offset].cells
            for c in [c for c in target if c0 <= c < c1]:
                del target[c]
            for c, cell in cells.items():
                if c0 <= c < c1:
                    target[c] = cell
        mapping = {old: r0 + offset for offset, old in enumerate(order) if old != r0 + offset}
        if mapping:
            self._move(sheet, ROWS, permute_move(mapping), metadata_only=True)

    def resize(self, sheet: Sheet, rows: int | None, cols: int | None) -> None:
        """Set the grid size; shrinking deletes lines at the end."""
        if rows is not None:
            if rows < sheet.row_count:
                self.delete_lines(sheet, ROWS, rows, sheet.row_count)
            elif rows > sheet.row_count:
                sheet.rows.extend(Row() for _ in range(rows - sheet.row_count))
        if cols is not None:
            if cols < sheet.col_count:
                self.delete_lines(sheet, COLUMNS, cols, sheet.col_count)
            elif cols > sheet.col_count:
                sheet.cols.extend({} for _ in range(cols - sheet.col_count))

    def drop_sheet(self, sheet: Sheet) -> None:
        """Remove a sheet and everything anchored to it."""
        self.sheets.remove(sheet)
        sid = sheet.sheet_id
        self.metadata = {k: m for k, m in self.metadata.items() if m.location.sheet_id != sid}
        self.protected = [p for p in self.protected if p.box.sheet_id != sid]
        self.named = [n for n in self.named if n.box.sheet_id != sid]

    def _move(self, sheet: Sheet, dimension: str, move: SpanMove, metadata_only: bool = False) -> None:
        sid = sheet.sheet_id
        kept: dict[int, Metadata] = {}
        for key, meta in self.metadata.items():
            line = meta.location.line
            if line is not None and line.sheet_id == sid:
                moved = line.moved(dimension, move)
                if moved is None:
                    continue
                meta.location = replace(meta.location, line=moved)
            kept[key] = meta
        self.metadata = kept
        if metadata_only:
            return
        self.protected = [p for p in self.protected if _move_protected(p, sid, dimension, move)]
        self.named = [n for n in self.named if _move_named(n, sid, dimension, move)]
        sheet.merges = [m for m in (b.moved(dimension, move) for b in sheet.merges) if m is not None]
        if sheet.basic_filter is not None:
            moved_box = sheet.basic_filter["range"].moved(dimension, move)
            if moved_box is None:
                sheet.basic_filter = None
            else:
                sheet.basic_filter["range"] = moved_box
        groups = []
        for group in sheet.groups:
            line = group.line.moved(dimension, move)
            if line is not None:
                group.line = line
                groups.append(group)
        sheet.groups = groups


def _move_protected(item: Protected, sheet_id: int, dimension: str, move: SpanMove) -> bool:
    if item.box.sheet_id != sheet_id:
        return True
    box = item.box.moved(dimension, move)
    if box is None:
        return False
    item.box = box
    item.unprotected = [b for b in (u.moved(dimension, move) for u in item.unprotected) if b is not None]
    return True


def _move_named(item: Named, sheet_id: int, dimension: str, move: SpanMove) -> bool:
    if item.box.sheet_id != sheet_id:
        return True
    box = item.box.moved(dimension, move)
    if box is None:
        return False
    item.box = box
    return True


def _inherited_props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k == "pixelSize"}


def _inherited_row(template: Row | None) -> Row:
    """A new row taking formatting (not values) from a neighbour, like Sheets."""
    if template is None:
        return Row()
    cells = {c: Cell(fmt=cell.fmt, rule=cell.rule) for c, cell in template.cells.items() if cell.fmt or cell.rule}
    return Row(cells, _inherited_props(template.props))
