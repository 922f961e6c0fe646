"""Amounts to and from a card service's minor units, and the day of a timestamp.

The card service counts in the currency's own minor unit (cents for EUR and
CHF, yen for JPY), whatever the practice rounds its invoices to
(`practice.minor_unit` may be 1 for whole euros): `card_unit(currency)`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal

# Stripe's currencies without decimals and those with three (its "zero-decimal" and "three-decimal"
# lists); every other currency is counted in hundredths.
ZERO_DECIMAL = frozenset("BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split())
THREE_DECIMAL = frozenset("BHD JOD KWD OMR TND".split())


def card_unit(currency: str) -> Decimal:
    """What one minor unit of `currency` is worth on the card service: 0.01 for EUR, 1 for JPY."""
    code = currency.strip().upper()
    if code in ZERO_DECIMAL:
        return Decimal(1)
    return Decimal("0.001") if code in THREE_DECIMAL else Decimal("0.01")


def to_minor(amount: Decimal, minor_unit: Decimal) -> int:
    return int((amount / minor_unit).to_integral_value())


def from_minor(units: int, minor_unit: Decimal) -> Decimal:
    return (Decimal(units) * minor_unit).quantize(minor_unit)


def local_day(stamp: int, tz: tzinfo) -> date:
    return datetime.fromtimestamp(stamp, UTC).astimezone(tz).date()
