"""Limits beyond which a value is taken for a typo and held for a person.

A quantity of `1e9` or a payment of 1,000,000,000 is far more likely a slip
than a fact; billing or applying it would email a client an absurd invoice.
Such a row gets a Problem instead, saying which limit it passed and how to
confirm it: raise that limit in the config, and the next run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from .model import Line


@dataclass(frozen=True)
class Limits:
    """None: no limit (the core's default; the config sets sensible ones)."""

    quantity: Decimal | None = None  # per service or extra of a session
    line_amount: Decimal | None = None  # a line's amount after discount
    payment_amount: Decimal | None = None  # a payment or refund
    prepayment_days: int | None = None  # how long before a client's first session or invoice a payment may be dated


def _confirm(key: str) -> str:
    return f"if it is right, raise limits.{key} in the config and the next run goes on"


def lines_problem(lines: Iterable[Line], limits: Limits) -> str:
    """Why a session's lines are held, or ""."""
    for line in lines:
        if limits.quantity is not None and line.quantity > limits.quantity:
            return (f"Quantity {_plain(line.quantity)} of {line.code} is more than the limit of "
                    f"{_plain(limits.quantity)}; {_confirm('quantity')}")
        if limits.line_amount is not None and abs(line.total) > limits.line_amount:
            return (f"{line.code} comes to {line.total}, more than the limit of {_plain(limits.line_amount)} "
                    f"per line; {_confirm('line_amount')}")
    return ""


def payment_problem(amount: Decimal, limits: Limits) -> str:
    """Why a payment is held, or ""."""
    if limits.payment_amount is not None and abs(amount) > limits.payment_amount:
        return (f"Amount {amount} is more than the limit of {_plain(limits.payment_amount)} for one payment; "
                f"{_confirm('payment_amount')}")
    return ""


def _plain(value: Decimal) -> str:
    return f"{value.normalize():,f}"
