"""Where the rows of one snapshot are in the spreadsheet now.

The worker keeps planning in the row numbers of its read (the snapshot's
"logical" rows). The book keeps, per tab, the tag of each row it writes to
and where each tag physically is, the row where its next append lands, and
the END tag. After people moved rows, only these places change; the
snapshot, and the worker, never notice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from .grid import Read, SheetGrid


@dataclass
class TabPlace:
    title: str
    sheet_id: int | None  # None: the tab does not exist yet
    row_count: int = 0
    col_count: int = 0
    tag_of: dict[int, int] = field(default_factory=dict)  # logical row -> tag id
    where: dict[int, int] = field(default_factory=dict)  # tag id -> physical row
    end: tuple[int, int] | None = None  # (END tag id, physical row)
    last: tuple[int, int] | None = None  # (LAST tag id, physical row): the Changelog's last row
    append_at: int = 2  # physical row of the next append
    moved: bool = False  # rows moved since the read: untagged rows' places are unknown
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # (logical row, column) -> a format to keep

    @classmethod
    def of(cls, grid: SheetGrid) -> "TabPlace":
        place = cls(grid.title, grid.sheet_id, grid.row_count, grid.col_count, end=grid.end, last=grid.last,
                    append_at=max(grid.last_row, 1) + 1, formats=grid.formats)
        for row, tag in grid.tags.items():
            place.tag_of[row] = tag
            place.where[tag] = row
        return place

    def physical(self, row: int) -> int | None:
        """Where logical `row` is now (the header row never moves); None if unknown."""
        if row == 1:
            return 1
        tag = self.tag_of.get(row)
        if tag is not None:
            return self.where.get(tag)
        return None if self.moved else row

    def follow(self, fresh: SheetGrid) -> None:
        """Take the places of a new read of this tab (a tag that is gone has no place any more)."""
        now = {tag: row for row, tag in fresh.tags.items()}
        self.moved = self.moved or any(now.get(tag) != row for tag, row in self.where.items())
        self.where = {tag: now[tag] for tag in self.where if tag in now}
        self.moved = self.moved or fresh.end != self.end or max(fresh.last_row, 1) + 1 != self.append_at
        self.end, self.last, self.row_count, self.col_count = fresh.end, fresh.last, fresh.row_count, fresh.col_count
        self.append_at = max(fresh.last_row, 1) + 1


@dataclass
class Layout:
    """The adapter's marker on a snapshot (`Snapshot.version`)."""

    tabs: dict[str, TabPlace]  # by tab key
    ids: set[int]  # developer metadata ids in use
    rng: random.Random = field(default_factory=random.Random)

    @classmethod
    def of(cls, read: Read, names: dict[str, str], rng: random.Random) -> "Layout":
        tabs = {}
        for key, name in names.items():
            grid = read.sheets.get(name)
            tabs[key] = TabPlace.of(grid) if grid is not None else TabPlace(name, None)
        return cls(tabs, set(read.metadata), rng)

    def copy(self) -> "Layout":
        """A copy to change as a commit learns where rows are (the same source of new ids)."""
        tabs = {k: replace(p, tag_of=dict(p.tag_of), where=dict(p.where), formats=dict(p.formats))
                for k, p in self.tabs.items()}
        return Layout(tabs, set(self.ids), self.rng)

    def new_id(self) -> int:
        """A positive 31-bit id no metadata (or sheet) of the spreadsheet uses."""
        while True:
            candidate = self.rng.randint(1, 2**31 - 1)
            if candidate not in self.ids:
                self.ids.add(candidate)
                return candidate
