"""The export files, byte for byte against golden files, and what each format leaves out.

Regenerate the golden files after a deliberate change with
`SHEETBILL_GOLDEN=update pytest tests/test_accounting_export.py` and read the diff."""

from __future__ import annotations

import csv
import dataclasses
import io
import os
from datetime import date
from decimal import Decimal
from decimal import Decimal as D
from pathlib import Path

import pytest

from sheetbill.accounting import datev, export
from sheetbill.accounting.journal import INVOICE, Customer, Journal, Sale, journal
from sheetbill.accounting.mapping import Mapper, MappingProblem
from sheetbill.accounting.settings import AccountingSettings, RateMapping, ServiceMapping
from sheetbill.core.model import Allocation, Ledger, Line
from sheetbill.core.numbering import NumberPattern

from .accounting_books import CLIENTS, DATEV, LEDGER, NOVEMBER, OTHERS, _invoice, _line, _payment

GOLDEN = Path(__file__).parent / "golden" / "accounting"
CENT = Decimal("0.01")


def november():
    return journal(LEDGER, *NOVEMBER, NumberPattern("CN-{year}-{seq:04}"), "EUR")


def made(fmt: str, settings=None, day_first: bool = True):
    return export.files(fmt, november(), settings or (DATEV if fmt == "datev" else OTHERS), day_first, CENT)


@pytest.mark.parametrize("fmt", list(export.FORMATS))
def test_each_format_matches_its_golden_file(fmt):
    result = made(fmt)
    for name, data in result.files:
        golden = GOLDEN / name
        if os.environ.get("SHEETBILL_GOLDEN") == "update":
            golden.write_bytes(data)
        assert data == golden.read_bytes(), f"{name} differs from its golden file"


@pytest.mark.parametrize("fmt", list(export.FORMATS))
def test_exporting_twice_gives_identical_bytes(fmt):
    assert made(fmt).files == made(fmt).files


def test_the_period_holds_finalized_documents_and_applied_payments_only():
    books = november()
    assert [s.number for s in books.sales] == ["INV-2026-0001", "INV-2026-0002", "INV-2026-0003", "CN-2026-0001"]
    assert books.sales[2].void and books.sales[3].credits == "INV-2026-0003"
    # P-00003 has a Problem, P-00005 is December's
    assert [p.payment_id for p in books.payments] == ["P-00001", "P-00002", "P-00004"]


def test_csv_journal_has_a_row_per_line_and_per_payment():
    rows = list(csv.DictReader(io.StringIO(made("csv").files[0][1].decode("utf-8"))))
    assert [r["Type"] for r in rows] == ["Invoice"] * 5 + ["Credit note", "Payment", "Payment", "Refund"]
    assert sum(Decimal(r["Total"]) for r in rows if r["Type"] in ("Invoice", "Credit note")) == Decimal("129.76")
    assert rows[3]["Account"] == "210" and rows[1]["Tax Code"] == "19% (VAT on Income)"
    assert rows[6]["Applied To"] == "INV-2026-0001 73.36; Credit 26.64"


def test_xero_rows_add_up_to_each_invoice_and_credit_notes_go_negative():
    rows = list(csv.DictReader(io.StringIO(made("xero").files[0][1].decode("utf-8"))))
    totals: dict[str, Decimal] = {}
    for r in rows:
        totals[r["*InvoiceNumber"]] = totals.get(r["*InvoiceNumber"], Decimal(0)) + (
            Decimal(r["*Quantity"]) * Decimal(r["*UnitAmount"]) + Decimal(r["TaxAmount"]))
    assert totals == {"INV-2026-0001": Decimal("73.36"), "INV-2026-0002": Decimal("56.40"),
                      "INV-2026-0003": Decimal("136.00"), "CN-2026-0001": Decimal("-136.00")}
    assert {r["*InvoiceDate"] for r in rows if r["*InvoiceNumber"] == "INV-2026-0001"} == {"03/11/2026"}
    us = list(csv.DictReader(io.StringIO(made("xero", day_first=False).files[0][1].decode("utf-8"))))
    assert us[0]["*InvoiceDate"] == "11/03/2026"


