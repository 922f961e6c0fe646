"""What one commit writes: cells of existing rows, new rows, worker state and
Changelog entries, together or not at all.

Tabs and fields are named by their canonical keys (`sessions`,
`invoice_no`); the book maps them to the admin's headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import ItemsView, Iterator
from typing import TYPE_CHECKING, Callable, Iterable, Mapping

from .record import record

if TYPE_CHECKING:
    from .changelog import Change


@record
class CellWrite:
    """Set one cell of an existing row. `key` is the row's identity (Session ID,
    Invoice No...) so the writer can check the row did not move since the read."""

    tab: str
    row: int
    key: str
    field: str
    before: object
    after: object


class Fields(Mapping[str, object]):
    """A row's values by field, over field names every row of its kind shares (`Fields.of`):
    a dict for each costs several times as much, and a first cycle makes hundreds of
    thousands of rows."""

    __slots__ = ("_names", "_at", "_values")

    def __init__(self, names: tuple[str, ...], at: Mapping[str, int], values: tuple[object, ...]) -> None:
        self._names, self._at, self._values = names, at, values

    @staticmethod
    def of(*names: str) -> Callable[..., Fields]:
        """Rows of these fields: `Fields.of("a", "b")(1, 2)` reads as {"a": 1, "b": 2}."""
        at = {name: i for i, name in enumerate(names)}
        return lambda *values: Fields(names, at, values)

    def __getitem__(self, name: str) -> object:
        return self._values[self._at[name]]

    def names_and_values(self) -> tuple[tuple[str, ...], tuple[object, ...]]:
        """The field names (the same tuple for every row `Fields.of` made) and the values, in order."""
        return self._names, self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def items(self) -> ItemsView[str, object]:
        return _FieldItems(self)


def names_and_values(values: Mapping[str, object]) -> tuple[tuple[str, ...], tuple[object, ...]]:
    """A row's field names and values, in order (for a `Fields` row, without a dict made)."""
    if isinstance(values, Fields):
        return values.names_and_values()
    return tuple(values), tuple(values.values())


class _FieldItems(ItemsView[str, object]):
    def __init__(self, row: Fields) -> None:
        super().__init__(row)
        self.row = row

    def __iter__(self) -> Iterator[tuple[str, object]]:
        return zip(self.row._names, self.row._values)


@record
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
