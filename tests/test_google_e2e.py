"""Whole cycles of the real worker on a Google Sheet in the local fake:
sessions in, invoices, lines and session cells written back, PDFs in the
Drive folder with their links, one Gmail message per invoice."""

from __future__ import annotations

from collections import Counter

from tests.fakegoogle import extract_text

from .conftest import session
from .google_practice import GooglePractice, google_practice  # noqa: F401  (fixture)

pytest_plugins = ["tests.conftest_google"]


def test_a_cycle_bills_sends_and_records(google_practice: GooglePractice):
    p = google_practice
    p.append("Sessions", *[session(f"S-{n:05d}", f"2026-11-{n:02d}") for n in range(1, 4)])
    report = p.run()
    assert report.created == ["INV-2026-0001", "INV-2026-0002", "INV-2026-0003"], report.errors
    assert report.errors == []
    invoices = p.rows("Invoices")
    assert [i["Invoice No"] for i in invoices] == report.created
    assert [i["Total"] for i in invoices] == ["65.00"] * 3
    assert [i["Issue Date"] for i in invoices] == ["2026-11-21"] * 3
    assert [s["Invoice No"] for s in p.rows("Sessions")] == report.created
    assert {s["Billing Status"] for s in p.rows("Sessions")} == {"Sent"}
    pdfs = p.pdfs()
    assert sorted(pdfs) == [f"{n}.pdf" for n in report.created]
    assert all(i["PDF"].startswith("https://drive.google.com/file/d/") for i in invoices)
    text = extract_text(pdfs["INV-2026-0002.pdf"])
    assert "Invoice INV-2026-0002 of 21 Nov 2026" in text
    assert "Manual lymph drainage, 60 min | 1 | 65.00 EUR | 65.00 EUR" in text
    mails = p.emails()
    assert Counter(m["Message-ID"] for m in mails) == Counter({i["Message ID"]: 1 for i in invoices})
    assert all(i["Sent At"] for i in invoices)


def test_the_next_cycle_is_one_request_and_writes_nothing(google_practice: GooglePractice):
    p = google_practice
    p.append("Sessions", session("S-00001", "2026-11-02"))
    p.run()
    p.fake.calls.clear()
    report = p.run()
    assert report.created == [] and report.sent == []
    assert p.fake.calls.snapshot()["apis"] == {"sheets": 1}
    assert p.fake.count(method="sheets.spreadsheets.getByDataFilter") == 1


def test_a_row_numbered_and_billed_in_one_cycle_shows_its_invoice_as_sent(google_practice: GooglePractice):
    """A session typed without a Session ID (a form, a phone) gets its ID, its invoice and its email
    in one cycle, and its row and the Dashboard say so at once; the next day's cycle corrects nothing."""
    from datetime import timedelta

    p = google_practice
    p.append("Sessions", session("S-00001", "2026-11-02"), session(None, "2026-11-03"))
    report = p.run()
    assert report.created == report.sent == ["INV-2026-0001", "INV-2026-0002"], report.errors

    def shown():
        sessions = [(s["Session ID"], s["Invoice No"], s["Billing Status"]) for s in p.rows("Sessions")]
        return sessions, {r["Item"]: r["Count"] for r in p.rows("Dashboard")}["Unbilled completed sessions"]
    assert shown() == ([("S-00001", "INV-2026-0001", "Sent"), ("S-00002", "INV-2026-0002", "Sent")], "0")
    changelog = len(p.rows("Changelog"))
    next_day = p.later(0)
    next_day.current += timedelta(days=1)
    assert p.run(next_day).actions == []
    assert shown() == ([("S-00001", "INV-2026-0001", "Sent"), ("S-00002", "INV-2026-0002", "Sent")], "0")
    assert [c for c in p.rows("Changelog")[changelog:] if c["Tab"] == "Sessions"] == []


def test_a_reminder_attaches_the_invoice_as_it_stands_today(google_practice: GooglePractice):
    from datetime import timedelta

    p = google_practice
    p.config_path.write_text(p.config_path.read_text() + "reminders:\n  days: [7]\n")
    p.append("Sessions", session("S-00001", "2026-11-02"))
    p.run()
    later = p.later(0)
    later.current += timedelta(days=14 + 8)
    report = p.run(later)
    assert report.errors == []
    reminder = p.emails()[-1]
    (attachment,) = list(reminder.iter_attachments())
    # re-rendered today, so that it names the open amount the reminder names; the original is kept
    assert attachment.get_filename() == f"INV-2026-0001 ({later.now().date().isoformat()}).pdf"
    assert attachment.get_content().startswith(b"%PDF")
    assert "INV-2026-0001.pdf" in p.pdfs()
    assert len(p.emails()) == 2


def test_a_sheet_without_the_worker_tabs_gets_them_on_the_first_write(fake_google, tmp_path):
    from sheetbill import app
    from sheetbill import config as config_mod
    from sheetbill.book.schema import DEFAULT_TABS
    from tests.fakegoogle import seed

    from .conftest import CLIENTS, FixedClock
    from .google_practice import SERVICES, connection, write_config

    headers = {t.key: list(t.headers) for t in DEFAULT_TABS}
    book = seed.spreadsheet(fake_google.state, "Bare", {
        "Sessions": [headers["sessions"], session("S-00001", "2026-11-02")],
        "Clients": [headers["clients"]] + CLIENTS, "Services": [headers["services"]] + SERVICES})
    write_config(tmp_path, book.id, "", "")
    config_path = tmp_path / "sheetbill.yaml"
    config_path.write_text(config_path.read_text().replace("  drive_folder: \n", "").replace("  docs_template: \n", "")
                           .replace("engine: gdocs", "engine: html").replace("transport: gmail", "transport: none"))
    report = app.worker_for(config_mod.load(config_path), clock=FixedClock(), google=connection(fake_google)).run_once()
    assert report.created == ["INV-2026-0001"]
    titles = [s.title for s in book.sheets]
    assert {"Invoices", "Lines", "Changelog", "_sheetbill"} <= set(titles)
    assert book.sheet_titled("_sheetbill").hidden


