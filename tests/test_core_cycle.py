"""core.cycle: what a cycle's plan creates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sheetbill.core.cycle import CyclePlan
from sheetbill.core.model import Invoice, InvoiceStatus
from sheetbill.core.plan import Plan

D = Decimal


def invoice(number: str, status: InvoiceStatus = InvoiceStatus.FINALIZED) -> Invoice:
    return Invoice(number, date(2026, 11, 20), None, "C-001", "Anna Meier", ("S-1",), D(65), D(0), D(65), D(0),
                   D(65), status)


@pytest.mark.parametrize("new, credit_notes, finalized, created", [
    ((), (), (), []),
    ((invoice("INV-2026-0001"), invoice("INV-2026-0002")), (), (), ["INV-2026-0001", "INV-2026-0002"]),
    ((invoice("DRAFT-S-00003", InvoiceStatus.DRAFT),), (), (), ["DRAFT-S-00003"]),  # review mode: a draft
    ((invoice("INV-2026-0003"),), (invoice("CN-2026-0001"),), ("INV-2026-0002",),
     ["INV-2026-0003", "CN-2026-0001", "INV-2026-0002"]),  # new invoices, credit notes, then drafts finalized
], ids=["nothing", "invoices", "draft", "all-kinds"])
def test_created_lists_the_numbers_a_cycle_gives(new, credit_notes, finalized, created):
    cycle = CyclePlan(Plan(new_invoices=new), new, credit_notes=credit_notes, finalized=finalized)
    assert cycle.created == created
