"""The DATEV file against the field definitions DATEV publishes for the EXTF Buchungsstapel:
header record, column count, field formats, code page and line ends."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from decimal import Decimal as D

import pytest

from sheetbill.accounting import datev
from sheetbill.accounting.journal import journal
from sheetbill.accounting.mapping import MappingProblem
from sheetbill.accounting.settings import Datev
from sheetbill.core.numbering import NumberPattern

from sheetbill.core.model import Allocation, Ledger

from .accounting_books import CLIENTS, DATEV, LEDGER, NOVEMBER, _invoice, _line, _payment


def exported(settings=DATEV, period=NOVEMBER) -> bytes:
    return datev.export(journal(LEDGER, *period, NumberPattern("CN-{year}-{seq:04}"), "EUR"), settings)


def records(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("cp1252"), newline=""), delimiter=";"))


def test_code_page_semicolons_and_crlf():
    data = exported()
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    data.decode("cp1252")
    assert "Schlüssel".encode("cp1252") in data  # the column names in Windows-1252, not UTF-8
    assert b"Yilmaz" in data


def test_header_record():
    head = records(exported())[0]
    assert len(head) == 31
    assert head[:5] == ["EXTF", "700", "21", "Buchungsstapel", "9"]
    assert re.fullmatch(r"\d{17}", head[5])  # Erzeugt am: YYYYMMDDHHMMSSFFF
    assert re.fullmatch(r"[A-Z]{2}", head[7])  # Herkunft
    assert head[10] == "1234567" and head[11] == "10001"  # Berater-, Mandantennummer
    assert head[12] == "20260101" and head[13] == "4"  # WJ-Beginn, Sachkontenlänge
    assert (head[14], head[15]) == ("20261101", "20261130")  # Datum vom, bis
    assert len(head[16]) <= 30 and head[18] == "1" and head[21] == "EUR" and head[26] == "03"


def test_every_booking_has_the_published_field_formats():
    rows = records(exported())
    columns = rows[1]
    assert columns == list(datev.COLUMNS) and len(columns) == 120
    bookings = [dict(zip(columns, r)) for r in rows[2:]]
    assert all(len(r) == len(columns) for r in rows[2:])
    for b in bookings:
        assert re.fullmatch(r"\d{1,10},\d{2}", b["Umsatz (ohne Soll/Haben-Kz)"]), b
        assert b["Soll/Haben-Kennzeichen"] in ("S", "H")
        assert re.fullmatch(r"\d{1,5}", b["Konto"]) and re.fullmatch(r"\d{1,5}", b["Gegenkonto (ohne BU-Schlüssel)"])
        assert re.fullmatch(r"\d{0,4}", b["BU-Schlüssel"])
        day = b["Belegdatum"]
        assert re.fullmatch(r"\d{4}", day) and date(2026, int(day[2:]), int(day[:2])) in _november()
        assert re.fullmatch(r"[A-Za-z0-9$&%*+\-/]{1,36}", b["Belegfeld 1"])
        assert 0 < len(b["Buchungstext"]) <= 60
        assert b["Fälligkeit"] == "" or re.fullmatch(r"\d{8}", b["Fälligkeit"])
    # each document's bookings add up to its total; payments go bank -> debtor
    by_doc: dict[str, Decimal] = {}
    for b in bookings:
        sign = 1 if b["Soll/Haben-Kennzeichen"] == "S" else -1
        if b["Konto"] == "10000":
            by_doc[b["Belegfeld 1"]] = by_doc.get(b["Belegfeld 1"], Decimal(0)) + sign * _amount(b)
    assert by_doc == {"INV-2026-0001": Decimal("73.36"), "INV-2026-0002": Decimal("56.40"),
                      "INV-2026-0003": Decimal("0.00")}  # voided by CN-2026-0001, booked under its number
    payments = [(b["Konto"], b["Gegenkonto (ohne BU-Schlüssel)"], b["Soll/Haben-Kennzeichen"], _amount(b),
                 b["Belegfeld 1"]) for b in bookings if b["Gegenkonto (ohne BU-Schlüssel)"] == "10000"]
    assert payments == [("1200", "10000", "S", Decimal("73.36"), "INV-2026-0001"),
                        ("1200", "10000", "S", Decimal("26.64"), "P-00001"),
                        ("1000", "10000", "S", Decimal("56.40"), "INV-2026-0002"),
                        ("1200", "10000", "H", Decimal("26.64"), "P-00001")]  # refund P-00004 of P-00001's credit


def test_open_items_by_belegfeld_1_leave_only_what_is_unpaid():
    """DATEV's open items on the debtor account pair bookings by Belegfeld 1: a voided invoice and the
    credit note that voids it cancel out (the credit note under the invoice's number, its own number in
    Belegfeld 2 and the Buchungstext), paid invoices are closed, credit stays under the Payment ID."""
    open_items = _open_items(exported())
    notes = [(b["Belegfeld 1"], b["Belegfeld 2"], b["Buchungstext"])
             for b in (dict(zip(datev.COLUMNS, r)) for r in records(exported())[2:]) if b["Belegfeld 2"]]
    assert {k: v for k, v in open_items.items() if v} == {}  # P-00004 paid back P-00001's credit
    assert notes == [("INV-2026-0003", "CN-2026-0001",
                      'Gutschrift CN-2026-0001 zu INV-2026-0003 Rossi; "Fisioterapi'),  # 60 characters
                     ("P-00001", "P-00004", "Erstattung P-00004 Anna Meier")]


def _open_items(data: bytes) -> dict[str, Decimal]:
    """The debtor account's bookings summed by Belegfeld 1, as DATEV's open items pair them."""
    items: dict[str, Decimal] = {}
    for b in (dict(zip(datev.COLUMNS, r)) for r in records(data)[2:]):
        sign = 1 if b["Soll/Haben-Kennzeichen"] == "S" else -1
        if b["Gegenkonto (ohne BU-Schlüssel)"] == "10000":
            sign = -sign
        items[b["Belegfeld 1"]] = items.get(b["Belegfeld 1"], Decimal(0)) + sign * _amount(b)
    return items


# Anna's 68.00 paid on INV-2026-0010, the invoice voided by CN-2026-0005, the money paid back to her.
VOIDED = _invoice("INV-2026-0010", date(2026, 10, 20), date(2026, 11, 3), "C-001", "Anna Meier", [
    _line("INV-2026-0010", "S-00020", date(2026, 10, 20), "LD60", "Manual lymph drainage, 60 min", "1", "68.00",
          "0", "0", "68.00", "0")], status="Void")
VOIDS = _invoice("CN-2026-0005", date(2026, 11, 12), date(2026, 11, 12), "C-001", "Anna Meier", [
    _line("CN-2026-0005", "S-00020", date(2026, 10, 20), "LD60", "Manual lymph drainage, 60 min", "-1", "68.00",
          "0", "0", "-68.00", "0")], sessions=("INV-2026-0010",))
REFUND = _payment(3, "P-00011", date(2026, 11, 14), "C-001", "", "-68.00", "Bank transfer", "paid back",
                  (Allocation("Refund", D("-68.00")),))


def _voided_and_refunded(paid_on: date) -> Ledger:
    paid = _payment(2, "P-00010", paid_on, "C-001", "INV-2026-0010", "68.00", "Bank transfer", "",
                    (Allocation("INV-2026-0010", D("68.00")),))
    return Ledger(sessions=(), clients=CLIENTS, services=(), invoices=(VOIDED, VOIDS), lines=(),
                  payments=(paid, REFUND))


def _datev(ledger: Ledger, period) -> bytes:
    return datev.export(journal(ledger, *period, NumberPattern("CN-{year}-{seq:04}"), "EUR"), DATEV)


def test_a_refund_of_money_a_void_set_free_closes_the_voided_invoice():
    """Paid in October, voided and paid back in November: October booked the payment under the
    invoice; November's credit note and refund are both booked under it, so nothing stays open."""
    ledger = _voided_and_refunded(date(2026, 10, 21))
    october = _open_items(_datev(ledger, (date(2026, 10, 1), date(2026, 10, 31))))
    november = _open_items(_datev(ledger, NOVEMBER))
    assert october == {"INV-2026-0010": Decimal("0.00")}
    assert {k: v for k, v in november.items() if v} == {}
    refund, = [r for r in records(_datev(ledger, NOVEMBER))[2:] if "Erstattung" in r[13]]
    assert (refund[10], refund[11], refund[1]) == ("INV-2026-0010", "P-00011", "H")


