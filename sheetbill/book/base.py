"""What every workbook adapter offers the worker, and what it hands back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ContextManager, Generic, Iterable, Iterator, Mapping, Protocol, TypeVar

from ..core.changes import CellWrite, Changes, RowAppend
from ..core.model import Invoice
from .cache import Cache
from .table import Table

if TYPE_CHECKING:
    from .state import Texts


Version = TypeVar("Version")  # each backend's own marker on its snapshots (file stamp, sheet layout)


@dataclass(frozen=True)
class Snapshot(Generic[Version]):
    """Every tab the cycle needs, read at one moment (or as a commit left them: see `Committed`).
    Nothing changes a snapshot once made; a commit hands back a new one."""

    tables: dict[str, Table]  # by tab key: "sessions", "invoices", ...
    state: dict[str, str]  # the hidden _sheetbill tab's Key -> Value
    editor: str | None  # who last changed the file, where the backend knows
    version: Version  # the backend's marker to detect a change behind our back
    texts: Texts | None = None  # the rows as text, kept by the worker
    fingerprints: dict[str, str] = field(default_factory=dict)  # tab key -> content fingerprint, where known


@dataclass(frozen=True)
class Committed(Generic[Version]):
    """What a commit did: the row of each appended (tab, key), and the snapshot as it stands
    after the commit (its state, tables, texts and the backend's marker)."""

    rows: Mapping[tuple[str, str], int]
    snapshot: Snapshot[Version]

    def placed(self, invoices: Iterable[Invoice]) -> list[Invoice]:
        """`invoices`, those this commit appended in the rows it gave them (the others stay where they are)."""
        rows = self.rows
        return [i.in_row(rows[("invoices", i.invoice_no)]) if ("invoices", i.invoice_no) in rows else i
                for i in invoices]


class Book(Protocol[Version]):
    """A workbook backend (Excel file, Google Sheet); `Version` is its marker on a snapshot."""

    label: str
    cache: Cache  # see book/cache.py (Cache(None) where the backend keeps none)

    def fingerprint(self) -> str | None:
        """A cheap digest of the whole workbook's content, or None where there is none."""

    def lease(self) -> ContextManager[None]:
        """Hold the workbook for one cycle; WorkbookBusy if someone else does."""

    def hold(self) -> bool:
        """Whether this worker still holds the workbook (asked before each email goes out)."""

    def read(self, history: bool = False) -> Snapshot[Version]:
        """Read every tab in one go; the Changelog's rows only with `history`."""

    def commit(self, snapshot: Snapshot[Version], changes: Changes) -> Committed[Version]:
        """Write the cells, rows and state of `changes` atomically (their `log` is written by
        CycleBook as Changelog rows); `snapshot` is left as it was."""


def with_state(tables: Mapping[str, "Table"], changes: Changes) -> Changes:
    """The cells and rows of `changes`, with `state` turned into cells and rows of the _sheetbill tab."""
    if not changes.state:
        return Changes(changes.cells, changes.rows)
    from . import cells

    table = tables["state"]
    at = {cells.text(table.get(v, "key")): r for r, v in table.rows}
    writes, appends = list(changes.cells), list(changes.rows)
    for key, value in changes.state.items():
        if key in at:
            writes.append(CellWrite("state", at[key], key, "value", None, value))
        else:
            appends.append(RowAppend("state", key, {"key": key, "value": value}))
    return Changes(tuple(writes), tuple(appends))


def next_rows(tables: Mapping[str, "Table"], changes: Changes) -> Placed:
    """Where each appended row lands: after the last used row of its tab, in order."""
    keys: dict[str, list[str]] = {}
    for a in changes.rows:
        found = keys.get(a.tab)
        if found is None:
            found = keys[a.tab] = []
        found.append(a.key)
    by_tab: dict[str, dict[str, int]] = {}
    for tab, appended in keys.items():
        first = tables[tab].last_row + 1
        by_tab[tab] = dict(zip(appended, range(first, first + len(appended))))  # a key appended twice: its last row
    return Placed(by_tab)


class Placed(Mapping[tuple[str, str], int]):
    """(tab, key) -> the row an appended row lands in, kept per tab (a first cycle appends
    hundreds of thousands of rows: no pair is made for each)."""

    def __init__(self, by_tab: dict[str, dict[str, int]]) -> None:
        self.by_tab = by_tab

    def __getitem__(self, at: tuple[str, str]) -> int:
        return self.by_tab[at[0]][at[1]]

    def __contains__(self, at: object) -> bool:
        return isinstance(at, tuple) and len(at) == 2 and at[1] in self.by_tab.get(at[0], {})

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((tab, key) for tab, keys in self.by_tab.items() for key in keys)

    def __len__(self) -> int:
        return sum(len(keys) for keys in self.by_tab.values())
