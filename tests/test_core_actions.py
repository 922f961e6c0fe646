"""What a cycle did, item by item: payments applied and cash days, from the rows before and after."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sheetbill.core.actions import Action, cash_days, payments_applied, restored, undid_an_edit
from sheetbill.core.model import Allocation, Invoice, InvoiceStatus, Payment
from sheetbill.core.plan import CellWrite, RowAppend

D = Decimal
INV = Invoice("INV-1", date(2026, 11, 2), None, "C-001", "Anna Meier", ("S-1",), D(65), D(0), D(65), D(0), D(65),
              InvoiceStatus.FINALIZED)
NAMES = {"C-001": "C-001 Anna Meier"}


def pay(amount: str, *applied: tuple[str, str], client: str = "", invoice: str = "INV-1") -> Payment:
    return Payment(2, "P-1", date(2026, 11, 3), client, invoice, D(amount) if amount else None, "Card", "",
                   tuple(Allocation(n, D(a)) for n, a in applied), "", "", "")


@pytest.mark.parametrize("before, after, expected", [
    (pay("65"), pay("65", ("INV-1", "65")),
     [Action("payment", "P-1", D(65), "C-001 Anna Meier", "applied to INV-1 65.00")]),
    (pay("80"), pay("80", ("INV-1", "65"), ("Credit", "15")),
     [Action("payment", "P-1", D(80), "C-001 Anna Meier", "applied to INV-1 65.00; Credit 15.00")]),
    (pay("80", ("Credit", "80"), client="C-001", invoice=""),
     pay("80", ("Credit", "80"), ("INV-1", "65"), client="C-001", invoice=""),
     [Action("payment", "P-1", D(65), "C-001 Anna Meier", "credit applied to INV-1 65.00")]),
    (pay("-30", client="C-001", invoice=""), pay("-30", ("Refund", "-30"), client="C-001", invoice=""),
     [Action("refund", "P-1", D(-30), "C-001 Anna Meier", "refund out of credit")]),
    (pay("65", ("INV-1", "65")), pay("65", ("INV-1", "65")), []),  # applied before: nothing new
    (pay(""), pay(""), []),  # no amount: a Problem, not applied
], ids=["new", "overpaid", "credit-later", "refund", "unchanged", "not-applied"])
def test_payments_applied(before, after, expected):
    assert payments_applied([before], [after], {"INV-1": INV}, NAMES, D("0.01")) == expected


def test_cash_days_one_line_per_day_in_the_tabs_order():
    writes = [CellWrite("cash", 2, "2026-12-01", "status", "", "Open"),
              CellWrite("cash", 2, "2026-12-01", "cash_in", None, D("65.00")),
              CellWrite("cash", 3, "2026-12-02", "expected", None, D("65.00")),
              CellWrite("sessions", 2, "S-1", "problem", "", "x")]
    assert cash_days(writes, D("0.01")) == [Action("cash", "2026-12-01", detail="Cash In 65.00, Status Open"),
                                            Action("cash", "2026-12-02", detail="Expected 65.00")]


def test_restored_says_what_went_back():
    header = {("invoices", ""): "Invoices", ("invoices", "total"): "Total", ("lines", ""): "Lines"}
    found = restored([CellWrite("invoices", 3, "INV-1", "total", "1", "65")], [RowAppend("lines", "INV-1/S-1/LD60", {})],
                     lambda tab, fld: header[(tab, fld)])
    assert found == [Action("restored", "INV-1", detail="Total: 1 back to 65", tab="invoices"),
                     Action("restored", "INV-1/S-1/LD60", detail="deleted Lines row put back", tab="lines")]
    assert all(undid_an_edit(a) for a in found)
    payment = restored([CellWrite("payments", 2, "P-1", "client", "C-2", "C-1")], [], lambda tab, fld: "Client")
    assert not undid_an_edit(payment[0])  # a receipted payment: its own attention says what to do
