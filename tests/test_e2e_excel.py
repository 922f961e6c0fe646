"""End to end on a real .xlsx: sessions in, invoices, PDFs and emails out."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest

from sheetbill.errors import WorkbookBusy

from .conftest import session


def pdf_text(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_init_creates_every_tab_of_the_design(practice):
    wb = openpyxl.load_workbook(practice.workbook)
    assert wb.sheetnames == ["Sessions", "Clients", "Services", "Invoices", "Lines", "Payments", "Cash", "Bank",
                             "Dashboard", "Changelog", "_sheetbill"]
    assert [c.value for c in wb["Sessions"][1]] == [
        "Session ID", "Date", "Client", "Service", "Quantity", "Extras", "Discount", "Provider", "Status",
        "Notes", "Invoice No", "Billing Status", "Problem"]
    assert [c.value for c in wb["Invoices"][1]][-4:] == ["PDF", "Sent At", "Message ID", "Checksum"]
    assert wb["Sessions"].freeze_panes == "A2"
    assert wb["_sheetbill"].sheet_state == "hidden"
    assert wb["Sessions"]["A1"].font.bold
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in wb["Sessions"].data_validations.dataValidation}
    assert "Completed" in lists["I"] and "Clients" in lists["C"] and "Services" in lists["D"]
    assert wb["Services"].max_row > 3
    assert (practice.folder / "templates" / "invoice.html").exists()
    assert practice.config.practice.name


def test_a_completed_session_is_invoiced_rendered_and_emailed(practice):
    practice.append("Sessions",
                    session("S-00001", date(2026, 11, 3), extras="BANDAGE x2"),
                    session("S-00002", date(2026, 11, 4), client="Jonas Becker"),
                    session("S-00003", date(2026, 11, 25), status="Scheduled"))
    report = practice.run()
    assert report.created == ["INV-2026-0001", "INV-2026-0002"]
    assert report.sent == ["INV-2026-0001", "INV-2026-0002"]

    invoices = practice.rows("Invoices")
    first = invoices[0]
    assert first["Invoice No"] == "INV-2026-0001" and first["Client ID"] == "C-001"
    assert Decimal(str(first["Net"])) == Decimal("90.00")  # 65.00 + 2 x 12.50
    assert Decimal(str(first["Tax"])) == Decimal("4.75")  # 19% of 25.00
    assert Decimal(str(first["Total"])) == Decimal("94.75")
    assert first["Status"] == "Finalized" and first["Sent At"].startswith("2026-11-21T09:30")
    assert first["PDF"] == "invoices/INV-2026-0001.pdf" and first["Checksum"]
    assert Decimal(str(invoices[1]["Total"])) == Decimal("58.50")  # client discount 10%
    lines = practice.rows("Lines")
    assert [(l["Invoice No"], l["Code"]) for l in lines] == [
        ("INV-2026-0001", "LD60"), ("INV-2026-0001", "BANDAGE"), ("INV-2026-0002", "LD60")]

    sessions = {s["Session ID"]: s for s in practice.rows("Sessions")}
    assert sessions["S-00001"]["Invoice No"] == "INV-2026-0001"
    assert sessions["S-00001"]["Billing Status"] == "Sent"
    assert sessions["S-00003"]["Invoice No"] is None

    text = pdf_text(practice.folder / first["PDF"])
    assert "INV-2026-0001" in text and "Anna Meier" in text and "94.75" in text

    mails = practice.emails()
    assert len(mails) == 2
    mail = next(m for m in mails if m["To"].addresses[0].addr_spec == "anna@example.com")
    assert mail["Message-ID"] == first["Message ID"]
    attachment, = list(mail.iter_attachments())
    assert attachment.get_filename() == "INV-2026-0001.pdf"
    assert attachment.get_content() == (practice.folder / first["PDF"]).read_bytes()

    log = practice.rows("Changelog")
    assert {(r["Action"], r["Tab"]) for r in log} >= {("create", "Invoices"), ("create", "Lines"),
                                                      ("update", "Sessions")}
    assert all(r["Actor"] == "sheetbill" and r["At"].endswith("Z") and r["Hash"] for r in log)
    change = next(r for r in log if r["Key"] == "S-00001" and r["Field"] == "Invoice No")
    assert (change["Before"], change["After"]) == (None, "INV-2026-0001")


def test_the_second_run_creates_writes_and_sends_nothing(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()
    before = practice.workbook.read_bytes()
    report = practice.run()
    assert (report.created, report.pdfs, report.sent) == ([], [], [])
    assert practice.workbook.read_bytes() == before
    assert len(practice.emails()) == 1


def test_bad_rows_get_a_problem_that_clears_once_fixed(practice):
    practice.append("Sessions",
                    session("S-00001", date(2026, 11, 3), client="Bob"),
                    session("S-00002", "31.02.2026"),
                    session("S-00003", date(2026, 11, 3), service="MASSAGE"),
                    session("S-00004", date(2026, 11, 3), quantity="two"),
                    session("S-00005", date(2026, 11, 3)))
    report = practice.run()
    assert report.created == ["INV-2026-0001"]
    rows = {s["Session ID"]: s for s in practice.rows("Sessions")}
    assert "Unknown client 'Bob'" in rows["S-00001"]["Problem"]
    assert "31.02.2026" in rows["S-00002"]["Problem"]
    assert "Unknown service 'MASSAGE'" in rows["S-00003"]["Problem"]
    assert "Quantity 'two' is not a number" in rows["S-00004"]["Problem"]
    assert all(rows[s]["Billing Status"] == "Problem" for s in ("S-00001", "S-00002", "S-00003", "S-00004"))

    practice.set("Sessions", "S-00001", "Client", "Anna Meier")
    report = practice.run()
    assert report.created == ["INV-2026-0002"]
    row = {s["Session ID"]: s for s in practice.rows("Sessions")}["S-00001"]
    assert row["Problem"] is None and row["Invoice No"] == "INV-2026-0002"


def test_rows_without_a_session_id_get_one(practice):
    practice.append("Sessions", session("S-00041", date(2026, 11, 3)), session(None, date(2026, 11, 4)))
    practice.run()
    ids = [s["Session ID"] for s in practice.rows("Sessions")]
    assert ids == ["S-00041", "S-00042"]


def test_a_row_numbered_and_billed_in_one_cycle_shows_its_invoice_as_sent(practice, clock):
    """A session typed without a Session ID (a form, a phone) gets its ID, its invoice and its email
    in one cycle; its row and the Dashboard say so at once, as for a session that had its ID."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session(None, date(2026, 11, 4)))
    report = practice.run(clock)
    assert report.created == report.sent == ["INV-2026-0001", "INV-2026-0002"]

    def shown():
        sessions = [(s["Session ID"], s["Invoice No"], s["Billing Status"], s["Problem"])
                    for s in practice.rows("Sessions")]
        return sessions, {r["Item"]: r["Count"] for r in practice.rows("Dashboard")}["Unbilled completed sessions"]
    assert shown() == ([("S-00001", "INV-2026-0001", "Sent", None), ("S-00002", "INV-2026-0002", "Sent", None)], 0)
    changelog = len(practice.rows("Changelog"))

    assert practice.run(clock).line().startswith("0 invoice(s)")  # nothing new: the same day's next cycle is idle
    clock.current += timedelta(days=1)  # the next day's cycle reads everything: it finds nothing to correct
    assert practice.run(clock).actions == []
    assert shown() == ([("S-00001", "INV-2026-0001", "Sent", None), ("S-00002", "INV-2026-0002", "Sent", None)], 0)
    assert [c for c in practice.rows("Changelog")[changelog:] if c["Tab"] == "Sessions"] == []


