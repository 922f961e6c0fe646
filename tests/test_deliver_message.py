"""deliver.message: the invoice email, parsed back with the `email` package."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sheetbill.deliver.errors import PermanentFailure
from sheetbill.deliver.message import invoice_message, message_id_for
from sheetbill.render.errors import RenderError
from sheetbill.render.sample import sample_credit_note, sample_document

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "email"
SUBJECT, BODY = TEMPLATES / "invoice_subject.txt", TEMPLATES / "invoice_body.txt"
PDF = b"%PDF-1.7 an invoice\n%%EOF\n"
SENDER = "billing@lindenhof-physio.example"
WRITTEN = datetime(2026, 12, 22, 16, 5, 9, tzinfo=ZoneInfo("Europe/Berlin"))
WORKBOOK = "5f1e0c2d9a7b3c48"


def build(doc=None, **options):  # noqa: ANN001, ANN201 - test helper
    return invoice_message(doc or sample_document(), PDF, "INV-2026-0042.pdf", SENDER,
                           SUBJECT, BODY, **{"written": WRITTEN, "workbook": WORKBOOK, **options})


def parsed(message) -> email.message.EmailMessage:  # noqa: ANN001
    return email.message_from_bytes(message.as_bytes(), policy=email.policy.default)


def test_headers_body_and_attachment():
    message = parsed(build(reply_to="office@lindenhof-physio.example",
                           bcc="archive@lindenhof-physio.example"))
    assert message["From"] == "Lindenhof Physiotherapy <billing@lindenhof-physio.example>"
    assert message["To"].addresses[0].addr_spec == "m.schoenberg@example.org"
    assert message["To"].addresses[0].display_name == "Dr. Margarethe Schönberg-Castellanos"
    assert message["Reply-To"] == "office@lindenhof-physio.example"
    assert message["Bcc"] == "archive@lindenhof-physio.example"
    assert message["Subject"] == "Invoice INV-2026-0042 from Lindenhof Physiotherapy"
    assert message["Date"] == "Tue, 22 Dec 2026 16:05:09 +0100"  # when written, not the invoice's day
    assert message["Message-ID"] == message_id_for("INV-2026-0042", "5e0c1f2a", SENDER, WORKBOOK)
    body = message.get_body(("plain",)).get_content()
    assert body.startswith("Dear Dr. Margarethe Schönberg-Castellanos,\n")
    assert "invoice INV-2026-0042 of 21 Nov 2026 for 199.98 EUR" in body
    assert "248.48 EUR is now due" in body and "IBAN DE89 3704 0044 0532 0130 00" in body
    assert body.rstrip().endswith("lindenhof-physio.example")
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "INV-2026-0042.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF


def test_credit_note_email_from_its_own_templates():
    message = parsed(build(sample_credit_note()))
    assert message["Subject"] == ("Credit note CN-2026-0003 from Lindenhof Physiotherapy "
                                  "(cancels invoice INV-2026-0042)")
    assert message["Date"] == "Tue, 22 Dec 2026 16:05:09 +0100"
    assert message["Message-ID"] == message_id_for("CN-2026-0003", "9a1d7c33", SENDER, WORKBOOK)
    body = message.get_body().get_content()
    assert "Please find attached credit note CN-2026-0003 of 28 Nov 2026." in body
    assert "It cancels invoice INV-2026-0042 (199.98 EUR)." in body
    assert "There is nothing to pay." in body
    for absent in ("Bank details", "now due", "Please pay", "-199.98"):
        assert absent not in body
    assert body.rstrip().endswith("lindenhof-physio.example")


def test_credit_note_templates_can_be_given(tmp_path):
    subject, body = tmp_path / "s.txt", tmp_path / "b.txt"
    subject.write_text("Gutschrift {{ number }}")
    body.write_text("{{ credited }}")
    message = invoice_message(sample_credit_note(), PDF, "x.pdf", SENDER, SUBJECT, BODY,
                              credit_note_templates=(subject, body), written=WRITTEN, workbook=WORKBOOK)
    assert message["Subject"] == "Gutschrift CN-2026-0003"
    assert parsed(message).get_body().get_content().strip() == "199.98 EUR"
    invoice = invoice_message(sample_document(), PDF, "x.pdf", SENDER, SUBJECT, BODY,
                              credit_note_templates=(subject, body), written=WRITTEN, workbook=WORKBOOK)
    assert invoice["Subject"] == "Invoice INV-2026-0042 from Lindenhof Physiotherapy"


def test_same_document_same_bytes():
    assert build().as_bytes() == build().as_bytes()


def test_date_is_the_moment_written_in_its_time_zone():
    summer = datetime(2026, 7, 1, 23, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    assert parsed(build(written=summer))["Date"] == "Wed, 01 Jul 2026 23:30:00 +0200"
    with pytest.raises(ValueError, match="time zone"):
        build(written=datetime(2026, 7, 1, 23, 30))


def test_message_id_is_the_workbooks_own_and_not_the_clocks():
    ids = {message_id_for("INV-2026-0001", "aaa", SENDER, workbook) for workbook in ("a1", "b2", "")}
    assert len(ids) == 3  # a trial workbook and the real one never share an id
    assert build(written=WRITTEN)["Message-ID"] == build(written=datetime(2027, 1, 5, 8, tzinfo=ZoneInfo("UTC")))[
        "Message-ID"]
    assert build()["Message-ID"] != build(workbook="another")["Message-ID"]
    # without a workbook id, the id older versions gave (an interrupted send they marked is looked up by it)
    assert message_id_for("INV-2026-0001", "b1", SENDER) == "<inv-2026-0001.08b99ccaae67@lindenhof-physio.example>"


def test_message_id():
    first = message_id_for("INV-2026-0001", "aaa", "Practice <billing@Practice.Example>")
    assert first.startswith("<inv-2026-0001.") and first.endswith("@practice.example>")
    assert first == message_id_for("INV-2026-0001", "aaa", "billing@practice.example")
    assert first != message_id_for("INV-2026-0001", "bbb", "billing@practice.example")
    assert message_id_for("Rechnung/7 Müller", "x", "a@b.example").startswith(
        "<rechnung-7-m-ller.")
    assert message_id_for("", "x", "a@b.example").startswith("<invoice.")
    with pytest.raises(ValueError, match="not an email address"):
        message_id_for("INV-1", "x", "Practice")


def test_cell_text_is_data_and_never_breaks_headers():
    doc = sample_document()
    doc = replace(doc, client=replace(doc.client, name="{{ 7*7 }}\nBcc: victim@example.org"))
    message = parsed(build(doc))
    assert message["Subject"] == "Invoice INV-2026-0042 from Lindenhof Physiotherapy"
    assert message["To"].addresses[0].display_name == "{{ 7*7 }} Bcc: victim@example.org"
    assert message["Bcc"] is None
    assert "Dear {{ 7*7 }}\nBcc: victim@example.org," in message.get_body().get_content()


def test_subject_is_one_line(tmp_path):
    subject = tmp_path / "subject.txt"
    subject.write_text("Invoice\n{{ number }}\n\n{{ client.name }}\n")
    doc = sample_document()
    doc = replace(doc, client=replace(doc.client, name="A\nB"))
    message = invoice_message(doc, PDF, "x.pdf", SENDER, subject, BODY, written=WRITTEN, workbook=WORKBOOK)
    assert message["Subject"] == "Invoice INV-2026-0042 A B"


def test_several_addresses_in_the_email_cell():
    doc = sample_document()
    doc = replace(doc, client=replace(doc.client, email="a@example.org; b@example.org"))
    assert [a.addr_spec for a in parsed(build(doc))["To"].addresses] == \
        ["a@example.org", "b@example.org"]


@pytest.mark.parametrize("cell", ["", "  ", "not an address", "a@localhost", "a@b.org, nope"])
def test_unusable_client_address_is_a_permanent_failure(cell):
    doc = sample_document()
    doc = replace(doc, client=replace(doc.client, email=cell))
    with pytest.raises(PermanentFailure, match="C-0042"):
        build(doc)


def test_broken_email_template(tmp_path):
    body = tmp_path / "body.txt"
    body.write_text("Dear {{ client.name }},\n{{ amount_due | nosuchfilter }}\n")
    with pytest.raises(RenderError, match=r"body\.txt, line 2"):
        invoice_message(sample_document(), PDF, "x.pdf", SENDER, SUBJECT, body, written=WRITTEN,
                            workbook=WORKBOOK)


def test_a_german_receipt_email_reads_back_with_single_spaces_and_the_method_in_german():
    from sheetbill.deliver.message import receipt_message
    from sheetbill.render.sample import sample_receipt

    doc = sample_receipt()
    doc = replace(doc, client=replace(doc.client, language="de_DE"))
    message = parsed(receipt_message(doc, PDF, "RCPT-2026-0017.pdf", SENDER, TEMPLATES / "receipt_subject.txt",
                                     TEMPLATES / "receipt_body.txt", written=WRITTEN, workbook=WORKBOOK))
    assert message["Subject"] == "Quittung RCPT-2026-0017 von Lindenhof Physiotherapy: vielen Dank für Ihre Zahlung"
    assert "erhalten am 03.12.2026 (Überweisung)" in message.get_body(("plain",)).get_content()
