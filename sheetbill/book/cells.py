"""Reading cell values into typed values, and preparing values for writing.

Readers hand in what the file holds: `str`, `Decimal` (numbers, from the
cell's own text; a `Percent` where the cell's number format shows a
percentage), `date`/`datetime`, `bool`, `None`, or the two markers below.
Each parser returns the typed value or raises `CellProblem` with a sentence
for the row's Problem column.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum

from ..core.model import Discount, Extra
from ..core.number import D, percent
from .markers import CellError as ErrorValue, FormulaNoValue, Percent, PercentSign, WriteValue  # the markers every reader uses


class CellProblem(ValueError):
    """A cell that cannot be read; str() names the column and the text."""


_EPOCH = date(1899, 12, 30)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?")
_DMY_DOT = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})")
_SLASH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")


def _guard(value: object, header: str) -> None:
    if isinstance(value, FormulaNoValue):
        raise CellProblem(f"{header} is a formula with no saved value (open the workbook in Excel or LibreOffice and save it once)")
    if isinstance(value, ErrorValue):
        raise CellProblem(f"{header} shows the error {value.code}")


def text(value: object, header: str = "") -> str:
    """Cell text, trimmed; numbers as written (1001, not 1001.0)."""
    if value.__class__ is str:
        return value.strip()
    if value is None:
        return ""
    _guard(value, header)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 65.50 and 65.5 read the same
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


_NUMBER_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_INT_TEXT = re.compile(r"-?[0-9]+")
_DAY_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2})?")


def typed(kind: str, written: str) -> object:
    """The value a cell of the column's `kind` held when `text` made `written` of it: a number
    for `66.5` in a money column, a date for `2026-11-03` (a datetime with its minutes).
    Text that does not read as the kind stays text, as it was in the cell."""
    try:
        if kind in ("money", "decimal") and _NUMBER_TEXT.fullmatch(written):
            return Decimal(written)
        if kind == "int" and _INT_TEXT.fullmatch(written):
            return int(written)
        if kind in ("date", "datetime") and (found := _DAY_TEXT.fullmatch(written)):
            return datetime.fromisoformat(written) if found.group(1) else date.fromisoformat(written)
    except ValueError:  # 2026-02-30
        return written
    if kind == "bool" and written in ("TRUE", "FALSE"):
        return written == "TRUE"
    return written


def day(value: object, header: str, day_first: bool = True) -> date | None:
    """A date from a date cell, a serial number, or text: 2026-11-03, 03.11.2026, 03/11/2026."""
    if value.__class__ is date:
        return value
    if value is None or value == "":
        return None
    _guard(value, header)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        if (value.is_finite() if isinstance(value, Decimal) else True) and 1 <= value < 2958466:
            return _EPOCH + timedelta(days=int(value))
        raise CellProblem(f"{header} {value} is not a date")
    raw = str(value).strip()
    try:
        if m := _ISO.fullmatch(raw):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DMY_DOT.fullmatch(raw):
            return date(_year(m[3]), int(m[2]), int(m[1]))
        if m := _SLASH.fullmatch(raw):
            a, b = int(m[1]), int(m[2])
            d, mo = (a, b) if day_first else (b, a)
            return date(_year(m[3]), mo, d)
    except ValueError:
        raise CellProblem(f"{header} '{raw}' is not a valid date") from None
    raise CellProblem(f"{header} '{raw}' is not a date (write 2026-11-03 or 03.11.2026)")


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


_THOUSAND_OR_ONE = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")  # `1.000`: a thousand in Germany, one elsewhere


def number(value: object, header: str) -> Decimal | None:
    if value.__class__ is Decimal and value.is_finite():
        return value
    if value is None or value == "":
        return None
    _guard(value, header)
    if isinstance(value, (date, bool)):
        raise CellProblem(f"{header} '{text(value)}' is not a number")
    if isinstance(value, str) and _THOUSAND_OR_ONE.fullmatch(value.strip()):
        whole, _, part = value.strip().partition(".")
        raise CellProblem(f"{header} '{value.strip()}' could be {whole}{part} or {whole}.{part[:2]}: write "
                          f"{whole}{part} for that many, or {whole},{part[:2]} (or {whole}.{part[:2]}) with two decimals")
    try:
        return D(value)
    except ValueError:
        raise CellProblem(f"{header} '{text(value)}' is not a number") from None


def rate(value: object, header: str) -> Decimal | None:
    """A tax rate in percent (`19%`, `0`, a percent-formatted 0.19). A percent-formatted cell
    is always its number times 100: one typed as `190%` (1.9) is 190 %, which pricing refuses,
    not 1.9 %. A number beside a sign its format adds as text (`0"%"`) is that percentage."""
    if value is None or value == "":
        return None
    _guard(value, header)
    if isinstance(value, Percent):
        return D(value) * 100
    if isinstance(value, PercentSign):
        return Decimal(D(value))  # the plain number, not the marker
    try:
        return percent(value)
    except (ValueError, TypeError):
        raise CellProblem(f"{header} '{text(value)}' is not a percentage (write 19% or 0)") from None


def whole(value: object, header: str) -> int | None:
    n = number(value, header)
    if n is None:
        return None
    if n != n.to_integral() or n < 0:
        raise CellProblem(f"{header} '{text(value)}' must be a whole number of 0 or more")
    return int(n)


MAX_TERMS = 365  # days: payment terms longer than a year are a typo (99999 for 14)


def terms(value: object, header: str) -> int | None:
    """Payment terms in days: a whole number from 0 to MAX_TERMS."""
    days = whole(value, header)
    if days is not None and days > MAX_TERMS:
        raise CellProblem(f"{header} '{days}' is more than {MAX_TERMS} days: write the days the client has "
                          "to pay (14, 30)")
    return days


_TRUE = {"yes", "y", "true", "1", "x", "active", "✓", "ja", "oui", "si", "sí"}
_FALSE = {"no", "n", "false", "0", "inactive", "-", "nein", "non"}


def flag(value: object, header: str, default: bool = True) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    t = text(value, header).lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise CellProblem(f"{header} '{text(value)}' must be Yes or No")


def discount(value: object, header: str) -> Discount | None:
    """A discount: a percentage or an amount off.

    Text `10%` -> 10 percent; a number under a percent format (a `Percent`: what
    Excel and Google Sheets store for a cell typed as `10%`) -> that percentage of
    the stored number, 0.125 -> 12.5 percent whatever the cell shows; a number beside
    a sign its format adds as text (a `PercentSign`, `0"%"`: 10 shows `10%`) -> 10 percent; any other
    number, and text such as `5.00`, is an amount: 5 -> 5.00 off, 0.5 -> 0.50 off.
    Unlike `rate`, a plain number below 1 is not taken for a fraction: only the
    cell's format tells 50% from 0.50 off."""
    if value is None or value == "":
        return None
    _guard(value, header)
    raw = text(value, header)
    try:
        if isinstance(value, Percent):
            return Discount(percent=D(value) * 100)
        if isinstance(value, PercentSign):
            return Discount(percent=Decimal(D(value)))
        if raw.endswith("%"):
            return Discount(percent=D(raw[:-1]))
        return Discount(amount=D(value if isinstance(value, Decimal) else raw))
    except ValueError:
        raise CellProblem(f"{header} '{raw}' is not a discount (write 10% or an amount like 5.00)") from None