def test_a_totals_row_under_the_sessions_is_left_alone(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), quantity=2),
                    session(None, date(2026, 11, 4), client=None))  # a session half filled in: no Client
    wb = openpyxl.load_workbook(practice.workbook)
    ws = wb["Sessions"]
    col = {c.value: c.column for c in ws[1]}
    ws.cell(4, col["Service"], "Total")
    ws.cell(4, col["Quantity"], "=SUM(E2:E3)")
    ws.cell(4, col["Status"], '=COUNTIF(I2:I3,"Completed")')
    ws.cell(5, col["Date"], "November")  # a label, and the totals as Excel saves them: numbers
    ws.cell(5, col["Quantity"], 2)
    ws.cell(5, col["Status"], 1)
    wb.save(practice.workbook)
    report = practice.run()
    assert report.created == ["INV-2026-0001"]
    assert [(p.row, p.key, p.message) for p in report.problems] == [(3, "S-00002", "No Client given")]
    rows = practice.rows("Sessions")
    assert [r["Session ID"] for r in rows] == ["S-00001", "S-00002", None, None]
    assert {k: v for k, v in rows[2].items() if v is not None} == {
        "Service": "Total", "Quantity": "=SUM(E2:E3)", "Status": '=COUNTIF(I2:I3,"Completed")'}
    assert {k: v for k, v in rows[3].items() if v is not None} == {"Date": "November", "Quantity": 2, "Status": 1}
    assert {r["Item"]: r["Count"] for r in practice.rows("Dashboard")}["Problems"] == 1


