"""One cell's stored parts -> its typed value. Shared by both sheet readers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ..markers import Percent, PercentSign
from .errors import BrokenWorkbook
from .numfmt import NumberKind
from .serial import to_date, to_datetime
from .values import CellError, FormulaNoValue, Value
from .xmltext import decode_ooxml


class CellDecoder:
    """Turns a cell's type, style, value, formula and inline text (as an XML
    parser reads them) into a `Value`, for one sheet of one workbook."""

    __slots__ = ("date1904", "number_styles", "sheet", "strings")

    def __init__(self, strings: list[str], number_styles: dict[str, NumberKind], date1904: bool, sheet: str) -> None:
        self.strings = strings
        self.number_styles = number_styles  # styles.NumberFormats.number_styles
        self.date1904 = date1904
        self.sheet = sheet

    def decode(
        self, ref: str, t: str | None, s: str | None, v: str | None, formula: str | None, inline: str | None
    ) -> Value:
        if t == "inlineStr" and inline is not None:
            return decode_ooxml(inline) or None
        if v is None or (v == "" and t != "str"):
            return None if formula is None else FormulaNoValue(decode_ooxml(formula))
        if t is None or t == "n":
            return self.number(ref, v, s)
        if t == "s":
            return self.shared(ref, v) or None
        if t in ("str", "inlineStr"):
            return decode_ooxml(v) or None
        if t == "b":
            return v.strip() in ("1", "true")
        if t == "e":
            return CellError(v)
        if t == "d":
            return self.iso(ref, v)
        raise BrokenWorkbook(f"{self.sheet}!{ref} has an unknown cell type {t!r}")

    def number(self, ref: str, v: str, s: str | None) -> Decimal | date | datetime:
        """A number cell's value: a date under a date format, a `Percent` under a percent one,
        a `PercentSign` under one that adds the sign as text."""
        kind = self.number_styles.get(s) if s is not None else None
        if kind == "date" or kind == "datetime":
            moment = to_date(v, self.date1904) if kind == "date" else to_datetime(v, self.date1904)
            if moment is not None:
                return moment
        try:
            number = Decimal(v)
        except InvalidOperation:
            raise BrokenWorkbook(f"{self.sheet}!{ref} holds {v!r}, which is not a number") from None
        if len(v) > 16:
            number = fifteen(number)
        if kind == "percent":
            return Percent(number)
        return PercentSign(number) if kind == "percent_sign" else number

    def shared(self, ref: str, v: str) -> str:  # noqa: D102
        try:
            return self.strings[int(v)]
        except (ValueError, IndexError):
            raise BrokenWorkbook(
                f"{self.sheet}!{ref} refers to shared string {v!r}, but the workbook has {len(self.strings)}"
            ) from None

    def iso(self, ref: str, v: str) -> date | datetime:
        try:
            moment = datetime.fromisoformat(v.strip().rstrip("Z"))
        except ValueError:
            raise BrokenWorkbook(f"{self.sheet}!{ref} holds {v!r}, which is not a date") from None
        return moment.date() if "T" not in v and " " not in v.strip() else moment


def fifteen(value: Decimal) -> Decimal:
    """A number cell as the spreadsheet shows it: at most 15 significant digits.

    Excel stores doubles and may save 6.9 as 6.9000000000000004; it displays
    (and means) 6.9, so that is the cell's value."""
    digits = value.as_tuple().digits
    if len(digits) <= 15:
        return value
    return value.quantize(Decimal(1).scaleb(value.adjusted() - 14)).normalize()
