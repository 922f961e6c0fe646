"""book.base: what a commit hands back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sheetbill.book.base import Committed, Snapshot
from sheetbill.core.model import Invoice, InvoiceStatus

D = Decimal


def invoice(number: str, row: int | None) -> Invoice:
    return Invoice(number, date(2026, 11, 20), None, "C-001", "Anna Meier", ("S-1",), D(65), D(0), D(65), D(0),
                   D(65), InvoiceStatus.FINALIZED, row=row)


@pytest.mark.parametrize("rows, before, after", [
    ({}, [("INV-1", 2)], [("INV-1", 2)]),  # nothing appended: where it was
    ({("invoices", "INV-2"): 3}, [("INV-1", 2), ("INV-2", None)], [("INV-1", 2), ("INV-2", 3)]),
    ({("lines", "INV-2"): 9, ("invoices", "INV-2"): 3}, [("INV-2", None)], [("INV-2", 3)]),  # only Invoices rows
], ids=["none-appended", "appended", "other-tabs"])
def test_placed_puts_each_appended_invoice_in_its_row(rows, before, after):
    done = Committed(rows, Snapshot({}, {}, None, None))
    placed = done.placed([invoice(n, r) for n, r in before])
    assert [(i.invoice_no, i.row) for i in placed] == after
