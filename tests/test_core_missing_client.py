"""core.missing_client: open invoices of a client whose row is gone from Clients are told, every cycle."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from sheetbill.core.missing_client import missing_clients
from sheetbill.core.model import Client, Invoice, InvoiceStatus

ANNA = Client(row=2, client_id="C-001", name="Anna Meier", email="anna@example.com", address="", discount=None,
              terms_days=None, invoice_mode="", tax_id="", balance=None, credit=None)


def invoice(number: str, client: str, balance: str, status: InvoiceStatus = InvoiceStatus.FINALIZED) -> Invoice:
    total = max(D(balance), D("65.00"))
    return Invoice(invoice_no=number, issue_date=date(2026, 11, 3), due_date=date(2026, 11, 17), client_id=client,
                   client_name="Jonas Becker" if client == "C-002" else "", session_ids=(), net=total, tax=D(0),
                   total=total, paid=total - D(balance), balance=D(balance), status=status)


def said(cid: str, name: str, count: int, numbers: str, owed: str) -> str:
    return (f"Client {cid}{name} is not in Clients (its row deleted, or its Client ID typed over), but {count} of "
            f"its invoices are open ({numbers}; {owed} in all): no reminder or statement can reach the client. "
            "Put the row back (the Changelog has what it held)")


@pytest.mark.parametrize("invoices, expected", [
    ([invoice("INV-1", "C-001", "65.00")], []),  # her row is there
    ([invoice("INV-1", "C-002", "0.00", InvoiceStatus.PAID)], []),  # nothing open: nothing to send
    ([invoice("INV-1", "C-002", "65.00", InvoiceStatus.VOID)], []),
    ([invoice("CN-1", "C-002", "-65.00")], []),
    ([invoice("INV-1", "C-002", "65.00", InvoiceStatus.DRAFT)], []),  # not issued
    ([invoice("INV-1", "C-002", "20.59", InvoiceStatus.PARTIALLY_PAID), invoice("INV-2", "C-002", "65.00")],
     [said("C-002", " (Jonas Becker)", 2, "INV-1, INV-2", "85.59")]),
    ([invoice(f"INV-{n}", "C-003", "10.00") for n in range(1, 6)] + [invoice("INV-9", "C-002", "1.00")],
     [said("C-002", " (Jonas Becker)", 1, "INV-9", "1.00"), said("C-003", "", 5, "INV-1, INV-2, INV-3, ...", "50.00")]),
])
def test_open_invoices_of_a_client_gone_from_clients_are_told(invoices, expected):
    assert missing_clients([ANNA], invoices) == expected
