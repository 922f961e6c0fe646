"""What the emails of a real practice say about themselves: when they were
written, and a Message-ID that is the workbook's own."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import openpyxl

from sheetbill.placeholders import fill_example
from sheetbill import app
from sheetbill.deliver.message import message_id_for

from .conftest import CLIENTS, FixedClock, Practice, session
from .test_e2e_crash import kill_run

SENDER = "billing@lindenhof-physio.example"


def state_of(practice: Practice) -> dict[str, str]:
    return dict(app.book_for(practice.config).read().state)


def another_practice(tmp_path, name: str) -> Practice:
    workbook, config_path = app.init_practice(tmp_path / name)
    config_path.write_text(fill_example(config_path.read_text(encoding="utf-8")), encoding="utf-8")
    p = Practice(tmp_path / name, workbook, config_path)
    p.append("Clients", *CLIENTS)
    return p


def test_an_email_is_dated_when_it_is_written_in_the_practices_time_zone(practice):
    practice.append("Sessions", session("S-00001", date(2026, 10, 20)))
    practice.run()  # the clock says 2026-11-21 09:30 UTC; the practice is in Berlin
    practice.append("Payments", ["P-00001", date(2026, 10, 22), None, "INV-2026-0001", Decimal("65"), "Card"])
    later = FixedClock(datetime(2026, 11, 23, 17, 45, 12, tzinfo=timezone.utc))
    practice.run(later)
    invoice, receipt = practice.emails() if "INV" in practice.emails()[0]["Subject"] else practice.emails()[::-1]
    assert invoice["Date"] == "Sat, 21 Nov 2026 10:30:00 +0100"  # not the session's day, not noon UTC
    assert receipt["Date"] == "Mon, 23 Nov 2026 18:45:12 +0100"  # not the payment's day a month ago


def test_two_workbooks_sending_from_one_address_never_share_a_message_id(tmp_path):
    trial, real = another_practice(tmp_path, "trial"), another_practice(tmp_path, "real")
    for p in (trial, real):
        p.append("Sessions", session("S-00001", date(2026, 11, 3)))
        p.run()
        p.append("Payments", ["P-00001", date(2026, 11, 20), None, "INV-2026-0001", Decimal("65"), "Card"])
        p.run()
    trial_ids = {m["Message-ID"] for m in trial.emails()}
    real_ids = {m["Message-ID"] for m in real.emails()}
    assert len(trial_ids) == len(real_ids) == 2  # the invoice and the receipt
    assert not trial_ids & real_ids
    assert state_of(trial)["workbook_id"] != state_of(real)["workbook_id"]


def test_a_mailbox_shared_with_a_trial_workbook_does_not_swallow_the_real_first_invoice(tmp_path):
    """Where an interrupted send is looked up by its Message-ID (the outbox here,
    Gmail's Sent folder in practice), the trial workbook's INV-2026-0001 must
    not be taken for the real practice's."""
    trial, real = another_practice(tmp_path, "trial"), another_practice(tmp_path, "real")
    trial.configure("outbox: outbox", f"outbox: {real.folder / 'outbox'}")  # one mailbox
    trial.append("Sessions", session("S-00001", date(2026, 11, 3)))
    trial.run()
    real.append("Sessions", session("S-00001", date(2026, 11, 3)))
    kill_run(real, "send", 1)  # marked as sending, then the worker died before it went
    assert len(real.emails()) == 1  # the trial's
    assert real.run().sent == ["INV-2026-0001"]
    mails = real.emails()
    assert len(mails) == 2 and all("INV-2026-0001" in m["Subject"] for m in mails)
    invoice, = real.rows("Invoices")
    assert invoice["Message ID"] in {m["Message-ID"] for m in mails} and invoice["Sent At"]


def test_the_workbooks_id_is_rebuilt_from_the_changelog_when_sheetbill_is_lost(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()
    made = state_of(practice)["workbook_id"]
    assert [c["After"] for c in practice.rows("Changelog") if c["Action"] == "workbook id"] == [made]
    wb = openpyxl.load_workbook(practice.workbook)
    wb.remove(wb["_sheetbill"])  # someone deleted the hidden tab
    wb.save(practice.workbook)
    practice.append("Sessions", session("S-00002", date(2026, 11, 4)))
    assert practice.run().created == ["INV-2026-0002"]
    assert state_of(practice)["workbook_id"] == made
    second = {i["Invoice No"]: i for i in practice.rows("Invoices")}["INV-2026-0002"]
    assert second["Message ID"] == message_id_for("INV-2026-0002", second["Checksum"], SENDER, made)
    assert str({i["Invoice No"]: i for i in practice.rows("Invoices")}["INV-2026-0001"]["Total"]) == "65"
    assert [c["After"] for c in practice.rows("Changelog") if c["Action"] == "workbook id"] == [made]


def test_an_interrupted_send_is_looked_up_by_the_id_it_was_marked_with(practice):
    """A workbook marked by an older version (ids without the workbook's own)."""
    from sheetbill.deliver.message import receipt_message_id

    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session("S-00002", date(2026, 11, 4)))
    kill_run(practice, "sent", 1)  # the first invoice went out, the second is marked only
    old_style = message_id_for("INV-2026-0001", practice.rows("Invoices")[0]["Checksum"], SENDER)
    outbox = practice.folder / "outbox"
    sent, = outbox.glob("*.eml")
    sent.rename(outbox / f"{old_style.strip('<>')}.eml")  # as an older version would have named it
    wb = openpyxl.load_workbook(practice.workbook)
    ws = wb["Invoices"]
    column = [c.value for c in ws[1]].index("Message ID") + 1
    ws.cell(row=2, column=column).value = old_style
    wb.save(practice.workbook)
    report = practice.run()
    assert report.sent == ["INV-2026-0001", "INV-2026-0002"] and report.recorded == ["INV-2026-0001"]
    assert "2 email(s) sent (1 of them by the run that stopped, recorded now)" in report.line()
    assert len(practice.emails()) == 2
    first, _ = practice.rows("Invoices")
    assert first["Message ID"] == old_style and first["Sent At"]

    # a receipt marked the old way (no id in the mark) and already in the mailbox
    practice.append("Payments", ["P-00001", date(2026, 11, 20), None, "INV-2026-0001", Decimal("65"), "Card"])
    kill_run(practice, "send", 1)
    payment, = practice.rows("Payments")
    assert payment["Receipt Sent At"].startswith("sending <receipt.rcpt-2026-0001.")
    old_receipt = receipt_message_id("RCPT-2026-0001", SENDER)
    wb = openpyxl.load_workbook(practice.workbook)
    ws = wb["Payments"]
    column = [c.value for c in ws[1]].index("Receipt Sent At") + 1
    ws.cell(row=2, column=column).value = "sending (if this stays, check the Sent folder)"
    wb.save(practice.workbook)
    (outbox / f"{old_receipt.strip('<>')}.eml").write_bytes(b"Message-ID: " + old_receipt.encode() + b"\n\nx\n")
    assert practice.run().sent == ["RCPT-2026-0001"]
    assert len(list(outbox.glob("*.eml"))) == 3  # recorded, not sent again under a new id


def test_a_reminder_marked_by_an_older_version_is_looked_up_by_its_old_id(practice):
    from sheetbill.deliver.message import reminder_message_id

    practice.append("Sessions", session("S-00001", date(2026, 10, 20)))
    practice.run(FixedClock(datetime(2026, 10, 21, 9, tzinfo=timezone.utc)))
    kill_run(practice, "send", 1)  # 21 Nov: the first reminder is marked, then the worker died
    assert state_of(practice)["reminder/INV-2026-0001"].startswith("1 sending <reminder-1.inv-2026-0001.")
    wb = openpyxl.load_workbook(practice.workbook)
    for key, value in wb["_sheetbill"].iter_rows(min_row=2):
        if key.value == "reminder/INV-2026-0001":
            value.value = "1 sending"  # as an older version marked it
    wb.save(practice.workbook)
    old = reminder_message_id("INV-2026-0001", 1, SENDER)
    outbox = practice.folder / "outbox"
    (outbox / f"{old.strip('<>')}.eml").write_bytes(b"Message-ID: " + old.encode() + b"\n\nx\n")
    assert practice.run().sent == ["reminder 1 of INV-2026-0001"]  # recorded
    assert len(list(outbox.glob("*.eml"))) == 2  # the invoice and that reminder: not sent again
    assert state_of(practice)["reminder/INV-2026-0001"] == "1"


def test_a_workbook_from_before_workbook_ids_gets_one_even_when_its_first_run_restores_an_edit(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()
    wb = openpyxl.load_workbook(practice.workbook)
    ws = wb["_sheetbill"]
    row, = [r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == "workbook_id"]
    ws.delete_rows(row)  # as a workbook an older version kept
    wb.save(practice.workbook)
    practice.set("Invoices", "INV-2026-0001", "Total", 1)  # undone by the next run, before it plans
    practice.append("Sessions", session("S-00002", date(2026, 11, 4)))
    assert practice.run().created == ["INV-2026-0002"]
    made = state_of(practice)["workbook_id"]
    second = {i["Invoice No"]: i for i in practice.rows("Invoices")}["INV-2026-0002"]
    assert second["Message ID"] == message_id_for("INV-2026-0002", second["Checksum"], SENDER, made)
    assert str({i["Invoice No"]: i for i in practice.rows("Invoices")}["INV-2026-0001"]["Total"]) == "65"


def test_a_reminder_attaches_the_invoice_as_issued_to_the_name_and_address_it_went_to(practice, tmp_path):
    """Anna moves and marries after her invoice went: the reminder is written to her as she is
    now, and the invoice it attaches again is the one she got, to her old name and address."""
    from .conftest import set_cell
    from .test_e2e_excel import pdf_text

    practice.append("Sessions", session("S-00001", date(2026, 10, 20)))
    practice.run(FixedClock(datetime(2026, 10, 21, 9, tzinfo=timezone.utc)))  # INV-2026-0001, due 4 Nov
    wb = openpyxl.load_workbook(practice.workbook)
    set_cell(wb, "Clients", "C-001", "Name", "Anna Meier-Schulz")
    set_cell(wb, "Clients", "C-001", "Address", "Seestraße 40\n14109 Berlin")
    wb.save(practice.workbook)
    practice.run(FixedClock(datetime(2026, 10, 22, 9, tzinfo=timezone.utc)))
    assert practice.run().sent == ["reminder 1 of INV-2026-0001"]  # 21 Nov
    [mail] = [m for m in practice.emails() if "Reminder" in str(m["Subject"])]
    assert mail.get_body(("plain",)).get_content().startswith("Dear Anna Meier-Schulz,")
    [attached] = [part for part in mail.iter_attachments()]
    copy = tmp_path / attached.get_filename()
    copy.write_bytes(attached.get_content())
    text = pdf_text(copy)
    assert "Anna Meier" in text and "Gartenweg 3" in text and "10115 Berlin" in text
    assert "Meier-Schulz" not in text and "Seestraße" not in text
