"""Statements dropped in payments.bank.folder are imported by the cycle, each once;
CSV exports by the config's columns; debits that refund a client are recorded."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sheetbill import cli
from sheetbill.payments.bank_settings import CsvMapping
from sheetbill.payments.csv_statement import parse_csv
from sheetbill.payments.entries import StatementError

from .conftest import session

FILES = Path(__file__).resolve().parent / "bankfiles"
CSV_CONFIG = """payments:
  bank:
    folder: statements
    csv:
      date: Buchungstag
      amount: Betrag
      counterparty: Name
      text: Verwendungszweck
      reference: Referenz
      delimiter: ";"
      decimal: ","
  account:"""
SPARKASSE_CSV = """Buchungstag;Name;Verwendungszweck;Betrag;Referenz
21.11.2026;Jonas Becker;Rechnung INV-2026-0002;58,50;CSV-1
21.11.2026;Stadtwerke;Strom November;-120,00;CSV-2
21.11.2026;Anna Meier;Erstattung Guthaben;-10,00;CSV-3
"""


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def folder_practice(practice) -> Path:
    practice.configure("payments:\n  account:", CSV_CONFIG)
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)),  # INV-2026-0001, 65.00
                    session("S-00002", date(2026, 11, 3), client="C-002"),  # INV-2026-0002, 58.50
                    session("S-00003", date(2026, 11, 4), client="C-003"))  # INV-2026-0003, 65.00
    practice.run()
    folder = practice.folder / "statements"
    folder.mkdir()
    return folder


def test_each_dropped_file_is_imported_once_by_the_next_cycle(practice):
    folder = folder_practice(practice)
    shutil.copy(FILES / "camt053_v02_sparkasse.xml", folder)
    practice.run()
    shutil.copy(FILES / "camt053_v02_sparkasse.xml", folder / "again-under-another-name.xml")
    shutil.copy(FILES / "camt053_v08_batch.xml", folder)
    practice.run()
    practice.run()
    payments = practice.rows("Payments")
    assert [(p["Invoice No"], p["Reference"]) for p in payments] == [
        ("INV-2026-0001", "2026112100001"), ("INV-2026-0002", "2026112100002"), ("INV-2026-0003", "B77-1")]
    invoices = {r["Invoice No"]: r["Status"] for r in practice.rows("Invoices")}
    assert invoices["INV-2026-0001"] == "Paid" and invoices["INV-2026-0003"] == "Paid"  # applied by the cycle
    assert [r["Reference"] for r in practice.rows("Bank")] == ["2026112100001", "2026112100002", "B77-1", "B77-2"]


def test_a_csv_export_is_read_by_the_configured_columns_and_a_refund_of_credit_is_recorded(practice):
    folder = folder_practice(practice)
    practice.append("Payments", [None, date(2026, 11, 20), "C-001", "INV-2026-0001", 75, "Cash"])  # 10.00 credit
    practice.run()
    assert money(practice.rows("Clients")[0]["Credit"]) == Decimal("10.00")
    (folder / "umsaetze.csv").write_text(SPARKASSE_CSV, encoding="utf-8")
    report = practice.run()
    assert not report.errors
    payments = practice.rows("Payments")
    assert sorted((p["Invoice No"] or p["Client"], money(p["Amount"]), p["Method"], p["Reference"])
                  for p in payments[1:]) == [
        ("C-001", Decimal("-10.00"), "Bank transfer", "CSV-3"),
        ("INV-2026-0002", Decimal("58.50"), "Bank transfer", "CSV-1")]
    assert [(r["Reference"], r["Matched To"]) for r in practice.rows("Bank")] == [("CSV-3", "C-001"),
                                                                                  ("CSV-1", "INV-2026-0002")]
    practice.run()
    assert money(practice.rows("Clients")[0]["Credit"]) == Decimal("0.00")
    assert len(practice.rows("Payments")) == 3  # the electricity bill is left alone


def test_a_debit_paying_out_a_refund_row_points_to_it_and_adds_nothing(practice):
    folder = folder_practice(practice)
    practice.append("Payments", [None, date(2026, 11, 20), "C-001", "INV-2026-0001", 75, "Cash"])
    practice.run()
    practice.append("Payments", [None, date(2026, 11, 21), "C-001", None, -10, "Bank transfer"])
    practice.run()
    refund_id = practice.rows("Payments")[1]["Payment ID"]
    (folder / "umsaetze.csv").write_text(SPARKASSE_CSV, encoding="utf-8")
    practice.run()
    assert len(practice.rows("Payments")) == 3  # 2 before + the CSV's credit
    assert ("CSV-3", refund_id) in [(r["Reference"], r["Matched To"]) for r in practice.rows("Bank")]


@pytest.mark.parametrize("text, said", [
    ("Tag;Betrag\n01.11.2026;1\n", "no column 'Buchungstag'"),
    ("Buchungstag;Betrag\n01.11.2026;abc\n", "line 2: amount 'abc' is not a number"),
    ("Buchungstag;Betrag\n2026/13/45;1\n", "line 2: date '2026/13/45' is not a date"),
])
def test_a_bad_csv_is_one_line(text, said):
    with pytest.raises(StatementError, match=said):
        parse_csv(text.encode(), "x.csv", CsvMapping("Buchungstag", "Betrag", delimiter=";", decimal=","))


@pytest.mark.parametrize("decimal, written, amount", [
    (",", "52,00", Decimal("52.00")), (",", "1.234,50", Decimal("1234.50")), (",", "-1.234.567,5", Decimal("-1234567.5")),
    (",", "1 234,50", Decimal("1234.50")), (",", "1.234", Decimal("1234")), (",", "52", Decimal("52")),
    (".", "52.00", Decimal("52.00")), (".", "1,234.50", Decimal("1234.50")), (".", "-1,234", Decimal("-1234")),
    # the other decimal mark: not a hundred times the amount
    (",", "52.00", "amount '52.00' is not a number like 1.234,56 (payments.bank.csv.decimal is ',')"),
    (",", "1.234.5", "amount '1.234.5' is not a number like 1.234,56 (payments.bank.csv.decimal is ',')"),
    (".", "52,00", "amount '52,00' is not a number like 1,234.56 (payments.bank.csv.decimal is '.')"),
    (".", "52,5", "amount '52,5' is not a number like 1,234.56 (payments.bank.csv.decimal is '.')"),
    (".", "Infinity", "amount 'Infinity' is not a number like 1,234.56 (payments.bank.csv.decimal is '.')"),
])
def test_a_csv_amount_is_read_with_the_configured_decimal_mark_only(decimal, written, amount):
    mapping = CsvMapping("Buchungstag", "Betrag", delimiter=";", decimal=decimal)
    data = f"Buchungstag;Betrag\n01.12.2026;{written}\n".encode()
    if isinstance(amount, Decimal):
        assert [e.amount for e in parse_csv(data, "x.csv", mapping)] == [amount]
    else:
        with pytest.raises(StatementError) as raised:
            parse_csv(data, "x.csv", mapping)
        assert str(raised.value) == f"x.csv: line 2: {amount}"


def test_csv_amounts_and_dates_as_banks_write_them():
    entries = parse_csv(b"Date,Amount,Payee\n2026-11-03,\"1,234.50\",A\n11/04/2026,-2.00,B\n", "x.csv",
                        CsvMapping("Date", "Amount", "Payee", day_first=False), "USD")
    assert [(e.date, e.amount, e.currency, e.counterparty) for e in entries] == [
        (date(2026, 11, 3), Decimal("1234.50"), "USD", "A"), (date(2026, 11, 4), Decimal("-2.00"), "USD", "B")]


def test_a_bad_csv_section_is_named(practice):
    practice.configure("payments:\n  account:", "payments:\n  bank:\n    csv:\n      amount: Betrag\n  account:")
    assert cli.main(["-q", "check", "--config", str(practice.config_path)]) != 0


NO_REFERENCE_CONFIG = CSV_CONFIG.replace("      reference: Referenz\n", "")
TWICE_CSV = """Buchungstag;Name;Verwendungszweck;Betrag
21.11.2026;Jonas Becker;Rechnung INV-2026-0002;58,50
21.11.2026;Jonas Becker;Rechnung INV-2026-0002;58,50
"""


def test_a_client_who_paid_twice_is_in_bank_twice_and_a_file_dropped_again_adds_nothing(practice):
    folder = folder_practice(practice)
    practice.configure(CSV_CONFIG, NO_REFERENCE_CONFIG)  # a CSV export without the bank's references
    first_only = "".join(TWICE_CSV.splitlines(keepends=True)[:2])  # an export made after the first payment came in
    (folder / "umsaetze.csv").write_text(first_only, encoding="utf-8")
    practice.run()
    assert [money(r["Amount"]) for r in practice.rows("Bank")] == [Decimal("58.50")]

    (folder / "umsaetze-2.csv").write_text(TWICE_CSV, encoding="utf-8")  # the day's export: it came in twice
    practice.run()
    shutil.copy(folder / "umsaetze-2.csv", folder / "umsaetze-2-again.csv")
    (folder / "umsaetze-3.csv").write_text(TWICE_CSV + "22.11.2026;Anna Meier;INV-2026-0001;65,00\n",
                                           encoding="utf-8")  # a later export overlapping it
    practice.run()
    rows = practice.rows("Bank")
    assert [(money(r["Amount"]), r["Matched To"], r["File"]) for r in rows] == [
        (Decimal("58.50"), "INV-2026-0002", "umsaetze.csv"), (Decimal("58.50"), None, "umsaetze-2.csv"),
        (Decimal("65.00"), "INV-2026-0001", "umsaetze-3.csv")]
    assert rows[1]["Problem"].startswith("Pays INV-2026-0002, which is already paid")
    assert rows[0]["Reference"] != rows[1]["Reference"]
    assert [(p["Invoice No"], money(p["Amount"])) for p in practice.rows("Payments")] == [
        ("INV-2026-0002", Decimal("58.50")), ("INV-2026-0001", Decimal("65.00"))]
    assert {r["Invoice No"]: r["Status"] for r in practice.rows("Invoices")}["INV-2026-0002"] == "Paid"


def test_a_csv_in_the_other_decimal_style_is_refused_and_the_next_file_still_imported(practice):
    folder = folder_practice(practice)
    (folder / "a-export.csv").write_text(SPARKASSE_CSV.replace("58,50", "58.50"), encoding="utf-8")
    (folder / "b-umsaetze.csv").write_text(SPARKASSE_CSV, encoding="utf-8")
    report = practice.run()
    assert report.errors == ["a-export.csv: line 2: amount '58.50' is not a number like 1.234,56 "
                             "(payments.bank.csv.decimal is ',')"]
    assert [(r["File"], money(r["Amount"])) for r in practice.rows("Bank")] == [
        ("b-umsaetze.csv", Decimal("58.50"))]
