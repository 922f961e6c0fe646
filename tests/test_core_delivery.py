"""core.delivery and core.identity: the marks of an email being sent, what a
person is asked when a send was interrupted, and the workbook's own id."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from sheetbill.core.changelog import Change
from sheetbill.core.delivery import resolution, unknown_outcomes
from sheetbill.core.marks import OLD_RECEIPT_MARK as SENDING
from sheetbill.core.marks import cell_is_sending, marked_id, sending_cell, sending_state, state_is_sending
from sheetbill.core.identity import identify, recorded_id
from sheetbill.core.recover import state_from_changelog
from sheetbill.core.model import InvoiceStatus, Payment
from sheetbill.render.sample import sample_document

MID = "<receipt.rcpt-2026-0001.3f2a9c1e5b7d@practice.example>"


@pytest.mark.parametrize("mark, sending, mid", [
    (sending_cell(MID), True, MID),
    (SENDING, True, ""),  # an older version's mark: no id in it
    ("2026-11-21T09:31:00Z", False, ""),
    ("not emailed: the client has no Email", False, ""),
    ("", False, ""),
])
def test_a_receipts_mark(mark, sending, mid):
    assert cell_is_sending(mark) is sending
    assert marked_id(mark) == mid


@pytest.mark.parametrize("value, sending, mid", [
    (sending_state("2", MID), True, MID),
    ("2 sending", True, ""),
    ("2", False, ""),
    (sending_state("2026-11-21T09:30:00Z", MID), True, MID),
    ("2026-11-21T09:30:00Z sending", True, ""),
    ("2026-11-21T09:30:00Z", False, ""),
])
def test_a_reminders_or_statements_mark(value, sending, mid):
    assert state_is_sending(value) is sending
    assert marked_id(value) == mid


def test_every_kind_of_interrupted_send_is_found():
    invoice = sample_document().invoice
    marked = replace(invoice, message_id="<x@y.example>", sent_at="", status=InvoiceStatus.FINALIZED)
    note = replace(marked, invoice_no="CN-2026-0001", row=9)
    done = replace(marked, invoice_no="INV-2026-0002", sent_at="2026-11-21T09:30:00Z")
    void = replace(marked, invoice_no="INV-2026-0003", status=InvoiceStatus.VOID)
    payment = Payment(row=2, payment_id="P-00001", date=date(2026, 11, 20), client="C-001", invoice_no="",
                      amount=Decimal("65"), method="Card", reference="", receipt_no="RCPT-2026-0001",
                      receipt_sent_at=sending_cell(MID), problem="", applied=())
    refund = replace(payment, payment_id="P-00009", receipt_no="RCPT-2026-0002", receipt_sent_at=SENDING)
    state = {"reminder/INV-2026-0001": "2 sending", "reminder/INV-2026-0004": "1",
             "statement/C-001/2026-10-01..2026-10-31": sending_state("2026-11-21T09:30:00Z", MID),
             "changelog_hash": "ab"}
    found = unknown_outcomes([marked, note, done, void], [payment, refund], state)
    assert [(u.tab, u.key) for u in found] == [
        ("invoices", invoice.invoice_no), ("invoices", "CN-2026-0001"), ("payments", payment.payment_id),
        ("payments", "P-00009"), ("", "reminder/INV-2026-0001"), ("", "statement/C-001/2026-10-01..2026-10-31")]
    assert all("may or may not have gone out" in u.message and "Sent folder" in u.message for u in found)
    assert "put the time in Sent At" in found[1].message and "clear its Message ID" in found[1].message
    assert "Receipt Sent At" in found[2].message
    assert "Reminder 2 of INV-2026-0001" in found[4].message
    assert "sheetbill resolve reminder/INV-2026-0001 --sent" in found[4].message
    assert "Statement of C-001 for 2026-10-01..2026-10-31" in found[5].message


@pytest.mark.parametrize("key, value, sent, state, logged", [
    ("reminder/INV-1", "2 sending <a@b.c>", True, "2", ("remind", "Invoices", "INV-1", "1", "2")),
    ("reminder/INV-1", "1 sending", True, "1", ("remind", "Invoices", "INV-1", "", "1")),
    ("reminder/INV-1", "2 sending <a@b.c>", False, "1", None),
    ("reminder/INV-1", "1 sending", False, "", None),
    ("statement/C-1/2026-10-01..2026-10-31", "T sending <a@b.c>", True, "NOW",
     ("statement", "Clients", "C-1", "", "2026-10-01..2026-10-31")),
    ("statement/C-1/2026-10-01..2026-10-31", "T sending", False, "", None),
    ("autopay-setup/C-1", "T sending <a@b.c>", True, "NOW",
     ("autopay-setup", "Clients", "C-1", "", "card set-up link sent")),
    ("autopay-setup/C-1", "T sending <a@b.c>", False, "", None),
    ("superbill/C-1/2026-10-01..2026-10-31", "T sending <a@b.c>", True, "NOW",
     ("superbill", "Clients", "C-1", "", "2026-10-01..2026-10-31")),
    ("copy/INV-1/2026-11-21", "T sending <a@b.c>", True, "NOW",
     ("invoice copy", "Invoices", "INV-1", "", "as of 2026-11-21")),
])
def test_a_persons_answer(key, value, sent, state, logged):
    names = {"invoices": "Invoices", "clients": "Clients"}
    writes, log, said = resolution(key, value, sent, "NOW", "sheetbill", names.__getitem__)
    assert writes == {key: state}
    if logged is None:
        assert log == [] and "sent again" in said
    else:
        (c,) = log
        assert (c.action, c.tab, c.key, c.before, c.after) == logged and "recorded as sent" in said
        assert state_from_changelog(log)[key] == state  # rebuilt the same after _sheetbill is lost


@pytest.mark.parametrize("key, value", [("reminder/INV-1", "2"), ("statement/C-1/x", ""), ("changelog_hash", "a")])
def test_nothing_to_answer(key, value):
    with pytest.raises(ValueError, match="not an email waiting"):
        resolution(key, value, True, "NOW", "sheetbill", str)


def test_the_emails_a_run_records_are_rebuilt_from_the_changelog():
    """What the worker logs as it sends a superbill or an invoice's copy (deliver/outgoing.py)
    marks it sent again once _sheetbill is lost: nothing is sent twice."""
    log = [Change("T1", "sheetbill", "superbill", "Clients", "C-009", "Superbill", "", "2026-10-01..2026-10-31"),
           Change("T2", "sheetbill", "invoice copy", "Invoices", "INV-7", "Emailed", "", "Paid 2026-11-21")]
    state = state_from_changelog(log)
    assert state["superbill/C-009/2026-10-01..2026-10-31"] == "T1" and state["copy/INV-7/2026-11-21"] == "T2"


def test_the_workbooks_id_is_made_once_and_rebuilt_from_the_changelog():
    made, log = identify({}, lambda: "f00d", "2026-11-21T09:30:00Z", "sheetbill", "_sheetbill")
    assert made == {"workbook_id": "f00d"} and [c.after for c in log] == ["f00d"]
    assert identify(made, lambda: "other", "x", "sheetbill", "_sheetbill") == ({}, [])
    other = Change("t", "editor", "edit", "Sessions", "S-1", "Notes", "", "f00d")
    assert recorded_id([other]) == ""
    assert state_from_changelog([*log, other])["workbook_id"] == "f00d"
    assert "workbook_id" not in state_from_changelog([other])


def test_an_interrupted_autopay_set_up_email_waits_for_a_persons_answer():
    (found,) = unknown_outcomes([], [], {"autopay-setup/C-1": "T sending <a@b.c>", "autopay-card/C-1": "cs_1 u"})
    assert found.key == "autopay-setup/C-1"
    assert found.message.startswith("AutoPay card set-up email of C-1 may or may not have gone out")
    assert "sheetbill resolve autopay-setup/C-1 --sent" in found.message
