"""A payment's Date that is likely a typo of its year, held for a person.

A payment dated in the future cannot have been received; one dated long
before the client's first session or invoice (or, for a client with neither
yet, long before the day it is entered) is more likely `2025-11-20` typed for
`2026-11-20` than money paid that far ahead. Applying it would email a
receipt with the wrong date and put it on the wrong statements, so the row
gets a Problem naming the likely date instead. A payment made ahead within
`limits.prepayment_days` goes through; one made further ahead goes through
once a person raises that limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class FirstVisit:
    """The client's earliest session or invoice: its day and what it is (`session S-00001`)."""

    day: date
    what: str


def payment_date_problem(day: date, today: date, client_id: str, first: FirstVisit | None,
                         prepayment_days: int | None) -> str:
    """Why a new payment's Date holds it, or "". `first`: the client's first session or invoice
    (None: neither yet); `prepayment_days`: how far ahead a payment may be (None: any)."""
    since = first.day if first is not None else today
    earliest = since - timedelta(days=prepayment_days or 0)  # a payment dated from then on is no surprise
    if day > today:
        likely = _shifted(day, -1)  # the year typed one too high, and the date then fits
        hint = f" (a typo for {likely.isoformat()}?)" if likely is not None and earliest <= likely <= today else ""
        return f"Date {day.isoformat()} is in the future{hint}; enter the payment once it is received"
    if prepayment_days is None or day >= earliest:
        return ""
    ahead = (since - day).days
    if first is not None:
        what = f"{ahead} days before client {client_id}'s first {first.what} ({first.day.isoformat()})"
    else:
        what = f"{ahead} days ago, and client {client_id} has no session or invoice yet"
    likely = _shifted(day, 1)  # the year typed one too low, and the date then fits
    hint = (f"if it is {likely.isoformat()}, correct the year" if likely is not None and earliest <= likely <= today
            else "if it is wrong, correct it")
    return (f"Date {day.isoformat()} is {what}: likely a typo; {hint}. If it is right (paid that far ahead), "
            "raise limits.prepayment_days in the config and the next run goes on")


def _shifted(day: date, years: int) -> date | None:
    """The same day `years` later (29 Feb: None where that year has none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return None
