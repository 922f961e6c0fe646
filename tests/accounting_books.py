"""A small month of books as records, for the export tests: invoices at 0 %, 7 % and 19 %,
a discount, a voided invoice and its credit note, a draft and an invoice of the month
before (both left out), payments with credit, a refund and a payment with a Problem."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from sheetbill.accounting.settings import AccountingSettings, Datev, RateMapping, ServiceMapping
from sheetbill.core.model import Allocation, Client, Invoice, InvoiceStatus, Ledger, Line, Payment

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))

CLIENTS = (
    Client(2, "C-001", "Anna Meier", "anna@example.com", "Gartenweg 3\n10115 Berlin", None, 14, None, ""),
    Client(3, "C-002", "Mehmet Yılmaz", "m.yilmaz@example.com", "Kottbusser Damm 5\n10967 Berlin", None, 14, None, ""),
    Client(4, "C-003", 'Rossi; "Fisioterapia" Srl', "sofia@example.com", "Via Roma 12\n00184 Roma", None, 30, None,
           "IT01234567890"),
)


def _line(no, sid, day, code, desc, qty, unit, disc, rate, net, tax):
    return Line(no, sid, day, code, desc, D(qty), D(unit), D(disc), D(rate), D(net), D(tax), D(net) + D(tax))


def _invoice(no, day, due, client, name, lines, status="Finalized", sessions=None):
    net = sum((l.net for l in lines), D(0))
    tax = sum((l.tax for l in lines), D(0))
    return Invoice(no, day, due, client, name, sessions or tuple(dict.fromkeys(l.session_id for l in lines)),
                   net, tax, net + tax, D(0), net + tax, InvoiceStatus(status), lines=tuple(lines))


def _payment(row, pid, day, client, invoice, amount, method, ref, applied, errors=()):
    return Payment(row, pid, day, client, invoice, D(amount), method, ref, applied, "", "", "", errors)


INV1 = _invoice("INV-2026-0001", date(2026, 11, 3), date(2026, 11, 17), "C-001", "Anna Meier", [
    _line("INV-2026-0001", "S-00001", date(2026, 11, 3), "LD60", "Manual lymph drainage, 60 min", "1", "68.00",
          "0", "0", "68.00", "0"),
    _line("INV-2026-0001", "S-00001", date(2026, 11, 3), "GEL", "Cooling gel", "1", "4.50", "0", "19", "4.50",
          "0.86")])
INV2 = _invoice("INV-2026-0002", date(2026, 11, 5), date(2026, 11, 19), "C-002", "Mehmet Yılmaz", [
    _line("INV-2026-0002", "S-00002", date(2026, 11, 5), "LD45", "Manual lymph drainage, 45 min", "1", "52.00",
          "5.20", "0", "46.80", "0"),
    _line("INV-2026-0002", "S-00002", date(2026, 11, 5), "BANDAGE", "Compression bandage", "3", "2.99", "0", "7",
          "8.97", "0.63")])
INV3 = _invoice("INV-2026-0003", date(2026, 11, 10), date(2026, 12, 10), "C-003", 'Rossi; "Fisioterapia" Srl', [
    _line("INV-2026-0003", "S-00003", date(2026, 11, 10), "LD60", "Manual lymph drainage, 60 min", "2", "68.00",
          "0", "0", "136.00", "0")], status="Void")
CN1 = _invoice("CN-2026-0001", date(2026, 11, 12), date(2026, 11, 12), "C-003", 'Rossi; "Fisioterapia" Srl', [
    _line("CN-2026-0001", "S-00003", date(2026, 11, 10), "LD60", "Manual lymph drainage, 60 min", "-2", "68.00",
          "0", "0", "-136.00", "0")], sessions=("INV-2026-0003",))
OCTOBER = _invoice("INV-2026-0000", date(2026, 10, 30), date(2026, 11, 13), "C-001", "Anna Meier", [
    _line("INV-2026-0000", "S-00000", date(2026, 10, 30), "LD60", "Manual lymph drainage, 60 min", "1", "65.00",
          "0", "0", "65.00", "0")])
DRAFT = _invoice("DRAFT-S-00009", date(2026, 11, 20), date(2026, 12, 4), "C-001", "Anna Meier", [
    _line("DRAFT-S-00009", "S-00009", date(2026, 11, 20), "LD60", "Manual lymph drainage, 60 min", "1", "68.00",
          "0", "0", "68.00", "0")], status="Draft")

PAYMENTS = (
    _payment(2, "P-00001", date(2026, 11, 6), "Anna Meier", "", "100.00", "Bank transfer", "transfer ref 4471",
             (Allocation("INV-2026-0001", D("73.36")), Allocation("Credit", D("26.64")))),
    _payment(3, "P-00002", date(2026, 11, 7), "", "INV-2026-0002", "56.40", "Cash", "paid at the desk",
             (Allocation("INV-2026-0002", D("56.40")),)),
    _payment(4, "P-00003", date(2026, 11, 8), "C-002", "", "20.00", "Paypal", "typo in Method", (),
             ("Method 'Paypal' is not known",)),
    _payment(5, "P-00004", date(2026, 11, 20), "C-001", "", "-26.64", "Bank transfer", "refund of the credit",
             (Allocation("Refund", D("-26.64")),)),
    _payment(6, "P-00005", date(2026, 12, 1), "C-001", "", "10.00", "Card", "December",
             (Allocation("Credit", D("10.00")),)),
)

LEDGER = Ledger(sessions=(), clients=CLIENTS, services=(), invoices=(OCTOBER, INV1, INV2, INV3, CN1, DRAFT),
                lines=(), payments=PAYMENTS)

# A German practice: automatic revenue accounts of SKR03 (no BU-Schlüssel), but bandages on a
# plain account with the BU-Schlüssel 2 (7 %).
DATEV = AccountingSettings(
    rates={D("0"): RateMapping("8125"), D("7"): RateMapping("8300"), D("19"): RateMapping("8400")},
    services={"BANDAGE": ServiceMapping(account="8310", tax_code="2")},
    datev=Datev(consultant=1234567, client=10001, fiscal_year_start=(1, 1), account_length=4, chart="03"))

# The same practice on Xero or QuickBooks: account codes and tax types by name.
OTHERS = AccountingSettings(
    rates={D("0"): RateMapping("200", "Tax Exempt"), D("7"): RateMapping("200", "7% (VAT on Income)"),
           D("19"): RateMapping("200", "19% (VAT on Income)")},
    services={"BANDAGE": ServiceMapping(item="Bandage", account="210")},
    payment_accounts={"Cash": "Cash Drawer"})
