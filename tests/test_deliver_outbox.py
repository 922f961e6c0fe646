"""deliver.outbox: .eml files, parsed back with the `email` package."""

from __future__ import annotations

import email
import email.policy
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from sheetbill.deliver.errors import PermanentFailure, TransientFailure
from sheetbill.deliver.message import invoice_message
from sheetbill.deliver.outbox import OutboxTransport
from sheetbill.render.sample import sample_document

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "email"
PDF = b"%PDF-1.7 an invoice\n%%EOF\n"


def message():  # noqa: ANN201 - test helper
    return invoice_message(sample_document(), PDF, "INV-2026-0042.pdf",
                           "Lindenhof <billing@lindenhof-physio.example>",
                           TEMPLATES / "invoice_subject.txt", TEMPLATES / "invoice_body.txt",
                           written=datetime(2026, 11, 21, 9, 30, tzinfo=timezone.utc), workbook="w1")


def test_send_writes_one_eml_file(tmp_path):
    outbox = OutboxTransport(tmp_path / "outbox")
    msg = message()
    message_id = outbox.send(msg)
    assert message_id == msg["Message-ID"]
    (path,) = (tmp_path / "outbox").iterdir()
    assert path.name == message_id.strip("<>") + ".eml"
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert parsed["Message-ID"] == message_id
    assert parsed["To"].addresses[0].addr_spec == "m.schoenberg@example.org"
    assert parsed["Subject"] == "Invoice INV-2026-0042 from Lindenhof Physiotherapy"
    (attachment,) = parsed.iter_attachments()
    assert attachment.get_content() == PDF


def test_second_send_is_idempotent(tmp_path):
    outbox = OutboxTransport(tmp_path)
    message_id = outbox.send(message())
    path = tmp_path / OutboxTransport.file_name(message_id)
    os.utime(path, (1_000_000_000, 1_000_000_000))
    assert not outbox.already_sent("<other@lindenhof-physio.example>")
    assert outbox.already_sent(message_id)
    assert outbox.send(message()) == message_id
    assert path.stat().st_mtime == 1_000_000_000
    assert len(list(tmp_path.iterdir())) == 1


def test_hostile_message_id_stays_in_the_folder(tmp_path):
    msg = message()
    msg.replace_header("Message-ID", "<../../etc/cron.d/x@example.org>")
    OutboxTransport(tmp_path / "outbox").send(msg)
    assert [p.name for p in (tmp_path / "outbox").iterdir()] == ["etc-cron.d-x@example.org.eml"]


def test_message_without_id(tmp_path):
    msg = message()
    del msg["Message-ID"]
    with pytest.raises(PermanentFailure):
        OutboxTransport(tmp_path).send(msg)


def test_unwritable_outbox_is_transient(tmp_path):
    (tmp_path / "outbox").write_text("a file where the folder should be")
    with pytest.raises(TransientFailure, match="cannot write to the outbox"):
        OutboxTransport(tmp_path / "outbox").send(message())


@pytest.mark.parametrize("found, document, sent", [
    ("INV-2026-0042 checksum 5e0c1f2a", "INV-2026-0042 checksum 5e0c1f2a", True),  # this very message
    ("receipt RCPT-2026-0007 of payment P-00008", "receipt RCPT-2026-0007 of payment P-00010", False),
    ("", "receipt RCPT-2026-0007 of payment P-00010", True),  # written by an older version: its id says
    ("receipt RCPT-2026-0007 of payment P-00008", "", True),  # asked by id alone
])
def test_a_file_counts_as_sent_only_for_the_document_it_carries(tmp_path, found, document, sent):
    outbox = OutboxTransport(tmp_path)
    msg = message()
    del msg["X-Sheetbill-Document"]
    if found:
        msg["X-Sheetbill-Document"] = found
    message_id = outbox.send(msg)
    assert outbox.already_sent(message_id, document) is sent


def test_a_message_whose_id_another_documents_file_holds_is_not_taken_as_sent(tmp_path):
    outbox = OutboxTransport(tmp_path)
    first = message()
    outbox.send(first)
    other = message()
    other.replace_header("X-Sheetbill-Document", "receipt RCPT-2026-0007 of payment P-00010")
    with pytest.raises(PermanentFailure, match="the email of INV-2026-0042 checksum .* was not sent"):
        outbox.send(other)