def test_a_total_typed_over_comes_back_as_a_number(google_practice: GooglePractice):
    """The restore writes the value its column holds: a number in Total (a SUM counts it), not
    the text "65" a Sheets user would see left-aligned and a formula would skip."""
    from tests.fakegoogle import humans

    p = google_practice
    p.append("Sessions", session("S-00001", "2026-11-02"))
    p.run()
    header = p.values("Invoices")[0]
    humans.type_values(p.fake.state, p.spreadsheet_id, "Invoices", 1, header.index("Total"), [["1"]])
    assert p.values("Invoices", "UNFORMATTED_VALUE")[1][header.index("Total")] == 1
    p.run()
    assert p.values("Invoices", "UNFORMATTED_VALUE")[1][header.index("Total")] == 65
    assert p.rows("Invoices")[0]["Total"] == "65.00"


def test_a_draft_typed_over_in_sheets_is_made_again_and_sends_what_adds_up(google_practice: GooglePractice):
    """Review mode on a Google Sheet: a draft's Unit Price typed over (and Finalized in the same
    edit) is made again from its session, and the invoice finally sent says what its line adds up to."""
    from tests.fakegoogle import humans

    p = google_practice
    p.config_path.write_text(p.config_path.read_text() + "billing:\n  finalize: review\n")
    p.append("Sessions", session("S-00001", "2026-11-02"))
    p.run()
    lines, invoices = p.values("Lines")[0], p.values("Invoices")[0]
    humans.type_values(p.fake.state, p.spreadsheet_id, "Lines", 1, lines.index("Unit Price"), [["50"]])
    humans.type_values(p.fake.state, p.spreadsheet_id, "Invoices", 1, invoices.index("Status"), [["Finalized"]])
    report = p.run()
    assert report.created == ["DRAFT-S-00001-2"] and p.emails() == []
    assert [(i["Invoice No"], i["Status"]) for i in p.rows("Invoices")] == [("DRAFT-S-00001", "Void"),
                                                                            ("DRAFT-S-00001-2", "Draft")]
    humans.type_values(p.fake.state, p.spreadsheet_id, "Invoices", 2, invoices.index("Status"), [["Finalized"]])
    assert p.run().created == ["INV-2026-0001"]
    (line,) = [l for l in p.rows("Lines") if l["Invoice No"] == "INV-2026-0001"]
    assert (line["Unit Price"], line["Net"]) == ("65.00", "65.00") and len(p.emails()) == 1
    assert p.run().created == []  # and it stays so


def test_a_renamed_tab_or_header_in_sheets_is_refused_and_nothing_is_written(google_practice: GooglePractice):
    """The Google book reads through the same check as the Excel one (tests/test_e2e_shape.py)."""
    import pytest

    from tests.fakegoogle import humans

    from sheetbill.errors import WorkbookError

    p = google_practice
    p.append("Sessions", session("S-00001", "2026-11-02"))
    p.run()
    header = p.values("Sessions")[0]
    humans.type_values(p.fake.state, p.spreadsheet_id, "Sessions", 0, header.index("Quantity"), [["Qty"]])
    p.append("Sessions", session("S-00002", "2026-11-03", quantity=3))
    p.fake.calls.clear()
    with pytest.raises(WorkbookError, match=r"tab 'Sessions' has no column 'Quantity' \(it had one at the last run"):
        p.run()
    assert p.fake.count(method="sheets.spreadsheets.batchUpdate") == 0
    humans.type_values(p.fake.state, p.spreadsheet_id, "Sessions", 0, header.index("Quantity"), [["Quantity"]])
    with p.fake.state.lock:
        p.fake.state.spreadsheets[p.spreadsheet_id].sheet_titled("Invoices").title = "Invoice"
    with pytest.raises(WorkbookError, match=r"tab 'Invoices' is missing, but it held 1 row at the last run"):
        p.run()
    with p.fake.state.lock:
        p.fake.state.spreadsheets[p.spreadsheet_id].sheet_titled("Invoice").title = "Invoices"
    report = p.run()
    assert report.created == ["INV-2026-0002"] and p.rows("Invoices")[1]["Total"] == "195.00"  # 3 x 65.00
    assert not [r for r in p.rows("Changelog") if r["Action"] == "edit"]


def test_an_invoice_typed_into_the_sheet_is_cleared_and_its_number_goes_to_the_next_real_one(
        google_practice: GooglePractice):
    p = google_practice
    p.append("Sessions", session("S-00001", "2026-11-02"))
    p.run()
    p.append("Invoices", ["INV-2026-0002", "2026-11-03", "2026-11-17", "C-002", "Jonas Becker", "", 50, 0, 50, 0, 50,
                          "Finalized"])
    p.append("Sessions", session("S-00002", "2026-11-03", client="C-003"))
    report = p.run()
    assert report.created == ["INV-2026-0002"] and len(report.sent) == 1
    assert [(i["Invoice No"], i["Client ID"], i["Total"]) for i in p.rows("Invoices")] == [
        ("INV-2026-0001", "C-001", "65.00"), ("INV-2026-0002", "C-003", "65.00")]
    assert [m["To"] for m in p.emails()][-1].endswith("sofia@example.com>")
