"""core.kind: whether an invoice row is an invoice or a credit note."""

from __future__ import annotations

import pytest

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
