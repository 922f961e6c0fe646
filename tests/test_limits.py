"""Implausible values are held with a Problem that says how to confirm them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sheetbill.core.limits import Limits, lines_problem, payment_problem
from sheetbill.core.model import Line

from .conftest import session

LIMITS = Limits(quantity=Decimal(100), line_amount=Decimal(10000), payment_amount=Decimal(50000))


def line(quantity: str, total: str) -> Line:
    return Line("", "S-1", date(2026, 11, 3), "LD60", "x", Decimal(quantity), Decimal("65.00"), Decimal(0),
                Decimal(0), Decimal(total), Decimal(0), Decimal(total))


@pytest.mark.parametrize("quantity, total, held", [
    ("1", "65.00", ""), ("100", "6500.00", ""), ("101", "6565.00", "limits.quantity"),
    ("1000000000", "65000000000.00", "limits.quantity"), ("2", "10000.01", "limits.line_amount"),
])
def test_lines_beyond_the_limits(quantity, total, held):
    problem = lines_problem([line(quantity, total)], LIMITS)
    assert (held in problem and "raise" in problem) if held else problem == ""


@pytest.mark.parametrize("amount, held", [("50000", False), ("50000.01", True), ("-60000", True), ("20", False)])
def test_payments_beyond_the_limit(amount, held):
    assert bool(payment_problem(Decimal(amount), LIMITS)) is held
    assert payment_problem(Decimal(amount), Limits()) == ""


def test_a_quantity_of_1e9_and_a_payment_of_1e9_are_held(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), quantity=1e9),
                    session("S-00002", date(2026, 11, 4)))
    practice.append("Payments", ["P-00001", date(2026, 11, 5), "C-001", None, 1e9, "Bank transfer", "typo"])
    report = practice.run()
    assert report.created == ["INV-2026-0001"]
    assert [i["Total"] for i in practice.rows("Invoices")] == [65]
    problems = {p.key: p.message for p in report.problems}
    assert "Quantity 1,000,000,000 of LD60 is more than the limit of 100" in problems["S-00001"]
    assert "raise limits.quantity in the config" in problems["S-00001"]
    assert "limits.payment_amount" in problems["P-00001"]
    assert practice.rows("Payments")[0]["Applied To"] is None
    practice.configure("  quantity: 100 ", "  quantity: 0 ")  # no limit: confirmed
    practice.configure("  line_amount: 10000 ", "  line_amount: 0 ")
    practice.configure("  payment_amount: 50000 ", "  payment_amount: 2000000000 ")
    report = practice.run()
    assert report.created == ["INV-2026-0002"] and not report.problems, report.problems
