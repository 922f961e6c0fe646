"""deliver.message: receipt, statement and reminder emails, parsed back with
the `email` package; their Message-IDs stable and distinct per kind and level."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sheetbill.deliver.message import (
    invoice_message, message_id_for, receipt_message, receipt_message_id, reminder_message,
    reminder_message_id, statement_message, statement_message_id)
from sheetbill.deliver.outbox import OutboxTransport
from sheetbill.render.sample import (sample_credit_note, sample_document, sample_receipt,
                                     sample_statement)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "email"
PDF = b"%PDF-1.7 a document\n%%EOF\n"
SENDER = "billing@lindenhof-physio.example"
TODAY = date(2026, 12, 22)
WRITTEN = datetime(2026, 12, 22, 16, 5, 9, tzinfo=ZoneInfo("Europe/Berlin"))
WORKBOOK = "5f1e0c2d9a7b3c48"
NOW = {"written": WRITTEN, "workbook": WORKBOOK}
NASTY = "{{ 7*7 }} {% if true %}x{% endif %} <b>"


def templates(kind: str) -> tuple[Path, Path]:
    return TEMPLATES / f"{kind}_subject.txt", TEMPLATES / f"{kind}_body.txt"


def receipt(doc=None):  # noqa: ANN001, ANN201 - test helpers
    return receipt_message(doc or sample_receipt(), PDF, "RCPT-2026-0017.pdf", SENDER,
                           *templates("receipt"), **NOW)


def statement(doc=None):  # noqa: ANN001, ANN201
    return statement_message(doc or sample_statement(), PDF, "statement.pdf", SENDER,
                             *templates("statement"), **NOW)


def reminder(level: int, doc=None, days: int = 17):  # noqa: ANN001, ANN201
    return reminder_message(doc or sample_document(), PDF, "INV-2026-0042.pdf", level, days,
                            TODAY, SENDER, *templates("reminder"), **NOW)


def parsed(message) -> email.message.EmailMessage:  # noqa: ANN001
    return email.message_from_bytes(message.as_bytes(), policy=email.policy.default)


def body_of(message) -> str:  # noqa: ANN001
    return parsed(message).get_body(("plain",)).get_content()


def attachment_of(message):  # noqa: ANN001, ANN201
    (attachment,) = parsed(message).iter_attachments()
    return attachment


def test_receipt_email():
    message = parsed(receipt())
    assert message["From"] == "Lindenhof Physiotherapy <billing@lindenhof-physio.example>"
    assert message["To"].addresses[0].addr_spec == "m.schoenberg@example.org"
    assert message["Subject"] == \
        "Receipt RCPT-2026-0017 from Lindenhof Physiotherapy: thank you for your payment"
    assert message["Date"] == "Tue, 22 Dec 2026 16:05:09 +0100"  # when written, not the payment's day
    assert message["Message-ID"] == receipt_message_id("RCPT-2026-0017", SENDER, WORKBOOK, "P-0093")
    assert message["X-Sheetbill-Document"] == "receipt RCPT-2026-0017 of payment P-0093"
    body = body_of(receipt())
    for expected in ["Thank you for your payment of 300.00 EUR received on 3 Dec 2026 "
                     "(Bank transfer).", "- invoice INV-2026-0038: 48.50 EUR",
                     "- invoice INV-2026-0042: 199.98 EUR",
                     "51.52 EUR is kept as credit on your account",
                     "nothing was open on your invoices on 3 Dec 2026", "Your receipt RCPT-2026-0017 is attached."]:
        assert expected in body
    assert "Your credit on account is now" not in body  # it is this payment's credit
    attachment = attachment_of(receipt())
    assert (attachment.get_filename(), attachment.get_content()) == ("RCPT-2026-0017.pdf", PDF)


def test_receipt_of_a_part_payment_with_earlier_credit():
    doc = replace(sample_receipt(Decimal("150.00")), credit=Decimal("3.70"))
    body = body_of(receipt(doc))
    assert "After this payment, 98.48 EUR was still open on your invoices on 3 Dec 2026." in body
    assert "Your credit on account is now 3.70 EUR." in body
    assert "kept as credit" not in body


def test_statement_email():
    message = parsed(statement())
    assert message["Subject"] == \
        "Statement of account 1 Oct 2026 – 30 Nov 2026 from Lindenhof Physiotherapy"
    assert message["Date"] == "Tue, 22 Dec 2026 16:05:09 +0100"
    assert message["Message-ID"] == statement_message_id(
        "C-0042", date(2026, 10, 1), date(2026, 11, 30), SENDER, WORKBOOK)
    body = body_of(statement())
    for expected in ["your statement of account from 1 Oct 2026 to 30 Nov 2026",
                     "Opening balance: 96.30 EUR", "Closing balance: 248.48 EUR",
                     "Credit on your account: 3.70 EUR", "The balance due is 244.78 EUR.",
                     "quoting the reference RF28 C004 2", "IBAN DE89 3704 0044 0532 0130 00"]:
        assert expected in body


@pytest.mark.parametrize("level, subject, sentence", [
    (1, "Reminder: invoice INV-2026-0042 from Lindenhof Physiotherapy",
     "This is a friendly reminder that invoice INV-2026-0042 of 21 Nov 2026 was due on "
     "5 Dec 2026, 17 days ago."),
    (2, "Second reminder: invoice INV-2026-0042 is 17 days overdue",
     "It is now 17 days overdue, and 199.98 EUR is still open."),
    (3, "Final reminder: invoice INV-2026-0042, 199.98 EUR overdue",
     "This is our final reminder about invoice INV-2026-0042"),
    (5, "Final reminder: invoice INV-2026-0042, 199.98 EUR overdue",
     "Please pay 199.98 EUR immediately, quoting RF73 INV2 0260 042."),
])
def test_reminder_email_by_level(level, subject, sentence):
    message = parsed(reminder(level))
    assert message["Subject"] == subject
    assert message["Date"] == "Tue, 22 Dec 2026 16:05:09 +0100"
    assert message["Message-ID"] == reminder_message_id("INV-2026-0042", level, SENDER, WORKBOOK)
    body = body_of(reminder(level))
    assert sentence in body and "The invoice is attached again" in body
    assert attachment_of(reminder(level)).get_content() == PDF


def test_reminder_open_balance_is_the_invoices_and_one_day_is_singular():
    doc = sample_document()
    doc = replace(doc, invoice=replace(doc.invoice, paid=Decimal("100.00"),
                                       balance=Decimal("99.98")), paid=Decimal("100.00"))
    assert parsed(reminder(2, doc, days=1))["Subject"] == \
        "Second reminder: invoice INV-2026-0042 is 1 day overdue"
    assert "1 day overdue, and 99.98 EUR is still open" in body_of(reminder(2, doc, days=1))


def test_reminder_level_below_one():
    with pytest.raises(ValueError, match="level"):
        reminder(0)


def test_same_document_same_bytes():
    for build in (receipt, statement, lambda: reminder(2)):
        assert build().as_bytes() == build().as_bytes()


def test_message_ids_are_stable_and_distinct_per_kind_and_level():
    ids = [message_id_for("INV-2026-0042", "5e0c1f2a", SENDER),
           receipt_message_id("INV-2026-0042", SENDER),
           receipt_message_id("RCPT-2026-0017", SENDER),
           statement_message_id("C-0042", date(2026, 10, 1), date(2026, 11, 30), SENDER),
           statement_message_id("C-0042", date(2026, 10, 1), date(2026, 10, 31), SENDER),
           statement_message_id("C-0043", date(2026, 10, 1), date(2026, 11, 30), SENDER),
           *(reminder_message_id("INV-2026-0042", level, SENDER) for level in (1, 2, 3)),
           reminder_message_id("INV-2026-0043", 1, SENDER)]
    assert len(set(ids)) == len(ids)
    assert all(i.endswith("@lindenhof-physio.example>") for i in ids)
    assert receipt_message_id("RCPT-2026-0017", f"Practice <{SENDER}>") == ids[2]
    assert ids[2].startswith("<receipt.rcpt-2026-0017.")
    assert ids[3].startswith("<statement.c-0042.2026-10-01.2026-11-30.")
    assert ids[7].startswith("<reminder-2.inv-2026-0042.")
    with pytest.raises(ValueError, match="not an email address"):
        receipt_message_id("RCPT-1", "Practice")


def test_all_kinds_land_side_by_side_in_the_outbox(tmp_path):
    outbox = OutboxTransport(tmp_path)
    messages = [invoice_message(sample_document(), PDF, "i.pdf", SENDER,
                                *templates("invoice"), **NOW),
                invoice_message(sample_credit_note(), PDF, "c.pdf", SENDER,
                                *templates("invoice"), **NOW),
                receipt(), statement(), reminder(1), reminder(2), reminder(3)]
    for message in messages:
        outbox.send(message)
        outbox.send(message)
    assert len(list(tmp_path.glob("*.eml"))) == len(messages)


def test_cell_text_is_data_and_never_breaks_headers():
    doc = sample_receipt()
    doc = replace(doc, client=replace(doc.client, name=f"{NASTY}\nBcc: victim@example.org"),
                  method=NASTY, reference=NASTY)
    message = parsed(receipt(doc))
    assert message["Bcc"] is None
    assert message["To"].addresses[0].display_name == f"{NASTY} Bcc: victim@example.org"
    body = body_of(receipt(doc))
    assert f"Dear {NASTY}\nBcc: victim@example.org," in body and f"({NASTY})" in body
    reminded = replace(sample_document(), client=doc.client)
    assert f"Dear {NASTY}" in body_of(reminder(3, reminded))


def _in(language: str, doc):  # noqa: ANN001, ANN202
    return replace(doc, client=replace(doc.client, language=language))


@pytest.mark.parametrize("language", ["", "de", "fr"])
@pytest.mark.parametrize("kind, reference, due", [
    ("invoice", "RF73INV20260042", "248"), ("reminder", "RF73INV20260042", "199"), ("statement", "RF28C0042", "244")])
def test_an_email_asks_for_one_reference_the_bank_import_matches(language, kind, reference, due):
    """What the client is asked to quote is said once, in the sentence asking for the amount due,
    and is what the bank import matches first (the invoice's or the client's RF reference), never
    a second, different reference."""
    from sheetbill.deliver.message import invoice_message
    from sheetbill.payments.reference import references_in

    if kind == "invoice":
        message = invoice_message(_in(language, sample_document()), PDF, "INV-2026-0042.pdf", SENDER,
                                  *templates("invoice"), **NOW)
    elif kind == "reminder":
        message = reminder(2, _in(language, sample_document()))
    else:
        doc = sample_statement()
        message = statement(replace(doc, client=replace(doc.client, language=language)))
    body = body_of(message)
    assert references_in(body) == [reference], body
    (line,) = [line for line in body.splitlines() if reference[:4] in line]  # printed once, in groups of four
    assert due in line, body


@pytest.mark.parametrize("first, second, same", [
    (("RCPT-2026-0007", "P-00008"), ("RCPT-2026-0007", "P-00008"), True),  # the same receipt, made again
    (("RCPT-2026-0007", "P-00008"), ("RCPT-2026-0007", "P-00010"), False),  # its number on another payment
    (("RCPT-2026-0007", "P-00008"), ("RCPT-2026-0008", "P-00008"), False),
])
def test_a_receipt_email_id_is_one_per_receipt_of_a_payment(first, second, same):
    ids = [receipt_message_id(no, SENDER, WORKBOOK, payment) for no, payment in (first, second)]
    assert (ids[0] == ids[1]) is same
