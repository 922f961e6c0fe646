"""A period's export is built from what was true at the period's end: credit a later invoice
uses, or money a later void moves, does not change the books of an earlier period.

Replays a workbook through the worker: a payment dated before its invoice was issued that
leaves credit, a payment on an invoice that is voided the month after, then December's
invoice paid from that credit; and exports every format before and after December."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from sheetbill import app
from sheetbill.accounting import export

from .accounting_books import OTHERS
from .conftest import FixedClock, session
from .test_accounting_cli import ACCOUNTING

FIRST_HALF = (date(2026, 11, 1), date(2026, 11, 15))
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))
BOTH = (date(2026, 11, 1), date(2026, 12, 31))
EARLY = {"first half of November": FIRST_HALF, "November": NOVEMBER}


def at(day: date) -> FixedClock:
    return FixedClock(datetime(day.year, day.month, day.day, 9, 30, tzinfo=timezone.utc))


def files(practice, period) -> dict[str, bytes]:
    """Every format's file for the period, by format (DATEV with the config's accounting:, the
    others with Xero's tax types)."""
    out = {}
    for fmt in export.FORMATS:
        config = practice.config if fmt == "datev" else dataclasses.replace(practice.config, accounting=OTHERS)
        target = practice.folder / "exports" / f"{fmt}-{period[0]}-{period[1]}"
        paths, _ = app.export_accounts(config, fmt, *period, out=target)
        out[fmt] = b"".join(p.read_bytes() for p in paths)
    return out


@pytest.fixture
def november(practice):
    """Two invoices issued on 20 Nov; P-00001 (100.00, dated 10 Nov, entered on the 21st) pays
    INV-2026-0001's 65.00 and leaves 35.00 credit; P-00002 pays INV-2026-0002."""
    with practice.config_path.open("a") as f:
        f.write(ACCOUNTING)
    practice.append("Sessions", session("S-00001", date(2026, 11, 19)),
                    session("S-00002", date(2026, 11, 19), client="C-002"))
    practice.run(at(date(2026, 11, 20)))
    practice.append("Payments",
                    ["P-00001", date(2026, 11, 10), "C-001", None, Decimal("100.00"), "Bank transfer", "early"],
                    ["P-00002", date(2026, 11, 21), None, "INV-2026-0002", Decimal("58.50"), "Card", "desk"])
    practice.run(at(date(2026, 11, 21)))
    assert applied_to(practice) == {"P-00001": "INV-2026-0001 65.00; Credit 35.00",
                                    "P-00002": "INV-2026-0002 58.50"}
    return practice


def december(practice) -> None:
    """INV-2026-0004 is paid from P-00001's credit; INV-2026-0002 is voided, its session billed
    again as INV-2026-0003, and P-00002 moves onto it."""
    practice.append("Sessions", session("S-00003", date(2026, 12, 1)))
    practice.set("Invoices", "INV-2026-0002", "Status", "Void")
    practice.run(at(date(2026, 12, 2)))
    assert applied_to(practice) == {  # Applied To is a history: it grows
        "P-00001": "INV-2026-0001 65.00; Credit 35.00; INV-2026-0004 35.00",
        "P-00002": "INV-2026-0002 58.50; INV-2026-0003 58.50"}


def applied_to(practice) -> dict[str, str]:
    return {r["Payment ID"]: r["Applied To"] for r in practice.rows("Payments")}


def test_an_early_period_exports_the_same_bytes_after_later_credit_use_and_a_void(november):
    before = {name: files(november, period) for name, period in EARLY.items()}
    december(november)
    for name, period in EARLY.items():
        after = files(november, period)
        for fmt in export.FORMATS:
            assert after[fmt] == before[name][fmt], f"the {fmt} file of {name} changed after December"


def test_the_csv_journal_says_where_the_money_was_at_the_periods_end(november):
    december(november)
    expected = {
        FIRST_HALF: {"P-00001": "Credit 100.00"},  # INV-2026-0001 was not issued yet
        NOVEMBER: {"P-00001": "INV-2026-0001 65.00; Credit 35.00", "P-00002": "INV-2026-0002 58.50"},
        DECEMBER: {},
        BOTH: {"P-00001": "INV-2026-0001 65.00; INV-2026-0004 35.00", "P-00002": "INV-2026-0003 58.50"},
    }
    for period, applied in expected.items():
        rows = journal_rows(files(november, period)["csv"])
        assert {r["Number"]: r["Applied To"] for r in rows if r["Type"] == "Payment"} == applied, period