def test_xero_splits_files_at_500_invoices(monkeypatch):
    from sheetbill.accounting import xero

    monkeypatch.setattr(xero, "MAX_INVOICES", 3)
    result = made("xero")
    assert [name for name, _ in result.files] == ["xero-invoices-2026-11-01_2026-11-30-1.csv",
                                                  "xero-invoices-2026-11-01_2026-11-30-2.csv"]
    numbers = [{r["*InvoiceNumber"] for r in csv.DictReader(io.StringIO(data.decode()))} for _, data in result.files]
    assert numbers == [{"INV-2026-0001", "INV-2026-0002", "INV-2026-0003"}, {"CN-2026-0001"}]


def test_quickbooks_online_says_what_it_cannot_import():
    result = made("quickbooks")
    assert "CN-2026-0001" not in result.files[0][1].decode()
    assert any("CN-2026-0001" in n for n in result.notes) and any("3 payment(s)" in n for n in result.notes)


def test_iif_transactions_balance():
    text = made("iif").files[0][1].decode("cp1252")
    current, sums = None, []
    for line in text.split("\r\n"):
        cells = line.split("\t")
        if cells[0] == "TRNS":
            current = Decimal(cells[6])
        elif cells[0] == "SPL":
            current += Decimal(cells[6])
        elif cells[0] == "ENDTRNS":
            sums.append(current)
    assert len(sums) == 7 and set(sums) == {Decimal("0.00")}
    assert "Mehmet Yilmaz" in text  # cp1252 has no dotless i


def test_iif_pays_a_refund_back_by_check_out_of_accounts_receivable():
    """QuickBooks Desktop refuses a negative PAYMENT ("Can't record a negative payment"): money paid
    back to a customer is a CHECK from the bank account to Accounts Receivable in the customer's
    name, which the customer's unused credit is then applied to."""
    text = made("iif").files[0][1].decode("cp1252")
    transactions: list[list[str]] = []
    for line in text.split("\r\n"):
        if line.startswith("TRNS\t"):
            transactions.append([line])
        elif line.startswith("SPL\t"):
            transactions[-1].append(line)
    refund, = [t for t in transactions if "P-00004" in t[0]]
    assert [r.split("\t") for r in refund] == [
        ["TRNS", "", "CHECK", "11/20/2026", "Checking", "Anna Meier", "-26.64", "P-00004",
         "Refund of credit from P-00001: Bank transfer refund of the credit", ""],
        ["SPL", "", "CHECK", "11/20/2026", "Accounts Receivable", "Anna Meier", "26.64", "P-00004",
         "Refund of credit from P-00001", "", "", "", ""]]
    assert not any(t[0].split("\t")[2] == "PAYMENT" and t[0].split("\t")[6].startswith("-") for t in transactions)
    settings = dataclasses.replace(OTHERS, payment_accounts={"Bank transfer": "Bank of Berlin"})
    assert "\tCHECK\t11/20/2026\tBank of Berlin\tAnna Meier\t-26.64\t" in made("iif", settings).files[0][1].decode()


@pytest.mark.parametrize("fmt", ["datev", "xero", "iif"])
def test_a_missing_mapping_names_the_service_and_the_rate(fmt):
    bare = AccountingSettings(datev=DATEV.datev)
    with pytest.raises(MappingProblem) as exc:
        made(fmt, bare)
    assert "service GEL at 19%" in str(exc.value) or "accounting.rates.19" in str(exc.value)


def test_csv_and_quickbooks_need_no_mapping():
    for fmt in ("csv", "quickbooks"):
        assert made(fmt, AccountingSettings()).files


def _priced(code, qty, unit, disc, rate, net, tax, gross=True):
    return Line("INV-2026-0047", "S-08002", None, code, code, D(qty), D(unit), D(disc), D(rate), D(net), D(tax),
                D(net) + D(tax), gross=gross)


