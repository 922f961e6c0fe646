"""What one commit writes: cells of existing rows, new rows, worker state and
Changelog entries, together or not at all.

Tabs and fields are named by their canonical keys (`sessions`,
`invoice_no`); the book maps them to the admin's headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Mapping

if TYPE_CHECKING:
    from .changelog import Change


@dataclass(frozen=True, slots=True)
class CellWrite:
    """Set one cell of an existing row. `key` is the row's identity (Session ID,
    Invoice No...) so the writer can check the row did not move since the read."""

    tab: str
    row: int
    key: str
    field: str
    before: object
    after: object


@dataclass(frozen=True, slots=True)
class RowAppend:
    """Add one row at the end of a tab."""

    tab: str
    key: str
    values: Mapping[str, object]


@dataclass(frozen=True)
class Changes:
    """One commit's changes. `state`: entries of the hidden _sheetbill tab (key -> value);
    `log`: Changelog entries written before those the commit makes of its cells and rows."""

    cells: tuple[CellWrite, ...] = ()
    rows: tuple[RowAppend, ...] = ()
    state: Mapping[str, str] = field(default_factory=dict)
    log: tuple[Change, ...] = ()

    @classmethod
    def of(cls, cells: Iterable[CellWrite] = (), rows: Iterable[RowAppend] = (),
           state: Mapping[str, str] | None = None, log: Iterable[Change] = ()) -> Changes:
        """From any iterables (lists, tuples) and a state that may be None."""
        return cls(tuple(cells), tuple(rows), dict(state or {}), tuple(log))

    def __add__(self, other: Changes) -> Changes:
        """Both, in order; where both set a state entry, `other`'s value stands."""
        state = {**self.state, **other.state} if other.state else self.state
        return Changes.of(self.cells + other.cells, self.rows + other.rows, state, self.log + other.log)

    @property
    def empty(self) -> bool:
        return not (self.cells or self.rows or self.state or self.log)


EMPTY = Changes()