def test_cell_text_is_never_a_formula_nor_a_template(practice):
    practice.append("Clients", ["C-009", "=HYPERLINK(\"http://evil\",\"x\")", "eve@example.com",
                                "{{ 7*7 }} <b>bold</b>", None, None, None, None])
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), client="C-009"))
    practice.run()
    assert practice.cell_types("Invoices", "Client Name") == ["s"]
    assert practice.rows("Invoices")[0]["Client Name"].startswith("=HYPERLINK")
    text = pdf_text(practice.folder / "invoices" / "INV-2026-0001.pdf")
    assert "{{ 7*7 }}" in text and "<b>bold</b>" in text and "49" not in text.split("{{")[0][-5:]
    body = practice.emails()[0].get_body(("plain",)).get_content()
    assert "=HYPERLINK" in body or "Dear" in body


def test_an_open_workbook_is_never_written(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    lock = practice.folder / "~$practice.xlsx"
    lock.write_text("owner")
    before = practice.workbook.read_bytes()
    with pytest.raises(WorkbookBusy, match="open in Excel or LibreOffice"):
        practice.run()
    assert practice.workbook.read_bytes() == before
    assert practice.emails() == []
    lock.unlink()
    (practice.folder / ".~lock.practice.xlsx#").write_text("x")
    with pytest.raises(WorkbookBusy):
        practice.run()


def test_a_backup_of_the_previous_version_is_kept(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    before = practice.workbook.read_bytes()
    practice.run()
    backups = sorted((practice.folder / "backups").glob("practice.*.xlsx"))
    assert backups and before in [b.read_bytes() for b in backups]


def test_the_dashboard_and_its_chart(practice):
    import zipfile

    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session("S-00002", date(2026, 11, 4), client="Bob"))
    practice.run()
    board = {r["Item"]: r for r in practice.rows("Dashboard")}
    assert board["Open invoices (gross)"]["Count"] == 1 and Decimal(str(board["Open invoices (gross)"]["Value"])) == Decimal("65")
    assert board["Problems"]["Count"] == 1 and board["Unbilled completed sessions"]["Count"] == 1
    assert Decimal(str(board["Revenue 2026-11 (net)"]["Value"])) == Decimal("65")
    with zipfile.ZipFile(practice.workbook) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())  # made by init, kept by every run


def test_a_formula_without_a_saved_value_is_a_problem(practice):
    wb = openpyxl.load_workbook(practice.workbook)
    wb["Sessions"].append(session("S-00001", date(2026, 11, 3), quantity="=1+1"))  # openpyxl saves no value
    wb.save(practice.workbook)
    practice.run()
    row, = practice.rows("Sessions")
    assert "Quantity is a formula with no saved value" in row["Problem"]
    assert practice.rows("Invoices") == []


def test_two_workers_never_both_act(practice):
    from sheetbill import app

    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    first = app.book_for(practice.config)
    with first.lease():  # a worker is in the middle of a cycle
        with pytest.raises(WorkbookBusy, match="another sheetbill worker"):
            practice.run()
    assert practice.run().created == ["INV-2026-0001"]


def test_the_dashboards_problems_are_the_rows_that_show_one(practice):
    """A bank entry no invoice fits has its Problem from the statement's import, not from the
    plan: the Dashboard counts it with the others, as `run` does."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), client="Bob"))
    practice.append("Bank", [date(2026, 11, 20), 80, "Unknown Ltd", "no reference", "B-1", "statement.xml", None,
                             "No invoice found: write the invoice in Matched To"])
    report = practice.run()
    shown = [r for tab in ("Sessions", "Payments", "Bank") for r in practice.rows(tab) if r.get("Problem")]
    assert len(shown) == 2 and len(report.problems) == 2
    board = {r["Item"]: r for r in practice.rows("Dashboard")}
    assert board["Problems"]["Count"] == 2


def test_a_client_deleted_with_open_invoices_is_told_on_every_run_until_the_row_is_back(practice):
    """Reminders and statements need the client's row: one deleted while its invoices are open stopped them
    without a word (and `statement` failed with "Unknown client")."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), client="C-002"),
                    session("S-00002", date(2026, 11, 4)))
    practice.run()
    wb = openpyxl.load_workbook(practice.workbook)
    ws = wb["Clients"]
    kept = next([c.value for c in r] for r in ws.iter_rows(min_row=2) if r[0].value == "C-002")
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == "C-002")
    ws.delete_rows(row, 1)
    wb.save(practice.workbook)
    for _ in range(2):  # every run, not once
        said = [line for line in practice.run().for_a_person() if "not in Clients" in line]
        assert len(said) == 1 and said[0].startswith("attention: Client C-002 (Jonas Becker) is not in Clients")
        assert "1 of its invoices are open (INV-2026-0001; 58.50 in all)" in said[0]
    wb = openpyxl.load_workbook(practice.workbook)
    wb["Clients"].append(kept)
    wb.save(practice.workbook)
    assert not any("not in Clients" in line for line in practice.run().for_a_person())