# (line as issued, the csv's Quantity, Unit Price, Discount): Quantity × Unit Price − Discount = Net
PRICED = [
    ("net price", _priced("LD60", "1", "68.00", "0", "0", "68.00", "0", gross=False), ("1", "68.00", "0.00")),
    ("net price, discount", _priced("NOSHOW", "1", "30.00", "5.00", "0", "25.00", "0", gross=False),
     ("1", "30.00", "5.00")),
    ("net price, two, discount", _priced("LD45", "2", "52.00", "5.20", "0", "98.80", "0", gross=False),
     ("2", "52.00", "5.20")),
    ("gross price", _priced("STOCKINGS", "1", "39.90", "0", "19", "33.53", "6.37"), ("1", "33.53", "0.00")),
    ("gross, three", _priced("BANDAGE", "3", "12.50", "0", "19", "31.51", "5.99"), ("1", "31.51", "0.00")),
    ("gross, two", _priced("BANDAGE", "2", "11.90", "0", "19", "20.00", "3.80"), ("2", "10.00", "0.00")),
    ("gross, discount", _priced("STOCKINGS", "1", "39.90", "4.00", "19", "30.17", "5.73"), ("1", "30.17", "0.00")),
    ("gross credit note", _priced("STOCKINGS", "-1", "39.90", "0", "19", "-33.53", "-6.37"),
     ("-1", "33.53", "0.00")),
]


def _one_sale(line, customer: Customer) -> Journal:
    """A December journal of one invoice of the one `line`."""
    sale = Sale(line.invoice_no, INVOICE, date(2026, 12, 1), date(2026, 12, 22), customer, (line,), line.net,
                line.tax, line.total)
    return Journal(date(2026, 12, 1), date(2026, 12, 31), "EUR", (sale,), ())


@pytest.mark.parametrize("what, line, expected", PRICED, ids=[c[0] for c in PRICED])
def test_csv_unit_price_is_net_and_quantity_times_price_less_discount_is_net(what, line, expected):
    books = _one_sale(line, Customer("C-006", "Lena Wagner"))
    row, = csv.DictReader(io.StringIO(export.files("csv", books, OTHERS, True, CENT).files[0][1].decode("utf-8")))
    assert (row["Quantity"], row["Unit Price"], row["Discount"]) == expected
    assert Decimal(row["Quantity"]) * Decimal(row["Unit Price"]) - Decimal(row["Discount"]) == Decimal(row["Net"])
    assert (row["Net"], row["Tax"], row["Total"]) == (f"{line.net:.2f}", f"{line.tax:.2f}", f"{line.total:.2f}")
    xero, = csv.DictReader(io.StringIO(export.files("xero", books, OTHERS, True, CENT).files[0][1].decode("utf-8")))
    if not line.discount or line.gross:  # Xero's rows take any discount into the unit amount
        assert (abs(Decimal(xero["*Quantity"])), xero["*UnitAmount"]) == (abs(Decimal(row["Quantity"])),
                                                                          row["Unit Price"])


# A payment of November whose invoice is issued on 1 December: at November's end its money is
# credit, and it is booked for the client whose money it is (core.owner.payment_owner).
DECEMBER_INVOICE = _invoice("INV-2026-0009", date(2026, 12, 1), date(2026, 12, 15), "C-002", "Mehmet Yılmaz", [
    _line("INV-2026-0009", "S-00010", date(2026, 11, 2), "LD60", "Manual lymph drainage, 60 min", "1", "58.50",
          "0", "0", "58.50", "0")])
ON_DECEMBER = (Allocation("INV-2026-0009", D("58.50")),)
EARLY = [
    ("session ID in Invoice No, no Client", "", "S-00010", ON_DECEMBER, ("C-002", "Mehmet Yılmaz")),
    ("invoice in Invoice No, no Client", "", "INV-2026-0009", ON_DECEMBER, ("C-002", "Mehmet Yılmaz")),
    ("Client ID", "C-002", "", ON_DECEMBER, ("C-002", "Mehmet Yılmaz")),
    ("Client's name", "Anna Meier", "", (Allocation("Credit", D("58.50")),), ("C-001", "Anna Meier")),
    ("a name no longer in Clients, its money on the invoice", "Mehmet Yilmaz", "", ON_DECEMBER,
     ("C-002", "Mehmet Yılmaz")),
    ("a name nobody has and no invoice", "Someone Else", "", (Allocation("Credit", D("58.50")),),
     ("", "Someone Else")),
]


