"""core.monthly: which monthly statements are due, and core.dashboard's cell diffing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sheetbill.core.dashboard import dashboard_writes, unbilled
from sheetbill.core.model import Allocation, Client, Invoice, InvoiceStatus, Payment, Session
from sheetbill.core.status import session_status
from sheetbill.core.monthly import last_month, statements_due


def client(cid: str) -> Client:
    return Client(row=2, client_id=cid, name=f"Name {cid}", email="", address="", discount=None, terms_days=None,
                  invoice_mode=None, tax_id="")


def invoice(no: str, cid: str, issued: date | None, status: str = "Finalized", sessions=("S-1",)) -> Invoice:
    z = Decimal("0")
    return Invoice(no, issued, None, cid, "", tuple(sessions), z, z, z, z, z, InvoiceStatus(status))


def payment(pid: str, on: date, client_ref: str = "", invoice_no: str = "", applied=True) -> Payment:
    return Payment(row=2, payment_id=pid, date=on, client=client_ref, invoice_no=invoice_no, amount=Decimal("10"),
                   method="Cash", reference="",
                   applied=(Allocation(invoice_no or "INV-1", Decimal("10")),) if applied else (),
                   receipt_no="", receipt_sent_at="", problem="")


@pytest.mark.parametrize("today, first, last", [
    (date(2026, 11, 21), date(2026, 10, 1), date(2026, 10, 31)),
    (date(2026, 3, 1), date(2026, 2, 1), date(2026, 2, 28)),
    (date(2026, 1, 15), date(2025, 12, 1), date(2025, 12, 31)),
])
def test_last_month(today, first, last):
    assert last_month(today) == (first, last)


CLIENTS = [client("C-1"), client("C-2"), client("C-3"), client("C-4")]


@pytest.mark.parametrize("invoices, payments, due", [
    ([], [], []),
    ([invoice("INV-1", "C-2", date(2026, 10, 5))], [], ["C-2"]),
    ([invoice("INV-1", "C-2", date(2026, 11, 5))], [], []),  # this month's: next month
    ([invoice("INV-1", "C-2", date(2026, 9, 30))], [], []),
    ([invoice("INV-1", "C-3", date(2026, 9, 30))], [payment("P-1", date(2026, 10, 3), invoice_no="INV-1")],
     ["C-3"]),  # paid last month: the invoice's client
    ([], [payment("P-1", date(2026, 10, 3), client_ref="C-4")], ["C-4"]),
    ([], [payment("P-1", date(2026, 10, 3), client_ref="C-4", applied=False)], []),  # not applied yet
    ([invoice("INV-1", "C-3", date(2026, 10, 1)), invoice("INV-2", "C-1", date(2026, 10, 31))], [],
     ["C-1", "C-3"]),  # in the Clients tab's order
])
def test_statements_due(invoices, payments, due):
    found = statements_due(date(2026, 11, 21), CLIENTS, invoices, payments)
    assert [c.client_id for c in found] == due


@pytest.mark.parametrize("owes, sent, due", [
    ({"C-4"}, set(), ["C-2", "C-4"]),  # C-4 bought and paid nothing last month, but owes: told so
    ({"C-2", "C-4"}, set(), ["C-2", "C-4"]),  # once each
    ({"C-4"}, {"C-4"}, ["C-2"]),  # its statement went out already
    ({"C-4"}, {"C-2"}, ["C-4"]),
    (set(), set(), ["C-2"]),
])
def test_a_client_who_owes_gets_the_statement_too(owes, sent, due):
    asked = []

    def owing(cid: str, day: date) -> bool:
        asked.append((cid, day))
        return cid in owes

    found = statements_due(date(2026, 11, 21), CLIENTS, [invoice("INV-1", "C-2", date(2026, 10, 5))], [],
                           owing, lambda cid: cid in sent)
    assert [c.client_id for c in found] == due
    assert {day for _, day in asked} <= {date(2026, 10, 31)}  # owing at the end of last month
    assert not {cid for cid, _ in asked} & sent  # a statement sent is not worked out again


def session(sid: str, status: str = "Completed") -> Session:
    return Session(row=2, session_id=sid, date=None, client="C-1", service="X", quantity=None, extras=(),
                   discount=None, provider="", status=session_status(status), notes="", invoice_no="",
                   billing_status=None, problem="", status_text=status)


@pytest.mark.parametrize("sessions, invoices, count", [
    ([session("S-1"), session("S-2"), session("S-3", "Scheduled")], [invoice("INV-1", "C-1", None)], 1),
    ([session("S-1")], [invoice("INV-1", "C-1", None, status="Void")], 1),  # a void invoice bills nothing
    ([session("S-1", " completed ")], [], 1),
])
def test_unbilled_sessions(sessions, invoices, count):
    assert unbilled(invoices, sessions) == count


@pytest.mark.parametrize("current, expected", [
    ({}, [(2, "item", None, "Updated at"), (2, "value", None, "T1"), (3, "item", None, "Problems"),
          (3, "count", None, 0)]),
    ({2: {"item": "Updated at", "value": "T0"}, 3: {"item": "Problems", "count": 0}}, [(2, "value", "T0", "T1")]),
    ({2: {"item": "Updated at", "value": "T1"}, 3: {"item": "Problems", "count": "0"}}, []),  # same text
])
def test_dashboard_writes_only_what_changed(current, expected):
    rows = [("Updated at", "T1", None), ("Problems", None, 0)]
    writes = dashboard_writes(rows, current, lambda v: "" if v is None else str(v))
    assert [(w.row, w.field, w.before, w.after) for w in writes] == expected
