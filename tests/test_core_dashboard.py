"""core.dashboard: the Dashboard as a cycle leaves the ledger."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from sheetbill.core.cycle import CyclePlan
from sheetbill.core.dashboard import CHAIN_ITEM, FAILURES_ITEM, LAST_FAILURE_ITEM, NOT_DUE_ITEM, after_cycle
from sheetbill.core.model import Invoice, InvoiceStatus, Session, SessionStatus
from sheetbill.core.plan import Plan, RowProblem

D = Decimal
TODAY = date(2026, 12, 1)


def invoice(number: str, status: InvoiceStatus, *sessions: str) -> Invoice:
    return Invoice(number, date(2026, 11, 20), date(2026, 12, 4), "C-001", "Anna Meier", sessions, D(65), D(0),
                   D(65), D(0), D(65), status)


def session(sid: str, status: SessionStatus = SessionStatus.COMPLETED) -> Session:
    return Session(2, sid, date(2026, 11, 19), "C-001", "Therapy 60", D(1), (), None, "", status, "", "", None, "")


PROBLEM = RowProblem("sessions", 3, "S-2", "no such client")


@pytest.mark.parametrize("invoices, sessions, problems, unbilled, problem_count", [
    ((), (session("S-1"),), (), 1, 0),  # completed, on no invoice
    ((invoice("INV-1", InvoiceStatus.FINALIZED, "S-1"),), (session("S-1"),), (), 0, 0),  # billed this cycle
    ((invoice("INV-1", InvoiceStatus.VOID, "S-1"),), (session("S-1"),), (), 1, 0),  # a void bills nothing
    ((), (session("S-1", SessionStatus.SCHEDULED),), (), 0, 0),  # not held yet
    ((), (session("S-1"), session("S-2")), (PROBLEM,), 2, 3),  # the rows with a Problem, the plan's and others
], ids=["unbilled", "billed", "void", "scheduled", "problems"])
def test_after_cycle_counts_from_the_cycles_invoices_and_problems(invoices, sessions, problems, unbilled,
                                                                  problem_count):
    cycle = CyclePlan(Plan(problems=problems), invoices)
    rows = {item: (value, count) for item, value, count in
            after_cycle(cycle, sessions, TODAY, "2026-12-01 08:00Z", problem_count)}
    assert rows["Updated at"] == ("2026-12-01 08:00Z", None)
    assert rows["Unbilled completed sessions"] == (None, unbilled)
    assert rows["Problems"] == (None, problem_count)


@pytest.mark.parametrize("broken, health, shown", [
    (0, ("", 0), {CHAIN_ITEM: (None, 0), LAST_FAILURE_ITEM: (None, None), FAILURES_ITEM: (None, 0)}),
    (2, ("2026-11-30 07:00Z: workbook busy", 3),
     {CHAIN_ITEM: (None, 2), LAST_FAILURE_ITEM: ("2026-11-30 07:00Z: workbook busy", None), FAILURES_ITEM: (None, 3)}),
], ids=["healthy", "broken-and-failing"])
def test_after_cycle_shows_the_chain_and_the_workers_health(broken, health, shown):
    rows = {item: (value, count) for item, value, count in
            after_cycle(CyclePlan(Plan(), ()), (), TODAY, "now", 0, broken_chain=broken, health=health)}
    assert {item: rows[item] for item in shown} == shown


def due_in(number: str, days: int, balance: str = "65", status: InvoiceStatus = InvoiceStatus.FINALIZED) -> Invoice:
    due = TODAY + timedelta(days=days)
    return Invoice(number, due - timedelta(days=14), due, "C-001", "Anna Meier", (), D(65), D(0), D(65),
                   D(65) - D(balance), D(balance), status)


@pytest.mark.parametrize("days, bucket", [
    (5, NOT_DUE_ITEM), (0, NOT_DUE_ITEM),  # due today is not yet overdue
    (-1, "Aging 1-30 days past due (gross)"), (-30, "Aging 1-30 days past due (gross)"),
    (-31, "Aging 31-60 days past due (gross)"), (-60, "Aging 31-60 days past due (gross)"),
    (-61, "Aging 61-90 days past due (gross)"), (-91, "Aging 90+ days past due (gross)"),
])
def test_each_open_invoice_is_in_one_place_the_aging_adds_up_to_the_overdue(days, bucket):
    invoices = (due_in("INV-1", days, "40"), due_in("INV-2", -45, "0", InvoiceStatus.PAID),
                due_in("INV-3", -45, "65", InvoiceStatus.VOID))
    rows = {item: (value, count) for item, value, count in
            after_cycle(CyclePlan(Plan(), invoices), (), TODAY, "now", 0)}
    places = {item: shown for item, shown in rows.items() if item.startswith("Aging") or item == NOT_DUE_ITEM}
    assert places == {item: ((D(40), 1) if item == bucket else (D(0), 0)) for item in places}
    aging = [v for item, v in places.items() if item.startswith("Aging")]
    assert rows["Overdue invoices (gross)"] == (sum(v for v, _ in aging), sum(n for _, n in aging))
    assert rows["Open invoices (gross)"] == (D(40), 1)
