"""core.owner: whose money a payment is, the same for applying payments and for every account."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sheetbill.core.account import owner_of
from sheetbill.core.model import Allocation, Client, Invoice, InvoiceStatus, Payment

D = Decimal


def client(cid: str, name: str, row: int) -> Client:
    return Client(row, cid, name, f"{cid.lower()}@example.com", "", None, 14, None, "")


# Anna Meier was renamed Anna Meier-Schulz after she paid; Jonas Becker kept his name
CLIENTS = (client("C-001", "Anna Meier-Schulz", 2), client("C-002", "Jonas Becker", 3))
INVOICES = tuple(
    Invoice(invoice_no=no, issue_date=date(2026, 11, 2), due_date=date(2026, 11, 16), client_id=cid, client_name="",
            session_ids=(sid,), net=D(65), tax=D(0), total=D(65), paid=D(0), balance=D(65),
            status=InvoiceStatus.FINALIZED)
    for no, cid, sid in (("INV-2026-0001", "C-001", "S-00001"), ("INV-2026-0002", "C-002", "S-00002")))


def pay(client: str = "", invoice: str = "", applied: str = "") -> Payment:
    allocs = tuple(Allocation(ref, D(a)) for ref, a in (part.rsplit(" ", 1) for part in applied.split("; ") if part))
    return Payment(row=2, payment_id="P-00001", date=date(2026, 11, 10), client=client, invoice_no=invoice,
                   amount=D(65), method="Cash", reference="", applied=allocs, receipt_no="", receipt_sent_at="",
                   problem="")


@pytest.mark.parametrize("payment, expected", [
    pytest.param(pay("C-001"), "C-001", id="Client ID"),
    pytest.param(pay("Anna Meier-Schulz"), "C-001", id="current name"),
    pytest.param(pay("  Jonas   Becker "), "C-002", id="name with stray spaces"),
    pytest.param(pay("Anna Meier", applied="INV-2026-0001 65.00"), "C-001",
                 id="old name, applied to her invoice: the invoice says whose"),
    pytest.param(pay("Anna Meier", applied="Credit 15.00; INV-2026-0001 50.00"), "C-001",
                 id="old name, credit later spent on her invoice"),
    pytest.param(pay("Anna Meier", invoice="INV-2026-0001"), "C-001", id="old name, names her invoice"),
    pytest.param(pay("Anna Meier", invoice="S-00001"), "C-001", id="old name, names her session"),
    pytest.param(pay("", invoice="S-00002"), "C-002", id="no Client, a session"),
    pytest.param(pay("", applied="INV-2026-0002 65.00"), "C-002", id="no Client, applied"),
    pytest.param(pay("Anna Meier", applied="Credit 65.00"), None, id="old name, all credit: nobody"),
    pytest.param(pay("Nobody", invoice="INV-2026-0099"), None, id="unknown name and invoice"),
    pytest.param(pay("C-002", applied="INV-2026-0001 65.00"), "C-002",
                 id="a Client that names someone is taken as the sheet says"),
])
def test_whose_payment(payment, expected):
    assert owner_of(CLIENTS, INVOICES)(payment) == expected
