"""The two cell values that are neither text nor a number, shared by every
workbook backend: an error shown in the cell, and a formula without a saved
result; and what a backend may write to a cell."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

WriteValue = str | Decimal | int | date | datetime | bool | None


@dataclass(frozen=True, slots=True)
class CellError:
    """A cell showing an error such as `#N/A` or `#REF!`."""

    code: str


@dataclass(frozen=True, slots=True)
class FormulaNoValue:
    """A formula cell whose result was never saved with the file.

    `formula` is the formula text without the leading `=`; it is empty for
    the dependent cells of a shared formula, which carry no text of their own.
    """

    formula: str
