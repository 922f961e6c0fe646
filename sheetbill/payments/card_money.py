"""Amounts to and from a card service's minor units (cents), by the practice's minor unit."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal


def to_minor(amount: Decimal, minor_unit: Decimal) -> int:
    return int((amount / minor_unit).to_integral_value())


def from_minor(units: int, minor_unit: Decimal) -> Decimal:
    return (Decimal(units) * minor_unit).quantize(minor_unit)


def local_day(stamp: int, tz: tzinfo) -> date:
    return datetime.fromtimestamp(stamp, UTC).astimezone(tz).date()
