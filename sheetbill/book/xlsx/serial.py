"""Excel serial numbers <-> dates, in the 1900 or the 1904 date system.

In the 1900 system serial 1 is 1900-01-01 and Excel counts a 29 February
1900 that never was (serial 60), so serials below 61 are one day off the
plain count from 1899-12-30. Times are the fraction of the day, kept to the
millisecond.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from .errors import UnsupportedEdit

_EPOCH_1900 = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)
_FIRST_REAL_1900 = date(1900, 3, 1)
_MS_PER_DAY = 86_400_000
_TEN_DIGITS = Decimal("1E-10")


def to_datetime(serial: Decimal, date1904: bool) -> datetime | None:
    """The moment a serial stands for, or None when it is out of range."""
    if serial < 0:
        return None
    days = int(serial)
    ms = int(((serial - days) * _MS_PER_DAY).to_integral_value(ROUND_HALF_EVEN))
    if date1904:
        base = _EPOCH_1904
    else:
        base = _EPOCH_1900 + timedelta(days=1) if 1 <= serial < 60 else _EPOCH_1900
    try:
        return base + timedelta(days=days, milliseconds=ms)
    except OverflowError:
        return None


def to_date(serial: Decimal, date1904: bool) -> date | None:
    """The day a serial falls on (its time of day dropped), or None."""
    moment = to_datetime(Decimal(int(serial)) if serial >= 0 else serial, date1904)
    return None if moment is None else moment.date()


def _day_number(day: date, date1904: bool) -> int:
    if date1904:
        if day < _EPOCH_1904.date():
            raise UnsupportedEdit(f"{day} is before 1904-01-01, the first day this workbook can hold")
        return (day - _EPOCH_1904.date()).days
    if day < date(1900, 1, 1):
        raise UnsupportedEdit(f"{day} is before 1900-01-01, the first day Excel can hold")
    count = (day - _EPOCH_1900.date()).days
    return count if day >= _FIRST_REAL_1900 else count - 1


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
