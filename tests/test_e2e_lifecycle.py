"""Drafts, finalizing, voiding with credit notes, protection of finalized
invoices and the revision history, on a real workbook."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from sheetbill import app, commands

from .conftest import session
from .test_e2e_excel import pdf_text
from .test_e2e_payments import payment


def by(rows, key):
    return {r[key]: r for r in rows}


def edit(practice, tab: str, key: str, header: str, value, editor: str = "Maria Admin") -> None:
    practice.set(tab, key, header, value, editor=editor)


def test_review_mode_drafts_get_a_number_only_when_finalized(practice):
    practice.configure("finalize: auto", "finalize: review")
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session("S-00002", date(2026, 11, 4)))
    practice.run()
    invoices = practice.rows("Invoices")
    assert [(i["Invoice No"], i["Status"]) for i in invoices] == [("DRAFT-S-00001", "Draft"), ("DRAFT-S-00002", "Draft")]
    assert practice.emails() == []
    assert "DRAFT" in pdf_text(practice.folder / invoices[0]["PDF"])
    sessions = by(practice.rows("Sessions"), "Session ID")
    assert sessions["S-00001"]["Billing Status"] == "Draft" and sessions["S-00001"]["Invoice No"] is None

    edit(practice, "Invoices", "DRAFT-S-00002", "Status", "Finalized")
    report = practice.run()
    assert report.created == ["INV-2026-0001"]
    invoices = by(practice.rows("Invoices"), "Invoice No")
    final = invoices["INV-2026-0001"]
    assert final["Status"] == "Finalized" and final["Sessions"] == "S-00002" and final["Sent At"]
    assert invoices["DRAFT-S-00001"]["Status"] == "Draft"
    assert [l["Invoice No"] for l in practice.rows("Lines")] == ["DRAFT-S-00001", "INV-2026-0001"]
    text = pdf_text(practice.folder / final["PDF"])
    assert "INV-2026-0001" in text and "DRAFT" not in text
    mail, = practice.emails()
    assert mail["Message-ID"] == final["Message ID"]
    assert by(practice.rows("Sessions"), "Session ID")["S-00002"]["Invoice No"] == "INV-2026-0001"


def test_a_draft_follows_its_sessions_and_what_is_sent_always_adds_up(practice):
    """Review mode as an admin uses it: a session corrected while its invoice is a draft, a draft's
    price typed over and finalized in the same save, a draft dropped by hand. Each draft is made
    again from its sessions, and the invoices sent say what their lines add up to."""
    practice.configure("finalize: auto", "finalize: review")
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session("S-00002", date(2026, 11, 4)),
                    session("S-00003", date(2026, 11, 5)))
    practice.run()
    edit(practice, "Sessions", "S-00001", "Quantity", 2)  # corrected before the draft went out
    edit(practice, "Lines", "DRAFT-S-00002", "Unit Price", 50)  # a price typed over on the draft...
    edit(practice, "Invoices", "DRAFT-S-00002", "Status", "Finalized")  # ...and finalized at once
    edit(practice, "Invoices", "DRAFT-S-00003", "Status", "Void")  # dropped by hand
    report = practice.run()
    assert report.created == ["DRAFT-S-00001-2", "DRAFT-S-00002-2", "DRAFT-S-00003-2"] and practice.emails() == []
    assert report.line().startswith("0 invoice(s) created, 3 draft(s) for review, 3 PDF(s), 0 email(s) sent")
    said = "\n".join(report.for_a_person())
    assert "draft DRAFT-S-00001 made again as DRAFT-S-00001-2: its sessions, prices or discounts changed" in said
    assert "draft DRAFT-S-00002 made again as DRAFT-S-00002-2: its amounts were changed by hand" in said
    assert "set the new draft's Status to Finalized again" in said
    assert "DRAFT-S-00003 " not in said  # dropped by the admin: nothing to tell them
    invoices = by(practice.rows("Invoices"), "Invoice No")
    assert [invoices[k]["Status"] for k in ("DRAFT-S-00001", "DRAFT-S-00002", "DRAFT-S-00003")] == ["Void"] * 3
    assert Decimal(str(invoices["DRAFT-S-00001-2"]["Total"])) == Decimal("130")
    assert by(practice.rows("Sessions"), "Session ID")["S-00001"]["Problem"] is None

    for key in ("DRAFT-S-00001-2", "DRAFT-S-00002-2", "DRAFT-S-00003-2"):
        edit(practice, "Invoices", key, "Status", "Finalized")
    assert practice.run().created == ["INV-2026-0001", "INV-2026-0002", "INV-2026-0003"]
    invoices = by(practice.rows("Invoices"), "Invoice No")
    for number in ("INV-2026-0001", "INV-2026-0002", "INV-2026-0003"):
        lines = [l for l in practice.rows("Lines") if l["Invoice No"] == number]
        assert len(lines) == 1, number  # never the dropped draft's line beside its own
        line, inv = lines[0], invoices[number]
        assert Decimal(str(line["Quantity"])) * Decimal(str(line["Unit Price"])) == Decimal(str(line["Net"])) \
            == Decimal(str(inv["Net"])), number
    assert len(practice.emails()) == 3
    assert app.audit_findings(practice.config) == []


def test_a_drafts_row_deleted_by_hand_is_made_again_under_a_key_its_lines_never_had(practice):
    """Deleting a draft's Invoices row leaves its Lines rows; the draft made again for its session
    must not take them over (its invoice would list every line twice)."""
    practice.configure("finalize: auto", "finalize: review")
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), extras="GEL"))
    practice.run()
    wb = openpyxl.load_workbook(practice.workbook)
    wb["Invoices"].delete_rows(2)
    wb.save(practice.workbook)
    assert practice.run().created == ["DRAFT-S-00001-2"]
    edit(practice, "Invoices", "DRAFT-S-00001-2", "Status", "Finalized")
    assert practice.run().created == ["INV-2026-0001"]
    lines = [l for l in practice.rows("Lines") if l["Invoice No"] == "INV-2026-0001"]
    net = by(practice.rows("Invoices"), "Invoice No")["INV-2026-0001"]["Net"]
    assert len(lines) == 2 and sum(Decimal(str(l["Net"])) for l in lines) == Decimal(str(net))
    assert app.audit_findings(practice.config) == []


def test_void_issues_a_credit_note_and_rebills_the_corrected_session(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()
    edit(practice, "Sessions", "S-00001", "Quantity", 2)  # a mistake found after sending
    practice.run()
    assert "changed after it was invoiced" in by(practice.rows("Sessions"), "Session ID")["S-00001"]["Problem"]

    edit(practice, "Invoices", "INV-2026-0001", "Status", "Void")
    report = practice.run()
    assert report.created == ["INV-2026-0002", "CN-2026-0001"]
    invoices = by(practice.rows("Invoices"), "Invoice No")
    assert invoices["INV-2026-0001"]["Status"] == "Void"
    note = invoices["CN-2026-0001"]
    assert note["Sessions"] == "INV-2026-0001" and Decimal(str(note["Total"])) == Decimal("-65")
    assert Decimal(str(invoices["INV-2026-0002"]["Total"])) == Decimal("130")
    lines = [(l["Invoice No"], Decimal(str(l["Net"]))) for l in practice.rows("Lines")]
    assert ("CN-2026-0001", Decimal("-65")) in lines
    row = by(practice.rows("Sessions"), "Session ID")["S-00001"]
    assert row["Invoice No"] == "INV-2026-0002" and row["Problem"] is None
    subjects = sorted(m["Subject"] for m in practice.emails())
    assert any("CN-2026-0001" in s for s in subjects)
    assert "Credit note" in pdf_text(practice.folder / note["PDF"])
    assert practice.run().created == []  # one credit note, ever


def test_a_void_invoice_shows_nothing_open_and_its_money_as_the_client_s_credit(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()  # INV-2026-0001, 65.00
    practice.append("Payments", payment("P-00001", date(2026, 11, 10), invoice="INV-2026-0001", amount="40"))
    practice.run()
    edit(practice, "Sessions", "S-00001", "Status", "Cancelled")  # not billed again
    edit(practice, "Invoices", "INV-2026-0001", "Status", "Void")
    assert practice.run().created == ["CN-2026-0001"]

    def figures():
        row = by(practice.rows("Invoices"), "Invoice No")["INV-2026-0001"]
        client = by(practice.rows("Clients"), "Client ID")["C-001"]
        return ((Decimal(str(row["Paid"])), Decimal(str(row["Balance"])), row["Status"]),
                (Decimal(str(client["Balance"])), Decimal(str(client["Credit"]))))
    assert figures() == ((Decimal("40"), Decimal("0"), "Void"), (Decimal("0"), Decimal("40")))
    dashboard = by(practice.rows("Dashboard"), "Item")["Open invoices (gross)"]
    assert (dashboard["Value"], dashboard["Count"]) == (0, 0)
    stored, _ = commands.statement(practice.worker(), "C-001", date(2026, 11, 1), date(2026, 11, 21), email=False)
    assert stored is not None and stored.path is not None
    text = " ".join(pdf_text(stored.path).split())
    assert "Credit on your account: 40.00 EUR" in text and "there is nothing to pay" in text
    assert app.audit_findings(practice.config) == []

    before = practice.workbook.read_bytes()
    practice.run()
    assert practice.workbook.read_bytes() == before  # sheetbill's own Balance 0 is not taken for an edit
    edit(practice, "Invoices", "INV-2026-0001", "Balance", 25)  # typed over by hand
    practice.run()
    assert figures() == ((Decimal("40"), Decimal("0"), "Void"), (Decimal("0"), Decimal("40")))
    log = [(r["Actor"], r["Field"], r["Before"], r["After"]) for r in practice.rows("Changelog")
           if r["Key"] == "INV-2026-0001" and r["Field"] == "Balance"]
    assert log[-3:] == [("sheetbill", "Balance", "25", "0"), ("Maria Admin", "Balance", "0", "25"),
                        ("sheetbill", "Balance", "25", "0")]


def test_edits_to_a_finalized_invoice_are_recorded_and_undone(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), extras="GEL"))
    practice.run()
    edit(practice, "Invoices", "INV-2026-0001", "Total", 1)
    wb = openpyxl.load_workbook(practice.workbook)
    wb["Lines"].delete_rows(3)  # the GEL line
    wb.save(practice.workbook)
    practice.run()
    invoice = by(practice.rows("Invoices"), "Invoice No")["INV-2026-0001"]
    assert Decimal(str(invoice["Total"])) == Decimal("73.21")  # 65.00 + 6.90 + 19% of 6.90
    assert sorted(l["Code"] for l in practice.rows("Lines")) == ["GEL", "LD60"]
    log = practice.rows("Changelog")
    edits = [r for r in log if r["Action"] == "edit" and r["Tab"] == "Invoices"]
    assert edits and edits[0]["Actor"] == "Maria Admin" and edits[0]["Field"] == "Total"
    assert (edits[0]["Before"], edits[0]["After"]) == ("73.21", "1")
    assert any(r["Action"] == "delete" and r["Tab"] == "Lines" for r in log)
    restores = [r for r in log if r["Action"] == "restore"]
    assert {r["Tab"] for r in restores} == {"Invoices", "Lines"}
    assert practice.run().created == [] and practice.emails().__len__() == 1


def test_a_restored_cell_holds_a_number_or_a_date_again_not_its_text(practice):
    """What is undone is written as the column holds it: a Total typed over comes back as a
    number (a SUM of the column counts it, Excel shows no "number stored as text"), a deleted
    line comes back with its date a date and its amounts numbers; the next cycle sees no edit."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), extras="GEL"))
    practice.run()
    lines_before = practice.rows("Lines")
    edit(practice, "Invoices", "INV-2026-0001", "Total", "1")
    wb = openpyxl.load_workbook(practice.workbook)
    wb["Lines"].delete_rows(3)  # the GEL line
    wb.save(practice.workbook)
    practice.run()
    invoice = by(practice.rows("Invoices"), "Invoice No")["INV-2026-0001"]
    assert invoice["Total"] == 73.21 and practice.cell_types("Invoices", "Total") == ["n"]
    gel = by(practice.rows("Lines"), "Code")["GEL"]
    was = by(lines_before, "Code")["GEL"]
    assert gel == was  # the same values, each of the same type (a datetime, ints and floats, text)
    assert practice.cell_types("Lines", "Date") == ["d", "d"]  # openpyxl's type of a date cell
    for header in ("Quantity", "Unit Price", "Net", "Tax", "Total"):
        assert practice.cell_types("Lines", header) == ["n", "n"], header
    before = practice.workbook.read_bytes()
    practice.run()
    assert practice.workbook.read_bytes() == before  # nothing seen as edited, nothing restored again