@pytest.mark.parametrize("what, client, invoice_no, applied, expected", EARLY, ids=[c[0] for c in EARLY])
def test_a_payment_before_its_invoice_is_booked_for_the_client_whose_money_it_is(what, client, invoice_no, applied,
                                                                                expected):
    desk = _payment(2, "P-00001", date(2026, 11, 2), client, invoice_no, "58.50", "Cash", "paid at the desk", applied)
    ledger = Ledger(sessions=(), clients=CLIENTS, services=(), invoices=(DECEMBER_INVOICE,), lines=(),
                    payments=(desk,))
    books = journal(ledger, *NOVEMBER, NumberPattern("CN-{year}-{seq:04}"), "EUR")
    paid, = books.payments
    assert (paid.customer.client_id, paid.customer.name) == expected
    assert [a.invoice_no for a in paid.allocations] == ["Credit"]  # as it stood on 30 November
    row, = csv.DictReader(io.StringIO(export.files("csv", books, OTHERS, True, CENT).files[0][1].decode("utf-8")))
    assert (row["Client ID"], row["Client Name"]) == expected
    booking, = datev.export(books, DATEV).decode("cp1252").split("\r\n")[2:-1]
    assert f'"Zahlung P-00001 {expected[1]}"'.replace("ı", "i") in booking
    assert (f';"Kunde";"{expected[0]}";' in booking) == bool(expected[0])


def _at(code, rate):
    return Line("INV-2026-0001", "S-00001", None, code, code, D(1), D(10), D(0), D(rate), D(10), D(0), D(10))


# (settings, lines, need account, need tax code, the one message)
MISSING = [
    ("one service, account", AccountingSettings(), [_at("GEL", "19")], True, False,
     "no account for 19% (service GEL): add accounting.rates.19.account, or accounting.services.GEL.account"),
    ("many services at two rates, tax code", AccountingSettings(rates={D(0): RateMapping("200"), D(19): RateMapping("200")}),
     [_at(code, rate) for code, rate in [("LD30", "0"), ("GEL", "19"), ("LD60", "0"), ("BANDAGE", "19"),
                                         ("NOSHOW", "0"), ("MLD15", "0"), ("LD45", "0"), ("WORKSHOP", "19"),
                                         ("WORKSHOP", "0"), ("GEL", "0"), ("STOCKINGS", "19")]], True, True,
     "no tax code for 0% and 19% (9 services): add accounting.rates.0.tax_code and accounting.rates.19.tax_code, "
     "or accounting.services.<Code>.tax_code for a service"),
    ("both, one rate, three services", AccountingSettings(), [_at("A", "7"), _at("B", "7"), _at("C", "7")], True, True,
     "no account for 7% (services A, B, C): add accounting.rates.7.account, or accounting.services.<Code>.account "
     "for a service; no tax code for 7% (services A, B, C): add accounting.rates.7.tax_code, or "
     "accounting.services.<Code>.tax_code for a service"),
    ("a service's own mapping is enough", AccountingSettings(services={"GEL": ServiceMapping(account="8400")}),
     [_at("GEL", "19"), _at("LD60", "0")], True, False,
     "no account for 0% (service LD60): add accounting.rates.0.account, or accounting.services.LD60.account"),
]


@pytest.mark.parametrize("what, settings, lines, account, tax_code, message", MISSING, ids=[c[0] for c in MISSING])
def test_what_the_mapping_lacks_is_one_short_message_naming_each_rate_key_once(what, settings, lines, account,
                                                                               tax_code, message):
    mapper = Mapper(settings)
    for line in lines:
        mapper.line(line, need_account=account, need_tax_code=tax_code)
    with pytest.raises(MappingProblem) as exc:
        mapper.check()
    assert str(exc.value) == message


def _of(code, rate, category):
    return dataclasses.replace(_at(code, rate), vat_category=category)


SKR03 = AccountingSettings(rates={D(0): RateMapping("8100"), D(19): RateMapping("8400")}, datev=DATEV.datev)
SKR04 = dataclasses.replace(SKR03, rates={D(0): RateMapping("4100"), D(19): RateMapping("4400")},
                            datev=dataclasses.replace(DATEV.datev, chart="04"))
XERO = AccountingSettings(rates={D(0): RateMapping("200", "Tax Exempt"), D(19): RateMapping("200", "OUTPUT2")},
                          categories={"AE": RateMapping(tax_code="ECOUTPUTSERVICES"),
                                      "O": RateMapping("260", "NONE")})
