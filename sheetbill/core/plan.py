"""A plan: everything one cycle will write, computed without any I/O.

Tabs and fields are named by their canonical keys (`sessions`,
`invoice_no`); the book maps them to the admin's headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from .model import Invoice


@dataclass(frozen=True)
class CellWrite:
    """Set one cell of an existing row. `key` is the row's identity (Session ID,
    Invoice No...) so the writer can check the row did not move since the read."""

    tab: str
    row: int
    key: str
    field: str
    before: object
    after: object


@dataclass(frozen=True)
class RowAppend:
    """Add one row at the end of a tab."""

    tab: str
    key: str
    values: Mapping[str, object]


@dataclass(frozen=True)
class RowProblem:
    """A row that cannot be processed, with the sentence shown next to it."""

    tab: str
    row: int
    key: str
    message: str


@dataclass(frozen=True)
class Plan:
    appends: tuple[RowAppend, ...] = ()
    writes: tuple[CellWrite, ...] = ()
    new_invoices: tuple[Invoice, ...] = ()
    problems: tuple[RowProblem, ...] = ()
    waiting: tuple[str, ...] = field(default=())  # session ids billed once their day is over

    @property
    def empty(self) -> bool:
        return not self.appends and not self.writes
