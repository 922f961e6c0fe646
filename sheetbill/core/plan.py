"""A plan: everything one cycle will write, computed without any I/O, and what the
planners found on the way (new invoices, problems, sessions waiting for their day).
Its writes are `changes` (see changes.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .changes import CellWrite, Changes, RowAppend
from .model import Invoice
from .record import record

__all__ = ["CellWrite", "Plan", "RowAppend", "RowProblem"]


@record
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
    def changes(self) -> Changes:
        """What the plan writes: its cells and rows."""
        return Changes.of(self.writes, self.appends)

    @property
    def empty(self) -> bool:
        return not self.appends and not self.writes