def test_a_refund_of_money_voided_in_the_same_period_closes_the_payments_credit():
    """Paid and voided in one period: the payment is booked as credit under its ID, and the
    refund under that ID too."""
    ledger = replace(_voided_and_refunded(date(2026, 10, 21)),
                     invoices=(replace(VOIDED, issue_date=date(2026, 11, 2)), VOIDS))
    ledger = replace(ledger, payments=(replace(ledger.payments[0], date=date(2026, 11, 3)), REFUND))
    items = _open_items(_datev(ledger, NOVEMBER))
    assert {k: v for k, v in items.items() if v} == {}
    assert items.keys() == {"INV-2026-0010", "P-00010"}


def test_refunds_take_the_oldest_credit_first_each_under_its_own_item():
    """Two payments left credit; one refund pays back more than the first: it is split."""
    first = _payment(2, "P-00020", date(2026, 11, 2), "C-001", "", "10.00", "Cash", "", (Allocation("Credit", D("10.00")),))
    second = _payment(3, "P-00021", date(2026, 11, 4), "C-001", "", "20.00", "Cash", "", (Allocation("Credit", D("20.00")),))
    back = _payment(4, "P-00022", date(2026, 11, 9), "C-001", "", "-25.00", "Cash", "", (Allocation("Refund", D("-25.00")),))
    ledger = Ledger(sessions=(), clients=CLIENTS, services=(), invoices=(), lines=(), payments=(first, second, back))
    items = _open_items(_datev(ledger, NOVEMBER))
    assert items == {"P-00020": Decimal("0.00"), "P-00021": Decimal("-5.00")}


