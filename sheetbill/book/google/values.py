"""Cell values between the Sheets API and the book.

Reading takes a CellData's `effectiveValue` (what the cell holds, formulas
computed): numbers arrive as Decimal from the answer's own digits, errors
become `CellError`. Formats are not read (a formatted column would send a
format for every empty row of the grid): a serial number in a date column
becomes a `date` (`dates`), as the Excel reader gives it, and a number whose
`formattedValue` (the text the cell shows, sent for cells that hold something
only) shows it times 100 beside a percent sign is a `Percent`: `10%` is stored
as 0.1. A format that only adds the sign as text (`0"%"`, `0\\%`) shows 10 as
`10%`: that cell holds 10 and is a `PercentSign`, as the Excel reader reads it.
The same text tells a number format of the admin's (a currency, a date shown
`21.11.2026`) that a write into the cell keeps (`own_format`).

Writing makes CellData for `updateCells`: text always as `stringValue` (a
client's `=HYPERLINK(...)` stays text, as RAW input would keep it), numbers
as `numberValue`, dates as serial numbers under a date format, money under
the money format `init` uses (unless the cell has a format of its own).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Context, Decimal
from typing import Any

from ..formats import FORMATS
from ..markers import CellError, Percent, PercentSign

EPOCH = datetime(1899, 12, 30)
ERRORS = {"ERROR": "#ERROR!", "NULL_VALUE": "#NULL!", "DIVIDE_BY_ZERO": "#DIV/0!", "VALUE": "#VALUE!",
          "REF": "#REF!", "NAME": "#NAME?", "NUM": "#NUM!", "N_A": "#N/A", "LOADING": "#LOADING!"}
DATE_FORMAT = {"type": "DATE", "pattern": FORMATS["date"]}
DATETIME_FORMAT = {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm"}
MONEY_FORMAT = {"type": "NUMBER", "pattern": FORMATS["money"]}
PERCENT_SIGNS = ("%", "\u066a", "\uff05")  # as a PERCENT format shows it: 10%, 10 %, %10; Arabic, full-width
_DECIMAL_MARKS = ".,\u066b"  # the locales' decimal separators; each also groups digits somewhere
_GROUP_MARKS = "'\u2019 \u00a0\u202f\u2009\u066c"  # separators that only ever group digits
_SEPARATOR = re.compile(f"[{_DECIMAL_MARKS}{_GROUP_MARKS}]")
_SHOWN_NUMBER = re.compile(rf"(\d(?:{_SEPARATOR.pattern}?\d)*)(?:[eE]([+-]?\d+))?")  # 1 234,5 or 1.25E+01
_SHOWN_DIGITS = Context(prec=15)  # a spreadsheet shows at most 15 significant digits of a number


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
        if shown and any(sign in shown for sign in PERCENT_SIGNS) and number.is_finite():
            if shows(number * 100, shown):
                return Percent(number)
            if shows(number, shown):
                return PercentSign(number)
        return number
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "errorValue" in value:
        return CellError(ERRORS.get(value["errorValue"].get("type", ""), "#ERROR!"))
    return None


# a number shown as digits alone (65, 58.5, 1,234.50: no format, or one like the worker's), or a date
# as the worker shows it (2026-11-21): no format of its own to keep
_PLAIN = re.compile(r"-?[\d,]*\d(?:\.\d+)?|\d{4}-\d{2}-\d{2}")
NUMBER_TYPES = frozenset({"NUMBER", "CURRENCY", "PERCENT", "SCIENTIFIC"})
DATE_TYPES = frozenset({"DATE", "TIME", "DATE_TIME"})


def own_format(cell: dict[str, Any]) -> str | None:
    """The number format of its own that a write into this cell keeps, as the Excel book keeps a
    cell's style: "number" (a currency such as `€65.00`) for money, "date" (`21.11.2026`) for a
    date; None where there is none, or one that shows no more than the worker's own formats.

    Where the answer holds the cell's format (`userEnteredFormat.numberFormat`, asked of the rows
    tagged before their first write, empty cells included), its type says; otherwise the text a
    number is shown as does: digits alone (`65`, `1,234.50`) or an ISO date show nothing the
    worker's formats would not; a text that shows the number is a number format (a currency); any
    other (`21.11.2026`) is a date's."""
    number_format = (cell.get("userEnteredFormat") or {}).get("numberFormat")
    if number_format:
        kind = number_format.get("type")
        return "number" if kind in NUMBER_TYPES else "date" if kind in DATE_TYPES else None
    shown = cell.get("formattedValue")
    if not shown or _PLAIN.fullmatch(shown):
        return None
    value = (cell.get("effectiveValue") or {}).get("numberValue")
    if value is None:
        return None
    number = value if isinstance(value, Decimal) else Decimal(value)
    if not number.is_finite():
        return None
    return "number" if shows(number, shown) else "date"


def shows(number: Decimal, shown: str) -> bool:
    """Whether `shown` (a cell's text) shows `number`: asked of a text with a percent sign
    for the number times 100, as a percent format shows it (0.125 as `12.5%`, `13%`,
    `12,5 %`), then for the number itself, beside a sign its format adds as text (10 as
    `10%` under `0"%"`).

    Any number in the text counts, read in every way its separators allow (`1,000` is
    1.000 or 1000; `12,5` is 12.5); it matches when it lies within half a unit of its
    last shown digit of `number` (taken to the 15 digits a spreadsheet shows), the most a
    display rounds by. The two readings of one cell differ a hundredfold, far beyond
    that, except for a number near zero, where percentage and number are both nothing.
    A text with no number in it shows none."""
    target = abs(_SHOWN_DIGITS.plus(number))
    for match in _SHOWN_NUMBER.finditer(shown):
        for value, unit in _readings(match.group(1), match.group(2)):
            if abs(value - target) * 2 <= unit:
                return True
    return False


def _readings(digits: str, exponent: str | None) -> list[tuple[Decimal, Decimal]]:
    """The numbers a run of digits and separators may show, each with its last digit's unit:
    the last `.`, `,` or Arabic `\u066b` as the decimal separator, if it appears only once; or every
    separator grouping digits (in threes, or Indian twos ending in a three)."""
    groups = _SEPARATOR.split(digits)
    marks = _SEPARATOR.findall(digits)
    scale = int(exponent) if exponent else 0
    out: list[tuple[Decimal, int]] = []
    if marks and marks[-1] in _DECIMAL_MARKS and marks.count(marks[-1]) == 1:
        out.append((Decimal(f"{''.join(groups[:-1])}.{groups[-1]}"), len(groups[-1])))
    if len(groups) == 1 or (all(len(g) in (2, 3) for g in groups[1:]) and len(groups[-1]) == 3):
        out.append((Decimal("".join(groups)), 0))
    return [(value.scaleb(scale), Decimal(1).scaleb(scale - places)) for value, places in out]


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
