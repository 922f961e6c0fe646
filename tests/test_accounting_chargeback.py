"""A lost card dispute in the exported books: called a chargeback (the bank took the money back),
booked to the same accounts and for the same amounts as a refund."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sheetbill.accounting import export
from sheetbill.accounting.journal import journal
from sheetbill.core.model import Allocation, Ledger
from sheetbill.core.numbering import NumberPattern

from .accounting_books import CLIENTS, DATEV, NOVEMBER, OTHERS, _invoice, _line, _payment

CENT = Decimal("0.01")

# Anna paid INV-2026-0010 by card, disputed the charge and won: the invoice is voided by CN-2026-0005
# and her bank took the 68.00 back (Applied To `Chargeback -68.00`).
PAID = _payment(2, "P-00010", date(2026, 11, 3), "C-001", "INV-2026-0010", "68.00", "Card", "ch_1",
                (Allocation("INV-2026-0010", Decimal("68.00")),))
TAKEN_BACK = _payment(3, "P-00011", date(2026, 11, 14), "C-001", "INV-2026-0010", "-68.00", "Card", "dp_1",
                      (Allocation("Chargeback", Decimal("-68.00")),))
LEDGER = Ledger(sessions=(), clients=CLIENTS, services=(), lines=(), payments=(PAID, TAKEN_BACK), invoices=(
    _invoice("INV-2026-0010", date(2026, 11, 2), date(2026, 11, 16), "C-001", "Anna Meier", [
        _line("INV-2026-0010", "S-00020", date(2026, 11, 2), "LD60", "Manual lymph drainage, 60 min", "1", "68.00",
              "0", "0", "68.00", "0")], status="Void"),
    _invoice("CN-2026-0005", date(2026, 11, 12), date(2026, 11, 12), "C-001", "Anna Meier", [
        _line("CN-2026-0005", "S-00020", date(2026, 11, 2), "LD60", "Manual lymph drainage, 60 min", "-1", "68.00",
              "0", "0", "-68.00", "0")], sessions=("INV-2026-0010",))))
# The same money paid back by the practice instead.
REFUNDED = replace(LEDGER, payments=(PAID, replace(TAKEN_BACK, applied=(Allocation("Refund", Decimal("-68.00")),))))


def _file(fmt: str, ledger: Ledger = LEDGER) -> str:
    books = journal(ledger, *NOVEMBER, NumberPattern("CN-{year}-{seq:04}"), "EUR")
    data = export.files(fmt, books, DATEV if fmt == "datev" else OTHERS, True, CENT).files[0][1]
    return data.decode("utf-8" if fmt == "csv" else "cp1252")


def _csv_row(ledger: Ledger = LEDGER) -> dict[str, str]:
    row, = [r for r in csv.DictReader(io.StringIO(_file("csv", ledger))) if r["Number"] == "P-00011"]
    return row


def _datev_rows(ledger: Ledger = LEDGER) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(_file("datev", ledger), newline=""), delimiter=";"))[2:]
    return [r for r in rows if "P-00011" in r[13]]


def test_the_plain_journal_calls_a_lost_dispute_a_chargeback():
    row = _csv_row()
    assert (row["Type"], row["Total"], row["Applied To"]) == ("Chargeback", "-68.00", "Chargeback -68.00")
    refund = _csv_row(REFUNDED)
    assert refund["Type"] == "Refund"
    assert {k: v for k, v in row.items() if k not in ("Type", "Applied To")} == \
        {k: v for k, v in refund.items() if k not in ("Type", "Applied To")}


def test_datev_books_a_chargeback_like_a_refund_under_its_own_buchungstext():
    booking, = _datev_rows()
    assert booking[13] == "Rückbelastung P-00011 Anna Meier"
    refund, = _datev_rows(REFUNDED)
    assert refund[13] == "Erstattung P-00011 Anna Meier"
    assert booking[:13] == refund[:13] and booking[14:] == refund[14:]  # same accounts, amount, Belegfeld


def test_iif_check_for_a_chargeback_says_the_bank_took_it_back():
    memos = [line.split("\t")[8] for line in _file("iif").split("\r\n") if "\tCHECK\t" in line]
    assert memos == ["Chargeback (reversed by the bank) of credit from P-00010: Card dp_1",
                     "Chargeback (reversed by the bank) of credit from P-00010"]
    refund = [line.split("\t") for line in _file("iif", REFUNDED).split("\r\n") if "\tCHECK\t" in line]
    chargeback = [line.split("\t") for line in _file("iif").split("\r\n") if "\tCHECK\t" in line]
    assert [r[:8] for r in chargeback] == [r[:8] for r in refund]