def test_a_booking_per_tax_code_with_the_gross_amount():
    bookings = [dict(zip(datev.COLUMNS, r)) for r in records(exported())[2:]]
    inv2 = [(b["Gegenkonto (ohne BU-Schlüssel)"], b["BU-Schlüssel"], b["Umsatz (ohne Soll/Haben-Kz)"])
            for b in bookings if b["Belegfeld 1"] == "INV-2026-0002" and b["Konto"] == "10000"]
    assert inv2 == [("8125", "", "46,80"), ("8310", "2", "9,60")]


def test_document_numbers_are_made_fit_for_belegfeld_1():
    assert datev.document_number("RE 2026.001_a") == "RE-2026-001-a"
    assert len(datev.document_number("X" * 50)) == 36


@pytest.mark.parametrize("change, message", [
    ({"consultant": 0}, "consultant number"),
    ({"client": 0}, "client number"),
    ({"debtor_account": "100000"}, "account '100000'"),
])
def test_setup_problems_are_named(change, message):
    settings = replace(DATEV, datev=replace(DATEV.datev, **change))
    with pytest.raises(MappingProblem, match=message):
        exported(settings)


# (period, fiscal year start, the --from/--to to give instead)
CROSSING = [
    ((date(2026, 11, 1), date(2026, 11, 30)), (11, 15), "15.11.2026",
     "--from 2026-11-01 --to 2026-11-14, then --from 2026-11-15 --to 2026-11-30"),
    ((date(2026, 12, 1), date(2027, 1, 31)), (1, 1), "01.01.2027",
     "--from 2026-12-01 --to 2026-12-31, then --from 2027-01-01 --to 2027-01-31"),
    ((date(2026, 6, 1), date(2027, 8, 31)), (7, 1), "01.07.2026",
     "--from 2026-06-01 --to 2026-06-30, then --from 2026-07-01 --to 2026-12-31, then --from 2027-01-01 "
     "--to 2027-06-30, then --from 2027-07-01 --to 2027-08-31"),
]


@pytest.mark.parametrize("period, start, begins, split", CROSSING, ids=[c[2] for c in CROSSING])
def test_a_period_across_the_fiscal_year_says_which_from_and_to_to_give(period, start, begins, split):
    settings = replace(DATEV, datev=replace(DATEV.datev, fiscal_year_start=start))
    with pytest.raises(datev.PeriodProblem) as exc:
        exported(settings, period)
    message = str(exc.value)
    calendar = "; it holds one calendar year at most (its Belegdatum has no year: DATEV takes the year from the " \
        "batch)" if start != (1, 1) and period[0].year != period[1].year else ""
    assert message == (f"a DATEV batch holds one fiscal year at most, and {period[0]} to {period[1]} crosses the "
                       f"start of one on {begins}{calendar}: export each part on its own, {split}")
    assert "accounting" not in message


def test_a_period_across_new_year_inside_the_fiscal_year_is_split_there():
    """Belegdatum is DDMM and DATEV takes its year from the batch: a batch from December to January
    of a fiscal year that starts in July would book January's documents in the January before."""
    settings = replace(DATEV, datev=replace(DATEV.datev, fiscal_year_start=(7, 1)))
    with pytest.raises(datev.PeriodProblem) as exc:
        exported(settings, (date(2026, 12, 1), date(2027, 1, 31)))
    assert str(exc.value) == (
        "a DATEV batch holds one calendar year at most (its Belegdatum has no year: DATEV takes the year from the "
        "batch), and 2026-12-01 to 2027-01-31 crosses into 2027: export each part on its own, --from 2026-12-01 "
        "--to 2026-12-31, then --from 2027-01-01 --to 2027-01-31")
    head = records(exported(settings, (date(2027, 1, 1), date(2027, 1, 31))))[0]
    assert (head[12], head[14], head[15]) == ("20260701", "20270101", "20270131")


def test_a_non_numeric_tax_key_is_refused():
    settings = replace(DATEV, services={"BANDAGE": replace(DATEV.services["BANDAGE"], tax_code="VAT7")})
    with pytest.raises(MappingProblem, match="BU-Schlüssel"):
        exported(settings)


def test_fiscal_year_start():
    assert datev.fiscal_year_start(date(2026, 3, 1), (7, 1)) == date(2025, 7, 1)
    assert datev.fiscal_year_start(date(2026, 7, 1), (7, 1)) == date(2026, 7, 1)
    assert datev.debtor_account(Datev(account_length=6)) == "1000000"


def _amount(b) -> Decimal:
    return Decimal(b["Umsatz (ohne Soll/Haben-Kz)"].replace(",", "."))


def _november():
    start, end = NOVEMBER
    return {date.fromordinal(d) for d in range(start.toordinal(), end.toordinal() + 1)}