_EXTRA = re.compile(r"^(?:(\d+(?:[.,]\d+)?)\s*[x×*]\s*)?([A-Za-z0-9][\w.\-/]*)(?:\s*[x×*]\s*(\d+(?:[.,]\d+)?))?$", re.I)


def extras(value: object, header: str) -> tuple[Extra, ...]:
    """`BANDAGE x2, GEL` -> (BANDAGE, 2), (GEL, 1); `2x GEL` works too."""
    raw = text(value, header)
    if not raw:
        return ()
    out = []
    for part in re.split(r"[,;\n]+", raw):
        part = part.strip()
        if not part:
            continue
        m = _EXTRA.match(part)
        if not m or (m[1] and m[3]):
            raise CellProblem(f"{header}: cannot read '{part}' (write codes like BANDAGE x2, GEL)")
        qty = D(m[1] or m[3] or "1")
        if qty <= 0:
            raise CellProblem(f"{header}: quantity of {m[2]} must be more than 0")
        out.append(Extra(m[2].upper(), qty))
    return tuple(out)


def safe_text(value: str) -> str:
    """Text to write: never a formula. Writers store text as text; this also
    strips characters a workbook cannot hold."""
    if value.isprintable():
        return value
    return _CONTROL.sub("", value)


def for_kind(kind: str, value: object) -> WriteValue:
    """A value as a cell of the column's kind holds it (percent as `19%` text)."""
    if value.__class__ is str:  # most cells: checked first
        return safe_text(value) if value else None
    if value.__class__ is Decimal and kind != "percent":  # most of the others (money)
        return value
    if value is None or value == "":
        return None
    if kind == "percent" and isinstance(value, Decimal):
        return f"{format(value.normalize(), 'f')}%"
    if isinstance(value, str):  # a status (a str Enum) as its text, not `InvoiceStatus.PAID`
        return safe_text(value.value if isinstance(value, Enum) else value)
    if isinstance(value, (Decimal, int, date)):  # bool is an int, datetime a date
        return value
    return safe_text(str(value))
