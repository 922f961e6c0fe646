"""payments.entries, camt, mt940_file: statements of several banks' shapes read into entries."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sheetbill.payments.entries import BankEntry, StatementError, read_statement

FILES = Path(__file__).resolve().parent / "bankfiles"


def summary(entries: list[BankEntry]) -> list[tuple]:
    return [(e.date, e.amount, e.counterparty, e.text, e.key, e.structured_ref) for e in entries]


def test_camt053_v02_structured_and_unstructured_remittance_debits_pending_left_out():
    assert summary(read_statement(FILES / "camt053_v02_sparkasse.xml")) == [
        (date(2026, 11, 21), Decimal("65.00"), "Anna Meier", "GUTSCHRIFT", "2026112100001", "RF16INV20260001"),
        (date(2026, 11, 21), Decimal("30.00"), "BECKER, JONAS", "Rechnung inv 2026/0002 Teilzahlung",
         "2026112100002", ""),
        (date(2026, 11, 21), Decimal("-12.00"), "", "ENTGELT KONTOFUEHRUNG", "2026112100003", ""),
    ]


def test_camt053_v08_batch_gives_one_entry_per_transaction_reversals_left_out():
    assert summary(read_statement(FILES / "camt053_v08_batch.xml")) == [
        (date(2026, 11, 21), Decimal("65.00"), "Sofia Rossi", "Sessione novembre", "B77-1", ""),
        (date(2026, 11, 21), Decimal("65.00"), "Unknown Sender GmbH", "Spende", "B77-2", ""),
        (date(2026, 11, 21), Decimal("-65.00"), "Anna Meier", "", "R-9", ""),  # a returned transfer: a debit
    ]


@pytest.mark.parametrize("version", ["02", "03", "04", "05", "06", "07", "08"])
def test_every_camt053_version_reads_alike(tmp_path, version):
    text = (FILES / "camt053_v02_sparkasse.xml").read_text().replace("camt.053.001.02", f"camt.053.001.{version}")
    (tmp_path / "s.xml").write_text(text)
    assert len(read_statement(tmp_path / "s.xml")) == 3


def test_charges_taken_by_the_bank_do_not_change_what_the_client_paid(tmp_path):
    text = (FILES / "camt053_v02_sparkasse.xml").read_text().replace(
        '<Amt Ccy="EUR">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>',
        '<Amt Ccy="EUR">29.50</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
        '<Chrgs><Amt Ccy="EUR">0.50</Amt><CdtDbtInd>DBIT</CdtDbtInd></Chrgs>', 1)
    (tmp_path / "s.xml").write_text(text)
    assert read_statement(tmp_path / "s.xml")[1].amount == Decimal("30.00")


def test_mt940_with_structured_86_fields():
    assert summary(read_statement(FILES / "mt940_deutsche.sta")) == [
        (date(2026, 11, 21), Decimal("65.00"), "MEIER ANNA", "RF16 INV2 0260 001Danke", "BANKREF-1", ""),
        (date(2026, 11, 21), Decimal("30.00"), "Becker, Jonas", "Rechnung INV 2026 0002", "BANKREF-2", ""),
        (date(2026, 11, 21), Decimal("-12.00"), "", "Kontofuehrung", "BANKREF-3", ""),
    ]


def test_an_entry_without_a_bank_reference_is_known_by_what_it_says():
    a = BankEntry(date(2026, 11, 21), Decimal(10), "EUR", "A", "x", "")
    assert a.key.startswith("sha:") and a.key == BankEntry(date(2026, 11, 21), Decimal(10), "EUR", "A", "x", "").key
    assert a.key != BankEntry(date(2026, 11, 21), Decimal(10), "EUR", "A", "y", "").key


@pytest.mark.parametrize("content, message", [
    (b"hello", "neither a CAMT.053 (XML) nor an MT940 statement"),
    (b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.054.001.02'/>", "not a CAMT.053 statement"),
    (b"<Document", "not well-formed XML"),
])
def test_unreadable_files_say_why(tmp_path, content, message):
    (tmp_path / "f").write_bytes(content)
    with pytest.raises(StatementError, match=re.escape(message)):
        read_statement(tmp_path / "f")


def test_a_missing_file(tmp_path):
    with pytest.raises(StatementError, match="cannot read it"):
        read_statement(tmp_path / "nope.xml")
