"""Excel serial numbers <-> dates, in the 1900 or the 1904 date system.

In the 1900 system serial 1 is 1900-01-01 and Excel counts a 29 February
1900 that never was (serial 60), so serials below 61 are one day off the
plain count from 1899-12-30. Times are the fraction of the day, kept to the
millisecond.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .errors import UnsupportedEdit

_EPOCH_1900 = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)
_FIRST_REAL_1900 = date(1900, 3, 1)
_MS_PER_DAY = 86_400_000
_TEN_DIGITS = Decimal("1E-10")


def _parts(text: str) -> tuple[int, int] | None:
    """(whole days, milliseconds) of a non-negative serial's text, exactly."""
    whole, _, fraction = text.strip().partition(".")
    if not (whole.isascii() and whole.isdigit() and (not fraction or (fraction.isascii() and fraction.isdigit()))):
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        if not number.is_finite() or number < 0:
            return None
        return _parts(format(number, "f"))
    if not fraction:
        return int(whole), 0
    scale = 10 ** len(fraction)
    return int(whole), (int(fraction) * 2 * _MS_PER_DAY + scale) // (2 * scale)


def _base(days: int, date1904: bool) -> datetime:
    if date1904:
        return _EPOCH_1904
    return _EPOCH_1900 + timedelta(days=1) if 1 <= days < 60 else _EPOCH_1900


def to_datetime(text: str, date1904: bool) -> datetime | None:
    """The moment a serial's text stands for, or None when it is not a
    serial in range. Exact: no float on the way."""
    parts = _parts(text)
    if parts is None:
        return None
    days, ms = parts
    try:
        return _base(days, date1904) + timedelta(days=days, milliseconds=ms)
    except OverflowError:
        return None


def to_date(text: str, date1904: bool) -> date | None:
    """The day a serial's text falls on (its time of day dropped), or None."""
    parts = _parts(text)
    if parts is None:
        return None
    try:
        return (_base(parts[0], date1904) + timedelta(days=parts[0])).date()
    except OverflowError:
        return None


def _day_number(day: date, date1904: bool) -> int:
    if date1904:
        if day < _EPOCH_1904.date():
            raise UnsupportedEdit(f"{day} is before 1904-01-01, the first day this workbook can hold")
        return (day - _EPOCH_1904.date()).days
    if day < date(1900, 1, 1):
        raise UnsupportedEdit(f"{day} is before 1900-01-01, the first day Excel can hold")
    count = (day - _EPOCH_1900.date()).days
    return count if day >= _FIRST_REAL_1900 else count - 1


@lru_cache(maxsize=4096)
def from_date(day: date, date1904: bool) -> str:
    """The serial text for a day, e.g. `45321`."""
    return str(_day_number(day, date1904))


def from_datetime(moment: datetime, date1904: bool) -> str:
    """The serial text for a naive datetime, e.g. `45321.6041666667`."""
    if moment.tzinfo is not None:
        raise UnsupportedEdit(f"{moment} has a time zone; Excel cells have none, convert it to local time first")
    whole = _day_number(moment.date(), date1904)
    ms = (moment.hour * 3600 + moment.minute * 60 + moment.second) * 1000
    ms += (moment.microsecond + 500) // 1000
    if ms == 0:
        return str(whole)
    fraction = (Decimal(ms) / _MS_PER_DAY).quantize(_TEN_DIGITS)
    return format(whole + fraction, "f").rstrip("0").rstrip(".")
