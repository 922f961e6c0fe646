"""The cell values every workbook backend shares beyond text, numbers and dates:
an error shown in the cell, a formula without a saved result, and a number
shown as a percentage (through a percent format, or beside a sign its format adds); and what a backend may write to a cell."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

WriteValue = str | Decimal | int | date | datetime | bool | None


class Percent(Decimal):
    """A number under a percent format: the 0.125 of a cell that shows 12.5%.

    Excel and Google Sheets store a cell typed as `10%` as the number 0.1 and show it
    through its format; readers hand such a number in as a Percent so that a column
    where a plain 0.5 means something else (Discount: 0.50 off) can tell the two apart.
    It is a Decimal for everything else: arithmetic on it gives plain Decimals, it
    compares, hashes and prints as the number it holds."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Percent('{self}')"


class PercentSign(Decimal):
    """A number whose format adds a percent sign as text (`0"%"`, `0\\%`): the 10 of a
    cell that shows 10%. Unlike a `Percent`, the number is the percentage itself: a
    person who formats a Discount so that typing 10 shows `10%` means 10 %. A Decimal
    for everything else, as `Percent` is."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"PercentSign('{self}')"


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
