"""core.status: a status cell's text -> its member, table-driven; and the book reading
and writing them: a record carries the member, a cell gets the same text as before."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from sheetbill.book import cells, records
from sheetbill.book.google import values
from sheetbill.book.schema import DEFAULT_TABS
from sheetbill.book.table import build
from sheetbill.book.xlsx import SheetEdit, patch_workbook, read_sheets
from sheetbill.core import changelog, status
from sheetbill.core.model import BillingStatus, InvoiceMode, InvoiceStatus, SessionStatus


@pytest.mark.parametrize("text, member", [
    ("Completed", SessionStatus.COMPLETED),
    ("completed", SessionStatus.COMPLETED),
    ("  COMPLETED ", SessionStatus.COMPLETED),
    ("Scheduled", SessionStatus.SCHEDULED),
    ("cancelled", SessionStatus.CANCELLED),
    ("No-show", SessionStatus.NO_SHOW),
    ("no-SHOW", SessionStatus.NO_SHOW),
    ("No show", None),  # the hyphen is part of the word
    ("Complete", None),
    ("Done", None),
    ("", None),
])
def test_a_sessions_status_matches_whatever_its_case_and_spaces(text, member):
    assert status.session_status(text) is member


@pytest.mark.parametrize("text, member", [
    ("Draft", InvoiceStatus.DRAFT),
    ("Finalized", InvoiceStatus.FINALIZED),
    ("Partially Paid", InvoiceStatus.PARTIALLY_PAID),
    ("Paid", InvoiceStatus.PAID),
    ("Void", InvoiceStatus.VOID),
    ("Archived", InvoiceStatus.ARCHIVED),
    ("void", InvoiceStatus.VOID),  # people type Void, Finalized and Archived by hand
    (" VOID ", InvoiceStatus.VOID),
    ("finalized", InvoiceStatus.FINALIZED),
    ("Finalised", InvoiceStatus.FINALIZED),
    ("Partially  paid", InvoiceStatus.PARTIALLY_PAID),
    ("Final", None),
    ("Cancelled", None),
    ("", None),
])
def test_an_invoices_status_is_read_as_people_type_it(text, member):
    assert status.invoice_status(text) is member


@pytest.mark.parametrize("text, member", [
    ("Draft", BillingStatus.DRAFT),
    ("Invoiced", BillingStatus.INVOICED),
    ("Sent", BillingStatus.SENT),
    ("Partially Paid", BillingStatus.PARTIALLY_PAID),
    ("Paid", BillingStatus.PAID),
    ("Archived", BillingStatus.ARCHIVED),
    ("Problem", BillingStatus.PROBLEM),
    ("sent", None),
    ("Finalized", None),
    ("", None),
])
def test_a_billing_status_matches_only_as_written(text, member):
    assert status.billing_status(text) is member


@pytest.mark.parametrize("text, member", [
    ("per-session", InvoiceMode.PER_SESSION),
    ("Per-Session", InvoiceMode.PER_SESSION),
    ("per session", InvoiceMode.PER_SESSION),
    (" daily ", InvoiceMode.DAILY),
    ("DAILY", InvoiceMode.DAILY),
    ("weekly", None),
    ("persession", None),
    ("", None),
])
def test_an_invoice_mode_matches_whatever_its_case_and_a_space_for_the_hyphen(text, member):
    assert status.invoice_mode(text) is member


def _table(key: str, **cells_by_header: object):
    tab = next(t for t in DEFAULT_TABS if t.key == key)
    headers = list(cells_by_header)
    return build(tab, [(1, tuple(headers)), (2, tuple(cells_by_header.values()))])


@pytest.mark.parametrize("typed, member, text", [
    (" completed ", SessionStatus.COMPLETED, "completed"),
    ("Done", None, "Done"),
    (None, None, ""),
])
def test_a_sessions_record_has_its_status_and_the_text_as_typed(typed, member, text):
    s, = records.sessions(_table("sessions", **{"Session ID": "S-1", "Client": "C-1", "Status": typed}))
    assert (s.status, s.status_text, s.errors) == (member, text, ())


@pytest.mark.parametrize("shown, member, unknown", [
    ("Sent", BillingStatus.SENT, ""),
    ("sent?", None, "sent?"),
    (None, None, ""),
])
def test_a_sessions_billing_status_keeps_a_text_it_does_not_know(shown, member, unknown):
    s, = records.sessions(_table("sessions", **{"Session ID": "S-1", "Billing Status": shown}))
    assert (s.billing_status, s.unknown_billing_status) == (member, unknown)
    assert s.billing_status_text == (shown or "")


@pytest.mark.parametrize("shown, member, unknown", [
    ("Partially Paid", InvoiceStatus.PARTIALLY_PAID, ""),
    ("Final", None, "Final"),
    ("", None, ""),
])
def test_an_invoices_record_has_its_status_or_the_text_it_does_not_know(shown, member, unknown):
    inv, = records.invoices(_table("invoices", **{"Invoice No": "INV-1", "Status": shown}), ())
    assert (inv.status, inv.unknown_status, inv.status_text) == (member, unknown, shown)


@pytest.mark.parametrize("typed, member, unknown", [
    ("Daily", InvoiceMode.DAILY, ""),
    ("per session", InvoiceMode.PER_SESSION, ""),
    ("monthly", None, "monthly"),
    ("", None, ""),
])
def test_a_clients_invoice_mode(typed, member, unknown):
    c, = records.clients(_table("clients", **{"Client ID": "C-1", "Invoice Mode": typed}))
    assert (c.invoice_mode, c.unknown_invoice_mode) == (member, unknown)


@pytest.mark.parametrize("member", [InvoiceStatus.PAID, InvoiceStatus.PARTIALLY_PAID, BillingStatus.SENT])
def test_a_status_is_written_as_its_text(tmp_path: Path, member):
    """A value on its way to a cell passes `cells.for_kind` (both books, the snapshot, the
    Changelog): a member given there is written as its text, never `InvoiceStatus.PAID`."""
    written = cells.for_kind("text", member)
    assert type(written) is str and written == member.value
    assert cells.text(written) == member.value
    assert changelog.text(member) == member.value
    assert values.cell("text", written) == ({"userEnteredValue": {"stringValue": member.value}}, False)
    path = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Invoices"
    wb.active.append(["Invoice No", "Status"])
    wb.active.append(["INV-1", "Finalized"])
    wb.save(path)
    out = tmp_path / "out.xlsx"
    patch_workbook(path, out, {"Invoices": SheetEdit(updates={(2, 1): written}, appends=[["INV-2", written]])})
    rows = read_sheets(out, ["Invoices"]).sheets["Invoices"].rows
    assert rows[1:] == [(2, ("INV-1", member.value)), (3, ("INV-2", member.value))]
    assert [c.value for c in openpyxl.load_workbook(out)["Invoices"]["B"]][1:] == [member.value] * 2
