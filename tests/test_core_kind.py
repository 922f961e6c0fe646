"""core.kind: whether an invoice row is an invoice or a credit note."""

from __future__ import annotations

import pytest

from sheetbill.core.billing import BillingRules
from sheetbill.core.kind import InvoiceKind, is_credit_note, kind_of
from sheetbill.core.numbering import NumberPattern

NOTES = NumberPattern("CN-{year}-{seq:04}")


@pytest.mark.parametrize("number, kind", [
    ("CN-2026-0001", InvoiceKind.CREDIT_NOTE),
    ("INV-2026-0001", InvoiceKind.INVOICE),
    ("DRAFT-S-00001", InvoiceKind.INVOICE),
    ("", InvoiceKind.INVOICE),
])
def test_the_kind_of_a_number(number, kind):
    assert kind_of(number, NOTES) is kind
    assert is_credit_note(number, NOTES) is (kind is InvoiceKind.CREDIT_NOTE)


@pytest.mark.parametrize("number, credit_note", [("CN-2026-0001", True), ("INV-2026-0001", False), ("", False)])
def test_the_rules_say_which_numbers_are_credit_notes(number, credit_note):
    assert BillingRules(credit_note_pattern=NOTES).credit_note(number) is credit_note
