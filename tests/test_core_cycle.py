"""core.cycle: what a cycle's plan creates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sheetbill.core.billing import BillingRules
from sheetbill.core.cycle import CyclePlan, plan_cycle
from sheetbill.core.dashboard import after_cycle, unbilled
from sheetbill.core.model import Invoice, InvoiceStatus, Ledger
from sheetbill.core.plan import Plan

from .test_core_billing import SERVICES, client, session

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


def test_a_session_typed_without_an_id_is_seen_numbered_by_every_step_after_the_plan():
    """Its invoice lists the ID the cycle gives it, and so does `cycle.sessions`, which the Dashboard,
    the emails and the superbills look sessions up in: billed, not counted as unbilled."""
    ledger = Ledger((session(sid="S-00001"), session(row=3, sid=""), session(row=4, sid="", who="", day=None,
                                                                              code="Total", status="")),
                    (client(),), SERVICES, (), ())
    cycle = plan_cycle(ledger, BillingRules(), date(2026, 11, 21))
    assert [i.session_ids for i in cycle.invoices] == [("S-00001",), ("S-00002",)]
    assert [(s.row, s.session_id) for s in cycle.sessions] == [(2, "S-00001"), (3, "S-00002")]  # a total row: not one
    assert [(w.row, w.key, w.after) for w in cycle.plan.writes if w.tab == "sessions" and w.row == 3] == [
        (3, "", "S-00002"), (3, "S-00002", "INV-2026-0002"), (3, "S-00002", "Invoiced")]
    assert unbilled(cycle.invoices, cycle.sessions) == 0
    board = {item: count for item, _, count in after_cycle(cycle, cycle.sessions, date(2026, 11, 21), "now", 0)}
    assert board["Unbilled completed sessions"] == 0