@pytest.mark.parametrize("period", [FIRST_HALF, NOVEMBER, DECEMBER, BOTH], ids=str)
def test_no_file_allocates_more_than_a_payment_or_books_it_on_a_later_invoice(november, period):
    december(november)
    made = files(november, period)
    issued = {r["Invoice No"]: r["Issue Date"].date() for r in november.rows("Invoices")}

    for r in journal_rows(made["csv"]):
        if r["Type"] == "Payment":
            parts = [part.rpartition(" ") for part in r["Applied To"].split("; ")]
            assert sum(Decimal(amount) for _, _, amount in parts) == Decimal(r["Total"]), r
            assert all(issued[no] <= period[1] for no, _, _ in parts if no != "Credit"), r

    paid: dict[str, Decimal] = {}
    for row in csv.reader(io.StringIO(made["datev"].decode("cp1252")), delimiter=";"):
        if row[13].startswith("Zahlung "):  # Buchungstext of a payment: bank to debtor
            pid, document = row[13].split()[1], row[10]
            paid[pid] = paid.get(pid, Decimal(0)) + Decimal(row[0].replace(",", "."))
            assert document == pid or issued[document] <= period[1], row  # Belegfeld 1
    received = {r["Payment ID"]: Decimal(str(r["Amount"])) for r in november.rows("Payments")
                if period[0] <= r["Date"].date() <= period[1]}
    assert paid == received

    splits: dict[str, Decimal] = {}
    for cells in (line.split("\t") for line in made["iif"].decode("cp1252").split("\r\n")):
        if cells[0] == "SPL" and cells[2] == "PAYMENT":
            splits[cells[7]] = splits.get(cells[7], Decimal(0)) - Decimal(cells[6])
    assert sum(splits.values(), Decimal(0)) == sum(received.values(), Decimal(0))
    assert all(no in received or issued[no] <= period[1] for no in splits)


def test_datev_books_credit_to_the_payment_until_an_invoice_of_the_period_uses_it(november):
    december(november)
    bookings = {period: [row[:2] + row[10:11] for row in csv.reader(
        io.StringIO(files(november, period)["datev"].decode("cp1252")), delimiter=";") if row[13].startswith("Zahlung P-00001")]
        for period in (FIRST_HALF, NOVEMBER, BOTH)}
    assert bookings == {
        FIRST_HALF: [["100,00", "S", "P-00001"]],
        NOVEMBER: [["65,00", "S", "INV-2026-0001"], ["35,00", "S", "P-00001"]],
        BOTH: [["65,00", "S", "INV-2026-0001"], ["35,00", "S", "INV-2026-0004"]],
    }


def journal_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_a_desk_payment_before_its_invoice_is_exported_with_the_sessions_client(practice):
    """Paid at the desk on 2 Nov naming only the session; the invoice is issued on 1 Dec. November's
    books have the payment as credit, and for the session's client, not for nobody."""
    with practice.config_path.open("a") as f:
        f.write(ACCOUNTING)
    practice.append("Sessions", session("S-00001", date(2026, 11, 2), client="C-002"))
    practice.append("Payments", ["P-00001", date(2026, 11, 2), None, "S-00001", Decimal("65.00"), "Cash",
                                 "paid at the desk"])
    practice.run(at(date(2026, 12, 1)))
    invoice, = practice.rows("Invoices")
    assert (invoice["Issue Date"].date(), invoice["Client ID"]) == (date(2026, 12, 1), "C-002")
    name = invoice["Client Name"]

    made = files(practice, NOVEMBER)
    row, = csv.DictReader(io.StringIO(made["csv"].decode("utf-8")))
    assert (row["Type"], row["Number"], row["Client ID"], row["Client Name"], row["Applied To"]) == (
        "Payment", "P-00001", "C-002", name, "Credit 65.00")
    booking, = made["datev"].decode("cp1252").split("\r\n")[2:-1]
    assert f'"Zahlung P-00001 {name}"' in booking and ';"Kunde";"C-002";' in booking
    assert f"CUST\t{name}\t" in made["iif"].decode("cp1252")
