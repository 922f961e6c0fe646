"""core.audit_accounts: the Invoices tab's Paid against the accounts the documents are made from."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from sheetbill.core.audit_accounts import account_findings
from sheetbill.core.model import Allocation, InvoiceStatus

from .test_core_owner import CLIENTS, INVOICES, pay

PAID = replace(INVOICES[0], paid=Decimal(65), balance=Decimal(0), status=InvoiceStatus.PAID)


def findings(payment):
    return account_findings(CLIENTS, (PAID, INVOICES[1]), (payment,), lambda n: n.startswith("CN-"))


@pytest.mark.parametrize("payment, expected", [
    pytest.param(pay("C-001", applied="INV-2026-0001 65.00"), [], id="hers, by ID"),
    pytest.param(pay("Anna Meier", applied="INV-2026-0001 65.00"), [], id="hers, by her old name"),
    pytest.param(pay("C-002", applied="INV-2026-0001 65.00"),
                 ["INV-2026-0001: Paid 65.00 but the account of client C-001, from which its documents are made, "
                  "has 0.00 on it (not counted: payment P-00001 (65.00), whose Client 'C-002' names client C-002)"],
                 id="Client changed to another client after it was applied"),
    pytest.param(replace(pay("C-001", applied="INV-2026-0001 65.00"), amount=None),
                 ["INV-2026-0001: Paid 65.00 but the account of client C-001, from which its documents are made, "
                  "has 0.00 on it (not counted: payment P-00001 (65.00), which has no Amount)"],
                 id="Amount cleared"),
])
def test_paid_against_the_account(payment, expected):
    assert findings(payment) == expected


def test_an_applied_payment_no_account_counts_is_a_finding():
    credit = replace(pay("Anna Meier"), applied=(Allocation("Credit", Decimal(65)),))
    paid_invoice_free = account_findings(CLIENTS, INVOICES, (credit,), lambda n: False)
    assert paid_invoice_free == ["Payment P-00001 is applied but no client's account counts it: its Client "
                                 "'Anna Meier' is not in Clients and its money is on no invoice; put the Client "
                                 "ID in its Client cell"]
