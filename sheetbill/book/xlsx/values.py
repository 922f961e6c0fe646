"""The values that go in and out of a sheet, and the shapes that carry them.

Reading yields `Value`: `str`, `Decimal` (from the cell's own text, never
through float; a `Percent`, the Decimal subclass, under a percent format),
`date` / `datetime` (numbers under a date or time format),
`bool`, `CellError`, `FormulaNoValue`, or `None` for an empty cell. An
empty string reads as `None`.

Writing takes `WriteValue`: `str` (always stored as text, even `=1+1`),
`Decimal` or `int` (a number, written from its own text), `date`,
`datetime` (naive, kept to the millisecond), `bool`, or `None` (clears
the cell). Money style is asked for per column with `SheetEdit.money_columns`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ..markers import CellError, FormulaNoValue, WriteValue


Value = str | Decimal | date | datetime | bool | CellError | FormulaNoValue | None
Row = tuple[int, tuple[Value, ...]]


@dataclass(frozen=True, slots=True)
class SheetValues:
    """The cells of one worksheet.

    `rows` holds `(row number, values)` pairs in row order: row numbers are
    1-based, values are by 0-based column with trailing `None`s trimmed,
    and rows without any value are left out. `max_row` is the last row that
    holds a value, a formula or an inline string (0 for an empty sheet):
    `SheetEdit.appends` start right after it.
    """

    rows: list[Row]
    max_row: int


@dataclass(frozen=True, slots=True)
class Workbook:
    """What `read_sheets` found: every sheet's name in workbook order, which
    are hidden, the last editor's name, and the values of the sheets asked for."""

    sheet_names: tuple[str, ...]
    hidden: frozenset[str]
    last_modified_by: str | None
    date1904: bool
    sheets: Mapping[str, SheetValues]
    fingerprints: Mapping[str, str] = field(default_factory=dict)  # sheet -> CRC and size of its part


@dataclass(frozen=True)
class SheetEdit:
    """The changes to one existing worksheet.

    `updates` maps `(1-based row, 0-based column)` to the value to write.
    `appends` are whole rows written, in order, right after the sheet's last
    used row (`SheetValues.max_row`), starting at column 0. Decimals and ints
    written to a column in `money_columns` (0-based) get the money format
    `#,##0.00` unless the cell already has a number format of its own.
    """

    updates: Mapping[tuple[int, int], WriteValue] = field(default_factory=dict)
    appends: Sequence[Sequence[WriteValue]] = ()
    money_columns: frozenset[int] = frozenset()


@dataclass(frozen=True)
class NewSheet:
    """A worksheet added after the last sheet, with a bold header row."""

    name: str
    header: Sequence[str]
    hidden: bool = False