def test_every_human_edit_is_in_the_changelog(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()
    edit(practice, "Sessions", "S-00001", "Notes", "client asked for a receipt")
    edit(practice, "Clients", "C-002", "Email", "jonas.b@example.com", editor="Tom")
    practice.run()
    log = [r for r in practice.rows("Changelog") if r["Action"] == "edit"]
    assert {(r["Tab"], r["Key"], r["Field"], r["Before"], r["After"]) for r in log} == {
        ("Sessions", "S-00001", "Notes", None, "client asked for a receipt"),
        ("Clients", "C-002", "Email", "jonas@example.com", "jonas.b@example.com")}
    before = practice.workbook.read_bytes()
    practice.run()
    assert practice.workbook.read_bytes() == before  # nothing new to record


def test_paid_invoices_are_archived_after_the_configured_age(practice, clock):
    from datetime import timedelta

    practice.configure("archive_after_days: 0", "archive_after_days: 90")
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)), session("S-00002", date(2026, 11, 3)))
    practice.run(clock)
    practice.append("Payments", ["P-00001", date(2026, 11, 21), None, "INV-2026-0001", Decimal("65"), "Card"])
    practice.run(clock)
    clock.current += timedelta(days=91)
    practice.run(clock)
    statuses = {i["Invoice No"]: i["Status"] for i in practice.rows("Invoices")}
    assert statuses == {"INV-2026-0001": "Archived", "INV-2026-0002": "Finalized"}  # unpaid stays open
    assert by(practice.rows("Sessions"), "Session ID")["S-00001"]["Billing Status"] == "Archived"


