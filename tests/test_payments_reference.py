"""payments.reference: ISO 11649 creditor references made from invoice numbers."""

from __future__ import annotations

import pytest
from stdnum import iso11649

from sheetbill.payments.reference import creditor_reference, former_reference, printed, references_in


@pytest.mark.parametrize("number, reference", [
    ("INV-2026-0001", "RF16INV20260001"),
    ("INV-2026-0030", "RF09INV20260030"),
    ("2026/17", "RF48202617"),
    ("inv 2026 0001", "RF16INV20260001"),  # spaces and case do not matter
    ("", ""),  # a draft: no number, no reference
    ("---", ""),
    ("X" * 22, ""),  # longer than ISO 11649 allows: no reference rather than a wrong one
    ("RÉ-2026-0001", "RF40RE20260001"),  # a letter outside ASCII in Latin letters, not left out
    ("Kunde-Müller", "RF78KUNDEMULLER"),
    ("Straße-1", "RF19STRASSE1"),
    ("請求-1", ""),  # no Latin spelling: none rather than `1`'s
])
def test_reference_of_an_invoice_number(number, reference):
    assert creditor_reference(number) == reference
    if reference:
        assert iso11649.is_valid(reference)


@pytest.mark.parametrize("number, former", [
    ("RÉ-2026-0001", "RF55R20260001"),  # as documents sent before Latin spelling carry it
    ("請求-1", "RF741"),
    ("INV-2026-0001", ""),  # the same as now
])
def test_former_reference_left_letters_outside_ascii_out(number, former):
    assert former_reference(number) == former


def test_printed_in_groups_of_four():
    assert printed("RF16INV20260001") == "RF16 INV2 0260 001"
    assert printed("") == ""


@pytest.mark.parametrize("text, found", [
    ("RF16INV20260001", ["RF16INV20260001"]),
    ("Invoice RF16 INV2 0260 001 thanks", ["RF16INV20260001"]),
    ("rf16inv20260001", ["RF16INV20260001"]),
    ("RF17INV20260001", []),  # a wrong check digit is no reference
    ("INV-2026-0001", []),
    ("two: RF16INV20260001 RF09INV20260030", ["RF16INV20260001", "RF09INV20260030"]),
])
def test_references_in_remittance_text(text, found):
    assert references_in(text) == found
