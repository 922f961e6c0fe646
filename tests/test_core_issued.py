"""core.issued and numbering.highest: the receipt series' high-water mark, and numbering on from it."""

from __future__ import annotations

from datetime import date

import pytest

from sheetbill.core.changes import Changes
from sheetbill.core.issued import RECEIPTS, after_commit, receipts_issued
from sheetbill.core.model import Ledger
from sheetbill.core.numbering import NumberPattern, highest
from sheetbill.core.payments import plan_payments
from sheetbill.core.plan import CellWrite, RowAppend

from .test_core_payments import CLIENTS, INV1, RULES, TODAY, payment

RCPT = NumberPattern("RCPT-{year}-{seq:04}")


@pytest.mark.parametrize("numbers, top", [
    ([], ()),
    (["RCPT-2026-0003", "RCPT-2026-0007", "RCPT-2026-0005"], ("RCPT-2026-0007",)),
    (["RCPT-2026-0009", "RCPT-2025-0041", "RCPT-2026-0010", "INV-2026-0099"], ("RCPT-2025-0041", "RCPT-2026-0010")),
])
def test_the_highest_number_of_each_series(numbers, top):
    assert highest(RCPT, numbers) == top


@pytest.mark.parametrize("state, changes, entry", [
    ({}, Changes(), {}),
    ({}, Changes.of([CellWrite("payments", 9, "P-00008", "receipt_no", "", "RCPT-2026-0007")]),
     {RECEIPTS: "RCPT-2026-0007"}),
    ({RECEIPTS: "RCPT-2026-0007"}, Changes.of([CellWrite("payments", 9, "P-00010", "receipt_no", "", "RCPT-2026-0008")]),
     {RECEIPTS: "RCPT-2026-0008"}),
    ({RECEIPTS: "RCPT-2026-0007"}, Changes.of([], [RowAppend("payments", "P-00003", {"receipt_no": "RCPT-2026-0004"})]),
     {}),  # a payment put back: below the mark
    ({RECEIPTS: "RCPT-2025-0041"}, Changes.of([CellWrite("payments", 9, "P-00010", "receipt_no", "", "RCPT-2026-0001")]),
     {RECEIPTS: "RCPT-2025-0041,RCPT-2026-0001"}),
    ({RECEIPTS: "RCPT-2026-0007"}, Changes.of([CellWrite("invoices", 9, "INV-2026-0008", "pdf", "", "x.pdf")]), {}),
])
def test_the_mark_moves_with_the_commit_that_issues_past_it(state, changes, entry):
    assert after_commit(RCPT, state, changes) == entry


def test_the_mark_is_read_from_the_state():
    assert receipts_issued({RECEIPTS: "RCPT-2025-0041,RCPT-2026-0007"}) == ("RCPT-2025-0041", "RCPT-2026-0007")
    assert receipts_issued({}) == ()


@pytest.mark.parametrize("issued, expected", [
    ((), "RCPT-2026-0002"),  # the tab shows RCPT-2026-0001 only
    (("RCPT-2026-0007",), "RCPT-2026-0008"),  # 0002..0007 were issued to payments deleted since
    (("RCPT-2025-0040",), "RCPT-2026-0002"),  # another year's series
])
def test_a_new_receipt_is_numbered_on_from_the_highest_ever_issued(issued, expected):
    paid = payment(row=2, pid="P-00001", inv="INV-2026-0001", amount="10.00", applied="INV-2026-0001 10.00",
                   receipt="RCPT-2026-0001")
    new = payment(row=3, pid="P-00010", day=date(2026, 11, 12), inv="INV-2026-0001", amount="20.00")
    ledger = Ledger((), CLIENTS, (), (INV1,), (), (paid, new), receipts_issued=issued)
    plan = plan_payments(ledger, (INV1,), RULES, TODAY)
    assert [r.receipt_no for r in plan.receipts] == [expected]