def test_a_status_is_read_as_the_admin_types_it_and_one_naming_no_status_is_said(practice):
    practice.configure("finalize: auto", "finalize: review")
    practice.append("Sessions", *(session(f"S-0000{n}", date(2026, 11, n)) for n in (1, 2, 3)))
    practice.run()
    edit(practice, "Invoices", "DRAFT-S-00001", "Status", "finalized")
    edit(practice, "Invoices", "DRAFT-S-00002", "Status", "Finalised")
    edit(practice, "Invoices", "DRAFT-S-00003", "Status", "Final")
    report = practice.run()
    assert report.created == ["INV-2026-0001", "INV-2026-0002"]
    assert len(practice.emails()) == 2
    problem, = [p for p in report.problems if p.tab == "invoices"]
    assert (problem.key, problem.message) == (
        "DRAFT-S-00003", "Status 'Final' is not an invoice status (use Draft, Finalized, Void or Archived)")
    invoices = [i["Invoice No"] for i in practice.rows("Invoices")]
    assert invoices.count("DRAFT-S-00003") == 1 and not any(i.startswith("DRAFT-S-00003-") for i in invoices)

    edit(practice, "Invoices", "INV-2026-0001", "Status", " void ")
    report = practice.run()
    assert [i["Invoice No"] for i in practice.rows("Invoices")][-2:] == ["CN-2026-0001", "DRAFT-S-00001"]


