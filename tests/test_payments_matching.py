"""payments.matching: which invoice a bank credit pays, table-driven."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from sheetbill.core.model import Client, Invoice, InvoiceStatus
from sheetbill.payments.entries import BankEntry
from sheetbill.payments.matching import match_entries
from sheetbill.payments.open_amount import open_amount


def invoice(no, client, balance, status="Finalized"):
    b = Decimal(balance)
    return Invoice(no, date(2026, 11, 1), date(2026, 11, 15), client, "", (), b, Decimal(0), b, Decimal(0), b, InvoiceStatus(status))


def client(cid, name):
    return Client(row=2, client_id=cid, name=name, email="", address="", discount=None, terms_days=None,
                  invoice_mode=None, tax_id="")


CLIENTS = [client("C-001", "Anna Meier"), client("C-002", "Jonas Becker"), client("C-004", "Mehmet Yılmaz"),
           client("C-005", "Claire Dubois")]
INVOICES = [invoice("INV-2026-0001", "C-001", "65.00"), invoice("INV-2026-0002", "C-002", "58.50"),
            invoice("INV-2026-0003", "C-004", "40.00"), invoice("INV-2026-0004", "C-005", "65.00"),
            invoice("INV-2026-0005", "C-005", "65.00"), invoice("INV-2026-0006", "C-001", "0.00", "Paid"),
            invoice("INV-2026-0010", "C-002", "20.00")]


def entry(amount, party="", text="", ref="", currency="EUR"):
    return BankEntry(date(2026, 11, 21), Decimal(amount), currency, party, text, "", ref)


@pytest.mark.parametrize("credit, invoice_no, rule", [
    (entry("65.00", "Someone", ref="RF16INV20260001"), "INV-2026-0001", "reference"),
    (entry("65.00", "Someone", "RF16 INV2 0260 001Danke"), "INV-2026-0001", "reference"),
    (entry("20.00", "Anna Meier", "rf16inv20260001"), "INV-2026-0001", "reference"),  # partial
    (entry("58.50", "x", "Rechnung INV-2026-0002"), "INV-2026-0002", "invoice number"),
    (entry("58.50", "x", "inv 2026 0002"), "INV-2026-0002", "invoice number"),
    (entry("58.50", "x", "INV20260002 danke"), "INV-2026-0002", "invoice number"),
    (entry("58.50", "x", "Inv/2026/0002"), "INV-2026-0002", "invoice number"),
    (entry("10.00", "x", "INV-2026-0010"), "INV-2026-0010", "invoice number"),  # not INV-2026-0001 inside it
    (entry("40.00", "YILMAZ MEHMET", "Behandlung"), "INV-2026-0003", "amount and name"),
    (entry("40.00", "Herr Mehmet Yilmaz", ""), "INV-2026-0003", "amount and name"),
])
def test_matched(credit, invoice_no, rule):
    [m] = match_entries([credit], INVOICES, CLIENTS, open_amount, "EUR")
    assert (m.invoice_no, m.rule, m.problem) == (invoice_no, rule, "")


@pytest.mark.parametrize("credit, problem", [
    (entry("65.00", "Claire Dubois", "Rechnung"), ("The amount fits 2 open invoices of Claire Dubois "
                                                  "(INV-2026-0004, INV-2026-0005)")),
    (entry("65.00", "Unknown GmbH", "Spende"), "No invoice found"),
    (entry("40.00", "Mehmet Yilmaz", "", currency="USD"), "In USD, but the practice bills in EUR"),
    (entry("100.00", "Anna Meier", "INV-2026-0001"), ("Pays INV-2026-0001, but 100.00 is more than Anna Meier "
                                                     "owes (65.00)")),
    (entry("65.00", "x", "INV-2026-0004 and INV-2026-0005"), "Names 2 invoices (INV-2026-0004, INV-2026-0005)"),
    (entry("10.00", "Anna Meier", "INV-2026-0006"), "Pays INV-2026-0006, which is already paid"),
])
def test_not_matched(credit, problem):
    [m] = match_entries([credit], INVOICES, CLIENTS, open_amount, "EUR")
    assert m.invoice_no == "" and m.problem.startswith(problem)


def test_debits_are_not_payments():
    assert match_entries([entry("-65.00", "Anna Meier", "INV-2026-0001")], INVOICES, CLIENTS, open_amount, "EUR") == []


def test_what_one_credit_pays_is_no_longer_open_for_the_next():
    first, second = match_entries([entry("65.00", "Anna Meier", "INV-2026-0001"),
                                   entry("65.00", "Anna Meier", "INV-2026-0001")], INVOICES, CLIENTS, open_amount,
                                  "EUR")
    assert first.invoice_no == "INV-2026-0001"
    assert second.invoice_no == "" and "INV-2026-0001, which is already paid" in second.problem


def test_drafts_and_void_invoices_are_never_matched():
    invoices = [invoice("INV-2026-0001", "C-001", "65.00", "Void"), invoice("", "C-001", "65.00", "Draft")]
    [m] = match_entries([entry("65.00", "Anna Meier", "INV-2026-0001")], invoices, CLIENTS, open_amount, "EUR")
    assert m.invoice_no == "" and m.problem.startswith("No invoice found")


def test_a_statements_client_reference_pays_the_clients_oldest_invoices():
    [m] = match_entries([entry("100.00", "x", "RF43 C005")], INVOICES, CLIENTS, open_amount, "EUR")
    assert (m.invoice_no, m.client_id, m.matched_to, m.rule) == ("", "C-005", "C-005", "client reference")
    _first, second = match_entries([entry("100.00", "x", "RF43C005"), entry("40.00", "x", "RF43C005")],
                                  INVOICES, CLIENTS, open_amount, "EUR")
    assert second.problem.startswith("Quotes the reference of Claire Dubois, but 40.00 is more than they owe (30.00)")


def test_a_long_number_quoted_as_its_qr_code_writes_it_is_matched():
    """An invoice whose number makes no creditor reference has it in its QR code in Latin letters."""
    long = invoice("RE-2026-Praxis_Müllerstraße-0042", "C-001", "65.00")
    for text in ("RE-2026-Praxis-Mullerstrasse-0042", "RE 2026 PRAXIS MÜLLERSTRASSE 0042"):
        [m] = match_entries([entry("65.00", "Someone", text)], INVOICES + [long], CLIENTS, open_amount, "EUR")
        assert (m.invoice_no, m.rule) == (long.invoice_no, "invoice number")


def test_invoices_fitting_the_amount_are_named_in_the_sheets_order_across_clients_named_alike():
    """Two clients of one name (and an invoice of a client not on the Clients tab, by its own name)."""
    clients = CLIENTS + [client("C-009", "Meier, Anna")]
    invoices = [invoice("INV-2026-0101", "C-009", "65.00"), invoice("INV-2026-0102", "C-001", "65.00"),
                replace(invoice("INV-2026-0103", "C-404", "65.00"), client_name="Anna Meier"),
                invoice("INV-2026-0104", "C-002", "65.00"), invoice("INV-2026-0105", "C-009", "65.00")]
    [m] = match_entries([entry("65.00", "ANNA MEIER", "Behandlung")], invoices, clients, open_amount, "EUR")
    assert m.problem.startswith("The amount fits 4 open invoices of ANNA MEIER "
                                "(INV-2026-0101, INV-2026-0102, INV-2026-0103, INV-2026-0105)")


def test_a_statements_reference_pays_the_clients_oldest_invoices_among_others():
    invoices = [replace(invoice("INV-2026-0201", "C-005", "30.00"), issue_date=date(2026, 11, 5)),
                invoice("INV-2026-0202", "C-001", "10.00"),
                replace(invoice("INV-2026-0203", "C-005", "20.00"), issue_date=date(2026, 10, 5))]
    first, second = match_entries([entry("25.00", "x", "RF43C005"), entry("26.00", "x", "RF43C005")],
                                  invoices, CLIENTS, open_amount, "EUR")
    assert first.client_id == "C-005"  # 20.00 of INV-2026-0203, then 5.00 of INV-2026-0201
    assert second.problem.startswith("Quotes the reference of Claire Dubois, but 26.00 is more than they owe (25.00)")