# (settings, line, DATEV's revenue account, then the Xero file's account and tax type where `settings` is Xero's)
BY_CATEGORY = [
    ("SKR03 exempt therapy: the rate's", SKR03, _of("LD60", "0", "E"), "8100"),
    ("SKR03 no category at 0% is exempt", SKR03, _of("LD60", "0", ""), "8100"),
    ("SKR03 reverse charge", SKR03, _of("WORKSHOP", "0", "AE"), "8336"),
    ("SKR03 intra-community supply", SKR03, _of("GEL", "0", "K"), "8125"),
    ("SKR03 outside the scope", SKR03, _of("NOSHOW", "0", "O"), "8338"),
    ("SKR03 standard", SKR03, _of("GEL", "19", "S"), "8400"),
    ("SKR04 reverse charge", SKR04, _of("WORKSHOP", "0", "AE"), "4336"),
    ("SKR04 outside the scope", SKR04, _of("NOSHOW", "0", "O"), "4338"),
    ("SKR04 exempt", SKR04, _of("LD60", "0", "E"), "4100"),
    ("the config's category wins over the chart's",
     dataclasses.replace(SKR03, categories={"O": RateMapping("2742")}), _of("NOSHOW", "0", "O"), "2742"),
    ("a service's own account wins over its category",
     dataclasses.replace(SKR03, services={"WORKSHOP": ServiceMapping(account="8337")}), _of("WORKSHOP", "0", "AE"),
     "8337"),
]


@pytest.mark.parametrize("what, settings, line, account", BY_CATEGORY, ids=[c[0] for c in BY_CATEGORY])
def test_datev_books_revenue_by_vat_category_before_the_rate(what, settings, line, account):
    sale = Sale(line.invoice_no, INVOICE, date(2026, 12, 1), date(2026, 12, 31), Customer("C-010", "Atelier"),
                (line,), line.net, line.tax, line.total)
    books = Journal(date(2026, 12, 1), date(2026, 12, 31), "EUR", (sale,), ())
    booking, = datev.export(books, settings).decode("cp1252").split("\r\n")[2:-1]
    assert booking.split(";")[7] == account  # Gegenkonto: the revenue account


def test_datev_gives_reverse_charge_and_intra_community_revenue_the_clients_vat_id():
    """The Zusammenfassende Meldung needs the client's VAT ID on each such booking (DATEV's EU-Land u.
    UStID); the practice books every client on one debtor account, which has none. Revenue taxed at
    home, or exempt, carries none."""
    lines = (_of("WORKSHOP", "0", "AE"), _of("GEL", "0", "K"), _of("GEL", "19", "S"), _of("LD60", "0", "E"))
    sale = Sale("INV-2026-0009", INVOICE, date(2026, 12, 1), date(2026, 12, 31),
                Customer("C-010", "Atelier", tax_id="FR 40 303265045"), lines, sum(line.net for line in lines),
                sum(line.tax for line in lines), sum(line.total for line in lines))
    books = Journal(date(2026, 12, 1), date(2026, 12, 31), "EUR", (sale,), ())
    rows = list(csv.reader(io.StringIO(datev.export(books, SKR03).decode("cp1252"), newline=""), delimiter=";"))
    ids = {r[7]: r[rows[1].index("EU-Land u. UStID")] for r in rows[2:]}
    assert ids == {"8336": "FR40303265045", "8125": "FR40303265045", "8400": "", "8100": ""}


XERO_BY_CATEGORY = [
    ("exempt", _of("LD60", "0", "E"), ("200", "Tax Exempt")),
    ("reverse charge: the category's tax type, the rate's account", _of("WORKSHOP", "0", "AE"),
     ("200", "ECOUTPUTSERVICES")),
    ("outside the scope", _of("NOSHOW", "0", "O"), ("260", "NONE")),
    ("standard", _of("GEL", "19", ""), ("200", "OUTPUT2")),
]


@pytest.mark.parametrize("what, line, expected", XERO_BY_CATEGORY, ids=[c[0] for c in XERO_BY_CATEGORY])
def test_xero_takes_the_categorys_tax_type_before_the_rates(what, line, expected):
    books = _one_sale(line, Customer("C-010", "Atelier"))
    row, = csv.DictReader(io.StringIO(export.files("xero", books, XERO, True, CENT).files[0][1].decode("utf-8")))
    assert (row["*AccountCode"], row["*TaxType"]) == expected
    journal_row, = csv.DictReader(io.StringIO(export.files("csv", books, XERO, True, CENT).files[0][1].decode()))
    assert (journal_row["Account"], journal_row["Tax Code"]) == expected