def _overtype(practice, old: str, new: str) -> None:
    wb = openpyxl.load_workbook(practice.workbook)
    for r in wb["Invoices"].iter_rows(min_row=2):
        if r[0].value == old:
            r[0].value = new
    wb.save(practice.workbook)


@pytest.mark.parametrize("old, new", [("INV-2026-0003", "INV-2026-0099"),  # the newest, to a new number
                                      ("INV-2026-0001", "INV-2026-0002")])  # an older one, to one that exists
def test_an_overtyped_invoice_number_is_set_back(practice, old, new):
    """A finalized invoice's number typed over is set back in its own row, as an edited Total is:
    no second copy of it, no phantom invoice, the next invoice numbered on from the series."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session("S-00002", date(2026, 11, 4)),
                    session("S-00003", date(2026, 11, 5), client="C-002"))
    practice.run()
    balances = {c["Client ID"]: c["Balance"] for c in practice.rows("Clients")}
    _overtype(practice, old, new)
    practice.append("Sessions", session("S-00004", date(2026, 11, 6), client="C-002"))
    report = practice.run()
    assert f"restored {old} Invoice No: {new} back to {old}" in report.for_a_person()
    assert report.created == ["INV-2026-0004"]
    numbers = [i["Invoice No"] for i in practice.rows("Invoices")]
    assert numbers == ["INV-2026-0001", "INV-2026-0002", "INV-2026-0003", "INV-2026-0004"]
    invoices = by(practice.rows("Invoices"), "Invoice No")
    assert [invoices[n]["Sessions"] for n in numbers] == ["S-00001", "S-00002", "S-00003", "S-00004"]
    after = {c["Client ID"]: c["Balance"] for c in practice.rows("Clients")}
    assert after["C-001"] == balances["C-001"]
    assert Decimal(str(after["C-002"])) == Decimal(str(balances["C-002"])) * 2  # one more session, same price
    assert app.audit_findings(practice.config) == []
    assert not any("restored" in line for line in practice.run().for_a_person())


def test_a_price_valid_from_the_past_says_once_which_issued_invoices_keep_their_old_price(practice, clock):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)), session("S-00002", date(2026, 11, 10)),
                    session("S-00003", date(2026, 10, 20)))
    practice.run(clock)
    practice.append("Services", ["LD60", "Manual lymph drainage, 60 min", Decimal("70.00"), 0, "session",
                                 date(2026, 11, 1), True])
    report = practice.run(clock)
    assert report.for_a_person() == [
        "note: Services row 8 (LD60 at 70.00 from 2026-11-01): 2 invoice(s) already issued for sessions from "
        "2026-11-01 keep their old price (INV-2026-0002, INV-2026-0003), as an issued invoice is never changed. To "
        "bill one at the new price, set its Status to Void: a credit note is issued and its sessions are billed "
        "again"]
    assert {r["Invoice No"]: r["Total"] for r in practice.rows("Invoices")} == \
        {"INV-2026-0001": 65, "INV-2026-0002": 65, "INV-2026-0003": 65}  # issued: as sent
    assert practice.run(clock).for_a_person() == []  # told once
