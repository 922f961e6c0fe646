"""Grid ranges and how they move when rows or columns are inserted, deleted or sorted.

Every index range the fake keeps (developer metadata locations, protected
and named ranges, merges, filters, groups) goes through these functions, so
all of them follow structural edits the same way Google's do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

Span = tuple[int | None, int | None]
SpanMove = Callable[[int | None, int | None], Span | None]

ROWS, COLUMNS = "ROWS", "COLUMNS"


def insert_move(at: int, count: int) -> SpanMove:
    """How a [start, end) span moves when ``count`` lines are inserted at ``at``."""

    def move(start: int | None, end: int | None) -> Span:
        if start is not None and start >= at:
            start += count
        if end is not None and end > at:
            end += count
        return start, end

    return move


def delete_move(d0: int, d1: int) -> SpanMove:
    """How a span moves when lines [d0, d1) are deleted; None when it vanishes."""
    count = d1 - d0

    def index(i: int) -> int:
        if i <= d0:
            return i
        return d0 if i < d1 else i - count

    def move(start: int | None, end: int | None) -> Span | None:
        new_start = index(start) if start is not None else None
        new_end = index(end) if end is not None else None
        if new_start is not None and new_end is not None and new_start >= new_end:
            return None
        return new_start, new_end

    return move


def permute_move(mapping: dict[int, int]) -> SpanMove:
    """How a span moves when single lines are reordered (old index -> new index).

    A one-line span follows its line; wider spans stay where they are.
    """

    def move(start: int | None, end: int | None) -> Span:
        if start is not None and end == start + 1 and start in mapping:
            new = mapping[start]
            return new, new + 1
        return start, end

    return move


@dataclass(frozen=True)
class Box:
    """A GridRange: sheet id plus optional row/column bounds (exclusive ends)."""

    sheet_id: int
    r0: int | None = None
    r1: int | None = None
    c0: int | None = None
    c1: int | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Box:
        return cls(
            int(data.get("sheetId") or 0),
            _opt(data.get("startRowIndex")),
            _opt(data.get("endRowIndex")),
            _opt(data.get("startColumnIndex")),
            _opt(data.get("endColumnIndex")),
        )

    def json(self) -> dict[str, Any]:
        """GridRange JSON as Google prints it (sheetId 0 is omitted)."""
        out: dict[str, Any] = {}
        if self.sheet_id:
            out["sheetId"] = self.sheet_id
        for key, value in (
            ("startRowIndex", self.r0),
            ("endRowIndex", self.r1),
            ("startColumnIndex", self.c0),
            ("endColumnIndex", self.c1),
        ):
            if value is not None:
                out[key] = value
        return out

    def moved(self, dimension: str, move: SpanMove) -> Box | None:
        if dimension == ROWS:
            span = move(self.r0, self.r1)
            return None if span is None else replace(self, r0=span[0], r1=span[1])
        span = move(self.c0, self.c1)
        return None if span is None else replace(self, c0=span[0], c1=span[1])

    def bounded(self, rows: int, cols: int) -> tuple[int, int, int, int]:
        """Concrete (r0, r1, c0, c1) with open sides filled from the grid size."""
        r0 = self.r0 or 0
        c0 = self.c0 or 0
        r1 = rows if self.r1 is None else self.r1
        c1 = cols if self.c1 is None else self.c1
        return r0, r1, c0, c1

    def intersects(self, other: Box) -> bool:
        if self.sheet_id != other.sheet_id:
            return False
        big = 1 << 30
        a = self.bounded(big, big)
        b = other.bounded(big, big)
        return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


@dataclass(frozen=True)
class Line:
    """A DimensionRange: a run of rows or columns on one sheet."""

    sheet_id: int
    dimension: str
    start: int | None = None
    end: int | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Line:
        return cls(
            int(data.get("sheetId") or 0),
            data.get("dimension") or ROWS,
            _opt(data.get("startIndex")),
            _opt(data.get("endIndex")),
        )

    def json(self, with_sheet: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if with_sheet and self.sheet_id:
            out["sheetId"] = self.sheet_id
        out["dimension"] = self.dimension
        if self.start is not None:
            out["startIndex"] = self.start
        if self.end is not None:
            out["endIndex"] = self.end
        return out

    def moved(self, dimension: str, move: SpanMove) -> Line | None:
        if dimension != self.dimension:
            return self
        span = move(self.start, self.end)
        return None if span is None else replace(self, start=span[0], end=span[1])

    def box(self) -> Box:
        if self.dimension == ROWS:
            return Box(self.sheet_id, self.start, self.end, None, None)
        return Box(self.sheet_id, None, None, self.start, self.end)


def _opt(value: Any) -> int | None:
    return None if value is None else int(value)
