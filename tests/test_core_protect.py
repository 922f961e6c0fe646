"""core.protect: edits to finalized invoices undone, and what a person must hear of
(a row added to a finalized invoice, a receipted payment deleted or changed)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sheetbill.core.protect import (invoiced_session_flags, receipted_cells, receipted_deleted, receipted_flags,
                                    restore_finalized)

PAID = {"payment_id": "P-00001", "date": "2026-11-03", "client": "C-001", "invoice_no": "INV-2026-0001",
        "amount": "40", "method": "Cash", "reference": "", "applied_to": "INV-2026-0001 40.00",
        "receipt_no": "RCPT-2026-0001", "receipt_sent_at": "2026-11-03T10:00:00Z"}

SET_BACK = ("Payment P-00001 was changed after its receipt RCPT-2026-0001 was issued ({}): set back, as the receipt "
            "states. To take money back, enter a refund (a negative Amount); to move it to another client or "
            "invoice, a refund and a new payment")


@pytest.mark.parametrize("now, flag", [
    ({"P-00001": PAID}, None),
    ({"P-00001": {**PAID, "method": "Card", "reference": "terminal 2"}}, None),  # not what the receipt is for
    ({"P-00001": {**PAID, "receipt_sent_at": ""}}, None),  # cleared to send it again (README)
    ({}, None),  # put back (receipted_deleted)
    ({"P-00001": {**PAID, "amount": "45"}},
     "Payment P-00001 was changed after its receipt RCPT-2026-0001 was issued (Amount 40 -> 45): "
     "the client's receipt still shows what it was"),
    ({"P-00001": {**PAID, "amount": "40.00"}}, None),  # the same amount
    ({"P-00001": {**PAID, "date": "2026-11-04"}},
     "Payment P-00001 was changed after its receipt RCPT-2026-0001 was issued "
     "(Date 2026-11-03 -> 2026-11-04): the client's receipt still shows what it was"),
    ({"P-00001": {**PAID, "date": "2026-11-04", "client": ""}},
     [SET_BACK.format("Client C-001 -> (empty)"),
      "Payment P-00001 was changed after its receipt RCPT-2026-0001 was issued "
      "(Date 2026-11-03 -> 2026-11-04): the client's receipt still shows what it was"]),
    ({"P-00001": {**PAID, "client": "C-002", "invoice_no": "INV-2026-0009", "amount": "30"}},
     SET_BACK.format("Client C-001 -> C-002; Invoice No INV-2026-0001 -> INV-2026-0009; Amount 40 -> 30")),
    ({"P-00001": {**PAID, "amount": ""}}, SET_BACK.format("Amount 40 -> (empty)")),
])
def test_a_receipted_payment_deleted_or_changed_is_flagged(now: dict, flag: str | list | None) -> None:
    expected = flag if isinstance(flag, list) else [flag] if flag else []
    assert receipted_flags({"P-00001": PAID}, now) == expected


@pytest.mark.parametrize("changed, set_back", [
    ({"client": "C-002"}, {"client": "C-001"}),  # the money is on C-001's invoices, as the receipt says
    ({"client": "Anna Schmidt"}, {"client": "C-001"}),
    ({"invoice_no": "INV-2026-0009"}, {"invoice_no": "INV-2026-0001"}),
    ({"invoice_no": ""}, {"invoice_no": "INV-2026-0001"}),
    ({"client": "", "invoice_no": ""}, {"client": "C-001", "invoice_no": "INV-2026-0001"}),
    ({"amount": "30"}, {"amount": "40"}),  # lowered: taken back with a refund
    ({"amount": ""}, {"amount": "40"}),
    ({"amount": "forty"}, {"amount": "40"}),
    ({"amount": "45"}, {}),  # raised: the rest is credit
    ({"amount": "40.00"}, {}),
    ({"date": "2026-11-04", "method": "Card", "reference": "x"}, {}),  # taken as the sheet says
    ({"applied_to": "INV-2026-0002 40.00", "receipt_no": ""}, {"applied_to": "INV-2026-0001 40.00",
                                                               "receipt_no": "RCPT-2026-0001"}),
])
def test_what_a_receipt_states_of_where_the_money_went_is_set_back(changed: dict, set_back: dict) -> None:
    writes = receipted_cells({"P-00001": PAID}, {"P-00001": {**PAID, **changed}}, {("payments", "P-00001"): 2})
    assert {w.field: w.after for w in writes} == set_back
    assert all(w.row == 2 and w.before == changed[w.field] for w in writes)
    blank = {**PAID, "client": "", "invoice_no": ""}  # applied to the open invoices, its client found by them
    filled = receipted_cells({"P-00001": blank}, {"P-00001": {**blank, "client": "C-002"}}, {("payments", "P-00001"): 2})
    assert [(w.field, w.after) for w in filled] == [("client", "")]  # C-002 would take C-001's money
    credit = {**PAID, "invoice_no": "", "applied_to": "Credit 40.00"}  # nothing open when it came: all credit
    assert receipted_cells({"P-00001": credit}, {"P-00001": {**credit, "client": "C-002"}},
                           {("payments", "P-00001"): 2}) == []  # the credit moves with the Client, as the sheet says
    unreceipted = {**PAID, "receipt_no": "", "applied_to": ""}
    assert receipted_cells({"P-00001": unreceipted}, {"P-00001": {**unreceipted, **changed}},
                           {("payments", "P-00001"): 2}) == []


def test_a_payment_without_a_receipt_may_change() -> None:
    before = {"P-00002": {**PAID, "payment_id": "P-00002", "receipt_no": "", "applied_to": ""}}
    assert receipted_flags(before, {}) == []
    assert receipted_flags(before, {"P-00002": {**before["P-00002"], "amount": "99"}}) == []


@pytest.mark.parametrize("before, now, put_back", [
    ({"P-00001": PAID}, {}, ["P-00001"]),  # receipted, deleted: put back
    ({"P-00001": PAID}, {"P-00001": {**PAID, "amount": "45"}}, []),  # changed: flagged, not undone
    ({"P-00001": {**PAID, "receipt_no": "", "receipt_sent_at": ""}}, {}, []),  # no receipt yet: may go
    ({"P-00001": PAID, "P-00002": {**PAID, "payment_id": "P-00002", "receipt_no": "RCPT-2026-0002"}},
     {"P-00001": PAID}, ["P-00002"]),
])
def test_a_deleted_receipted_payment_is_put_back(before: dict, now: dict, put_back: list) -> None:
    appends = receipted_deleted(before, now)
    assert [a.key for a in appends] == put_back
    assert all(a.tab == "payments" and a.values == before[a.key] for a in appends)


def test_the_flags_and_put_back_payments_come_with_the_restoration() -> None:
    out = restore_finalized({"payments": {"P-00001": PAID}}, {"payments": {}}, {}, ())
    assert [a.key for a in out.appends] == ["P-00001"] and out.flags == []
    out = restore_finalized({"payments": {"P-00001": PAID}}, {"payments": {"P-00001": {**PAID, "amount": "45"}}},
                            {}, ())
    assert out.empty and len(out.flags) == 1 and out.flags[0].startswith("Payment P-00001 was changed")
    out = restore_finalized({"payments": {"P-00001": PAID}}, {"payments": {"P-00001": {**PAID, "amount": "4"}}},
                            {("payments", "P-00001"): 2}, ())
    assert [(w.field, w.after) for w in out.writes] == [("amount", "40")] and "set back" in out.flags[0]


SESSION = {"session_id": "S-00004", "date": "2026-11-03", "client": "C-001", "service": "LD60",
           "status": "Completed", "invoice_no": "INV-2026-0007", "billing_status": "Paid"}


@pytest.mark.parametrize("before, now, flagged", [
    ({"S-00004": SESSION}, {}, True),
    ({"S-00004": SESSION}, {"S-00004": {**SESSION, "status": "Cancelled"}}, False),  # a Problem on its row says it
    ({"S-00004": {**SESSION, "invoice_no": "", "billing_status": ""}}, {}, False),  # not billed (or a Draft)
])
def test_a_deleted_invoiced_session_is_flagged(before: dict, now: dict, flagged: bool) -> None:
    expected = ["Session S-00004 was deleted after it was invoiced on INV-2026-0007: the invoice stays as sent "
                "(void it to take the session back); the deleted row is in the Changelog"]
    assert invoiced_session_flags(before, now) == (expected if flagged else [])


ISSUED = {"invoice_no": "INV-2026-0001", "client_id": "C-001", "total": "65.00", "status": "Finalized"}
LINE = {"invoice_no": "INV-2026-0001", "session_id": "S-00001", "code": "LD60", "total": "65.00"}
TYPED = {"invoice_no": "INV-2026-0002", "client_id": "C-002", "total": "50", "status": "Finalized"}
TYPED_LINE = {"invoice_no": "INV-2026-0002", "session_id": "", "code": "X", "total": "50"}


@pytest.mark.parametrize("invoices, lines, cleared", [
    ({}, {}, []),  # nothing added
    ({"INV-2026-0002": TYPED}, {}, ["INV-2026-0002"]),  # an invoice typed by hand: it would be sent
    ({"INV-2026-0002": {**TYPED, "status": ""}}, {}, ["INV-2026-0002"]),  # or take the next number
    ({"INV-2026-0002": {**TYPED, "status": "Draft"}}, {}, ["INV-2026-0002"]),
    ({"INV-2026-0002": TYPED}, {"INV-2026-0002//X": TYPED_LINE}, ["INV-2026-0002", "INV-2026-0002//X"]),
    ({}, {"INV-2026-0002//X": TYPED_LINE}, []),  # a line of no invoice: the audit's to report
    ({"row 9": {f: "" for f in TYPED}}, {}, []),  # a note beside the tab: none of its columns
    ({}, {"INV-2026-0001/S-00099/LD60": {**LINE, "session_id": "S-00099"}},
     ["INV-2026-0001/S-00099/LD60"]),  # a line added to a finalized invoice
])
def test_rows_added_by_hand_to_the_ledger_are_cleared(invoices: dict, lines: dict, cleared: list) -> None:
    before = {"invoices": {"INV-2026-0001": ISSUED}, "lines": {"INV-2026-0001/S-00001/LD60": LINE}}
    now = {"invoices": {"INV-2026-0001": ISSUED, **invoices}, "lines": {"INV-2026-0001/S-00001/LD60": LINE, **lines}}
    row_of = {(tab, key): n for tab, rows in now.items() for n, key in enumerate(rows, start=2)}
    out = restore_finalized(before, now, row_of, ())
    assert sorted(dict.fromkeys(w.key for w in out.cleared)) == cleared
    assert all(w.after == "" and w.before and w.row == row_of[(w.tab, w.key)] for w in out.cleared)
    assert [f.split(" was ")[0] for f in out.flags] == [f"{'Lines' if '/' in k else 'Invoices'} row {k}"
                                                         for k in cleared]
    assert out.writes == [] and out.appends == [] and out.empty == (not cleared)


def test_without_a_snapshot_no_row_is_taken_for_one_added_by_hand() -> None:
    now = {"invoices": {"INV-2026-0001": ISSUED, "INV-2026-0002": TYPED}}
    row_of = {("invoices", "INV-2026-0001"): 2, ("invoices", "INV-2026-0002"): 3}
    assert restore_finalized({}, now, row_of, (), have_snapshot=False).cleared == []


def test_a_damaged_snapshot_is_said_and_the_changed_invoices_are_found_by_their_checksum() -> None:
    from datetime import date
    from decimal import Decimal

    from sheetbill.core.invoice import assemble, checksum
    from sheetbill.core.model import InvoiceStatus, Line

    line = Line("INV-2026-0001", "S-00001", date(2026, 11, 3), "LD60", "Lymph drainage", Decimal(1), Decimal(65),
                Decimal(0), Decimal(0), Decimal(65), Decimal(0), Decimal(65))
    issued = assemble("INV-2026-0001", date(2026, 11, 3), date(2026, 11, 17), "C-001", "Anna", [line],
                      InvoiceStatus.FINALIZED, Decimal("0.01"))
    sealed = replace(issued, checksum=checksum(issued, issued.lines))
    changed = replace(sealed, total=Decimal(80))
    now = {"invoices": {"INV-2026-0001": ISSUED}}
    out = restore_finalized({}, now, {("invoices", "INV-2026-0001"): 2}, (changed,), unreadable=frozenset({"invoices"}))
    assert out.flags[0].startswith("the snapshot of Invoices in the hidden _sheetbill tab is damaged")
    assert out.flags[1].startswith("INV-2026-0001 was changed after it was finalized (its Checksum no longer matches)")
    assert out.cleared == [] and out.writes == []
    assert restore_finalized({}, now, {}, (sealed,), unreadable=frozenset({"invoices"})).flags[1:] == []
    assert restore_finalized({}, now, {}, (changed,), unreadable=frozenset({"payments"})).flags == []
