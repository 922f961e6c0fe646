"""Cell values between the Sheets API and the book.

Reading takes a CellData's `effectiveValue` (what the cell holds, formulas
computed): numbers arrive as Decimal from the answer's own digits, errors
become `CellError`. Formats are not read (a formatted column would send a
format for every empty row of the grid): a serial number in a date column
becomes a `date` (`dates`), as the Excel reader gives it, and a number whose
`formattedValue` (the text the cell shows, sent for cells that hold something
only) has a percent sign is a `Percent`: `10%` is stored as 0.1.

Writing makes CellData for `updateCells`: text always as `stringValue` (a
client's `=HYPERLINK(...)` stays text, as RAW input would keep it), numbers
as `numberValue`, dates as serial numbers under a date format, money under
the money format `init` uses.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ..formats import FORMATS
from ..markers import CellError, Percent

EPOCH = datetime(1899, 12, 30)
ERRORS = {"ERROR": "#ERROR!", "NULL_VALUE": "#NULL!", "DIVIDE_BY_ZERO": "#DIV/0!", "VALUE": "#VALUE!",
          "REF": "#REF!", "NAME": "#NAME?", "NUM": "#NUM!", "N_A": "#N/A", "LOADING": "#LOADING!"}
DATE_FORMAT = {"type": "DATE", "pattern": FORMATS["date"]}
DATETIME_FORMAT = {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm"}
MONEY_FORMAT = {"type": "NUMBER", "pattern": FORMATS["money"]}
PERCENT_SIGNS = ("%", "\u066a", "\uff05")  # as a PERCENT format shows it: 10%, 10 %, %10; Arabic, full-width


def read(cell: dict[str, Any]) -> object:
    """The value of one CellData (None for an empty cell or empty text)."""
    value = cell.get("effectiveValue")
    if not value:
        return None
    if "stringValue" in value:
        return value["stringValue"] or None
    if "numberValue" in value:
        number = value["numberValue"]
        if not isinstance(number, Decimal):
            number = Decimal(number)
        shown = cell.get("formattedValue")
        if shown and any(sign in shown for sign in PERCENT_SIGNS):
            return Percent(number)
        return number
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "errorValue" in value:
        return CellError(ERRORS.get(value["errorValue"].get("type", ""), "#ERROR!"))
    return None


def dates(rows: list[tuple[int, tuple[object, ...]]], kinds: dict[int, str]) -> list[tuple[int, tuple[object, ...]]]:
    """The rows with serial numbers in `date` / `datetime` columns (by column index) as dates."""
    if not kinds:
        return rows
    out = []
    for row, cells in rows:
        if any(isinstance(cells[c], Decimal) for c in kinds if c < len(cells)):
            cells = tuple(_moment(v, kinds[c]) if c in kinds and isinstance(v, Decimal) else v
                          for c, v in enumerate(cells))
        out.append((row, cells))
    return out


def _moment(number: Decimal, kind: str) -> object:
    if not 0 <= number < 2958466:
        return number
    moment = EPOCH + timedelta(days=int(number), milliseconds=round((number % 1) * 86_400_000))
    return moment.date() if kind == "date" else moment


def serial(value: date | datetime) -> Decimal:
    """The spreadsheet serial number of a day (or moment, to the millisecond)."""
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None) - EPOCH
        return Decimal(delta.days) + Decimal(delta.seconds * 1000 + delta.microseconds // 1000) / 86_400_000
    return Decimal((value - EPOCH.date()).days)


def cell(kind: str, value: object) -> tuple[dict[str, Any], bool]:
    """The CellData that writes `value` into a column of `kind`, and whether it
    carries a number format."""
    if value is None:
        return {}, False
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}, False
    if isinstance(value, datetime):
        return _number(serial(value), DATETIME_FORMAT), True
    if isinstance(value, date):
        return _number(serial(value), DATE_FORMAT), True
    if isinstance(value, (Decimal, int)):
        if kind == "money":
            return _number(Decimal(value), MONEY_FORMAT), True
        return {"userEnteredValue": {"numberValue": float(value)}}, False
    return {"userEnteredValue": {"stringValue": str(value)}}, False


def _number(number: Decimal, fmt: dict[str, str]) -> dict[str, Any]:
    return {"userEnteredValue": {"numberValue": float(number)}, "userEnteredFormat": {"numberFormat": dict(fmt)}}
