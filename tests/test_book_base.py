"""book.base: what a commit hands back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sheetbill.book.base import Committed, Snapshot, next_rows
from sheetbill.book.schema import DEFAULT_TABS
from sheetbill.book.table import build
from sheetbill.core.changes import Changes, RowAppend
from sheetbill.core.model import Invoice, InvoiceStatus

D = Decimal


def invoice(number: str, row: int | None) -> Invoice:
    return Invoice(number, date(2026, 11, 20), None, "C-001", "Anna Meier", ("S-1",), D(65), D(0), D(65), D(0),
                   D(65), InvoiceStatus.FINALIZED, row=row)


@pytest.mark.parametrize("rows, before, after", [
    ({}, [("INV-1", 2)], [("INV-1", 2)]),  # nothing appended: where it was
    ({("invoices", "INV-2"): 3}, [("INV-1", 2), ("INV-2", None)], [("INV-1", 2), ("INV-2", 3)]),
    ({("lines", "INV-2"): 9, ("invoices", "INV-2"): 3}, [("INV-2", None)], [("INV-2", 3)]),  # only Invoices rows
], ids=["none-appended", "appended", "other-tabs"])
def test_placed_puts_each_appended_invoice_in_its_row(rows, before, after):
    done = Committed(rows, Snapshot({}, {}, None, None))
    placed = done.placed([invoice(n, r) for n, r in before])
    assert [(i.invoice_no, i.row) for i in placed] == after


def test_an_invoice_placed_in_its_row_keeps_everything_else():
    """`in_row` copies the invoice field by field: none is lost or moved, whatever it holds."""
    from dataclasses import fields, replace

    from sheetbill.core.model import Line

    line = Line("INV-1", "S-1", date(2026, 11, 3), "LD60", "Drainage", D(1), D(65), D(0), D(0), D(65), D(0), D(65))
    full = Invoice("INV-1", date(2026, 11, 20), date(2026, 12, 4), "C-001", "Anna Meier", ("S-1", "S-2"), D(65),
                   D("12.35"), D("77.35"), D(10), D("67.35"), InvoiceStatus.PARTIALLY_PAID, "INV-1.pdf",
                   "2026-11-20 10:00", "<m@x>", "abc123", None, (line,), "")
    assert len(fields(Invoice)) == 19  # a field added to Invoice must be added to Invoice.in_row too
    placed = full.in_row(7)
    assert placed == replace(full, row=7) and placed.lines == (line,) and placed.unknown_status == ""
    odd = replace(full, status=None, unknown_status="Sent?")
    assert odd.in_row(3).unknown_status == "Sent?"


TABS = {t.key: t for t in DEFAULT_TABS}


@pytest.mark.parametrize("last_rows, appends, expected", [
    ({"invoices": 1, "lines": 1}, [], {}),
    ({"invoices": 5, "lines": 9}, [("invoices", "INV-3"), ("lines", "INV-3/S-1/LD60"), ("invoices", "INV-4")],
     {("invoices", "INV-3"): 6, ("lines", "INV-3/S-1/LD60"): 10, ("invoices", "INV-4"): 7}),
    ({"invoices": 1, "changelog": 40}, [("changelog", "h1"), ("changelog", "h2")],
     {("changelog", "h1"): 41, ("changelog", "h2"): 42}),
], ids=["none", "two-tabs", "changelog"])
def test_appended_rows_land_below_each_tabs_last_row_in_order(last_rows, appends, expected):
    tables = {}
    for key, last in last_rows.items():
        tables[key] = build(TABS[key], [(1, TABS[key].headers)])
        tables[key].last_row = last
    placed = next_rows(tables, Changes.of(rows=[RowAppend(tab, k, {}) for tab, k in appends]))
    assert placed == expected and dict(placed) == expected and len(placed) == len(expected)
    assert all(placed[at] == row and at in placed for at, row in expected.items())
    assert ("invoices", "INV-9") not in placed and placed.get(("nope", "x")) is None and "invoices" not in placed
