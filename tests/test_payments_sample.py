"""payments.sample: the demo's CAMT.053 statement reads back and matches as the demo says."""

from __future__ import annotations

from datetime import date

from sheetbill.payments.entries import read_statement
from sheetbill.payments.matching import match_entries
from sheetbill.payments.open_amount import open_amount
from sheetbill.payments.sample import demo_statement

from .test_payments_matching import CLIENTS, INVOICES


def test_demo_statement_has_a_reference_a_partial_a_name_match_a_stranger_and_a_fee(tmp_path):
    path = tmp_path / "s.xml"
    path.write_bytes(demo_statement(INVOICES, CLIENTS, "DE89370400440532013000", date(2026, 11, 22)))
    entries = read_statement(path)
    assert [e.amount < 0 for e in entries] == [False, False, False, False, True]
    matches = match_entries(entries, INVOICES, CLIENTS, open_amount, "EUR")
    assert [(m.invoice_no, m.rule) for m in matches] == [
        ("INV-2026-0001", "reference"), ("INV-2026-0002", "invoice number"), ("INV-2026-0003", "amount and name"),
        ("", "")]
    assert matches[1].entry.amount < open_amount(INVOICES[1])  # a partial payment
