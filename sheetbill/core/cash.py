"""The Cash tab: each day's drawer, expected from the day's cash payments and checked against the count.

For every Cash row with a Date: Cash In is the sum of that day's applied
Cash payments (and of those paid at the desk for a session whose invoice is
made later, as a daily one is once the day is over: the cash is in the
drawer that evening), Cash Out the sum of its cash refunds; Expected = Opening +
In - Out. A day without an Opening starts from the previous day's Counted
(the previous Expected when that day was not counted, 0 on the first day).
Once Counted is entered, Variance = Counted - Expected and Status says
Balanced, Over or Short; until then Status is Open.

The tab has no Problem column: a row that cannot be read shows
`Problem: <sentence>` as its Status, a second row for a date `Duplicate
date`; both are the cycle's problems (counted with the other tabs' on the
Dashboard and in `run`'s summary). What else the admin should know comes
back as notes. A drawer Over or Short is a count, not a problem: its row
was read and reconciled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Collection, Iterable, Sequence

from .model import CashDay, Payment, PaymentMethod
from .number import CENT, ZERO, fmt, money
from .plan import CellWrite, RowProblem


@dataclass(frozen=True)
class CashPlan:
    writes: tuple[CellWrite, ...] = ()
    notes: tuple[str, ...] = ()  # sentences for the admin (the run's summary), one per finding
    problems: tuple[RowProblem, ...] = ()  # rows left alone: unreadable, or a date already on another row


def plan_cash(ledger_cash: Sequence[CashDay], payments: Iterable[Payment], minor: Decimal = CENT,
              waiting: Collection[int] = ()) -> CashPlan:
    """The Cash tab's worker cells. `payments` are the Payments rows after this cycle's payment
    plan: only applied payments count, and those (rows in `waiting`) that wait only for their
    session's invoice, so a payment with any other Problem never reaches the drawer."""
    cash_in, cash_out = _cash_by_day(payments, waiting)
    writes: list[CellWrite] = []
    notes: list[str] = []
    problems: list[RowProblem] = []
    seen: dict[date, int] = {}  # date -> the row that has it
    carried: tuple[str, Decimal, bool] | None = None  # the previous good day: (its date, amount, was counted)
    for day in sorted((d for d in ledger_cash if d.date or d.errors), key=lambda d: (d.date or date.min, d.row)):
        key = day.date.isoformat() if day.date else ""
        if day.date in seen:
            want: dict[str, object] = {"status": "Duplicate date"}
            problems.append(RowProblem("cash", day.row, key, f"Duplicate date (also on row {seen[day.date]}); "
                                                              "keep one row per day"))
        elif day.errors:
            want = {"status": f"Problem: {day.errors[0]}"}
            problems.append(RowProblem("cash", day.row, key, day.errors[0]))
        else:
            assert day.date is not None  # a day without a date has errors
            opening = day.opening
            if opening is None:
                opening = carried[1] if carried else ZERO
                if carried is None:
                    notes.append(f"Cash {key}: no Opening and no earlier day; the drawer is taken to open at "
                                 f"{fmt(ZERO, minor)}")
                elif not carried[2]:
                    notes.append(f"Cash {key}: no Opening, and {carried[0]} was not counted; its Expected "
                                 f"{fmt(carried[1], minor)} is taken as the Opening")
            got, paid_out = cash_in.get(day.date, ZERO), cash_out.get(day.date, ZERO)
            expected = money(opening + got - paid_out, minor)
            want = {"cash_in": money(got, minor), "cash_out": money(paid_out, minor), "expected": expected,
                    "variance": None if day.counted is None else money(day.counted - expected, minor),
                    "status": _status(day.counted, expected)}
            carried = (key, expected, False) if day.counted is None else (key, day.counted, True)
        if day.date:
            seen.setdefault(day.date, day.row)
        writes.extend(CellWrite("cash", day.row, key, name, getattr(day, name), after)
                      for name, after in want.items() if getattr(day, name) != after)
    for missing in sorted((set(cash_in) | set(cash_out)) - set(seen)):
        notes.append(f"Cash payments on {missing.isoformat()} (in {fmt(cash_in.get(missing, ZERO), minor)}, "
                     f"out {fmt(cash_out.get(missing, ZERO), minor)}) but no Cash row for that day")
    return CashPlan(tuple(writes), tuple(notes), tuple(sorted(problems, key=lambda p: p.row)))


def _cash_by_day(payments: Iterable[Payment],
                 waiting: Collection[int] = ()) -> tuple[dict[date, Decimal], dict[date, Decimal]]:
    """Per day: applied (or waiting) cash payments taken in, and cash refunds paid out (as a positive sum)."""
    cash_in: dict[date, Decimal] = {}
    cash_out: dict[date, Decimal] = {}
    for p in payments:
        if (p.applied or p.row in waiting) and p.date and p.amount and p.method.strip().lower() == PaymentMethod.CASH.value.lower():
            side = cash_in if p.amount > 0 else cash_out
            side[p.date] = side.get(p.date, ZERO) + abs(p.amount)
    return cash_in, cash_out


def _status(counted: Decimal | None, expected: Decimal) -> str:
    if counted is None:
        return "Open"
    if counted == expected:
        return "Balanced"
    return "Over" if counted > expected else "Short"
