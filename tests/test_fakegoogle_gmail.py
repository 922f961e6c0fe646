"""Gmail v1 on the fake: send, look up by Message-ID, read back."""

from __future__ import annotations

import base64
import io
from email.message import EmailMessage
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaIoBaseUpload

from tests.fakegoogle import FakeGoogle

pytest_plugins = ["tests.conftest_google"]


def _message(message_id: str | None = "<inv-0001.7f3a@sheetbill.local>", subject: str = "Invoice INV-0001") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Praxis Lind <praxis@example.com>"
    message["To"] = "anna@example.com"
    message["Subject"] = subject
    if message_id:
        message["Message-ID"] = message_id
    message.set_content("Dear Anna,\n\nplease find your invoice attached.\n")
    message.add_attachment(b"%PDF-1.4 x", maintype="application", subtype="pdf", filename="INV-0001.pdf")
    return message


def _send(gmail: Any, message: EmailMessage) -> dict[str, Any]:
    raw = base64.urlsafe_b64encode(message.as_bytes()).decode()
    return gmail.users().messages().send(userId="me", body={"raw": raw}).execute()


def test_send_answers_id_thread_and_sent_label(fake_gmail: Any, fake_google: FakeGoogle) -> None:
    sent = _send(fake_gmail, _message())
    assert set(sent) == {"id", "threadId", "labelIds"} and sent["labelIds"] == ["SENT"]
    assert len(fake_google.state.messages) == 1


@pytest.mark.parametrize("query", ["rfc822msgid:inv-0001.7f3a@sheetbill.local", "rfc822msgid:<inv-0001.7f3a@sheetbill.local>", "in:sent rfc822msgid:inv-0001.7f3a@sheetbill.local"])
def test_list_by_message_id(fake_gmail: Any, query: str) -> None:
    sent = _send(fake_gmail, _message())
    _send(fake_gmail, _message("<other@sheetbill.local>", "Invoice INV-0002"))
    found = fake_gmail.users().messages().list(userId="me", q=query).execute()
    assert found == {"messages": [{"id": sent["id"], "threadId": sent["threadId"]}], "resultSizeEstimate": 1}


def test_list_without_match(fake_gmail: Any) -> None:
    assert fake_gmail.users().messages().list(userId="me", q="rfc822msgid:nothing@here").execute() == {"resultSizeEstimate": 0}
    _send(fake_gmail, _message())
    assert len(fake_gmail.users().messages().list(userId="me", q="in:sent").execute()["messages"]) == 1
    assert fake_gmail.users().messages().list(userId="me", q="in:inbox").execute() == {"resultSizeEstimate": 0}


def test_get_formats(fake_gmail: Any) -> None:
    sent = _send(fake_gmail, _message())
    metadata = fake_gmail.users().messages().get(userId="me", id=sent["id"], format="metadata", metadataHeaders=["Message-ID"]).execute()
    assert metadata["payload"]["headers"] == [{"name": "Message-ID", "value": "<inv-0001.7f3a@sheetbill.local>"}]
    full = fake_gmail.users().messages().get(userId="me", id=sent["id"], format="full").execute()
    assert full["payload"]["mimeType"] == "multipart/mixed"
    text, attachment = full["payload"]["parts"]
    assert base64.urlsafe_b64decode(text["body"]["data"]).startswith(b"Dear Anna")
    assert attachment["filename"] == "INV-0001.pdf" and "attachmentId" in attachment["body"]
    raw = fake_gmail.users().messages().get(userId="me", id=sent["id"], format="raw").execute()
    assert b"Subject: Invoice INV-0001" in base64.urlsafe_b64decode(raw["raw"])
    for key in ("id", "threadId", "labelIds", "snippet", "sizeEstimate", "historyId", "internalDate"):
        assert key in full


def test_gmail_adds_a_message_id_when_missing(fake_gmail: Any) -> None:
    sent = _send(fake_gmail, _message(message_id=None))
    headers = fake_gmail.users().messages().get(userId="me", id=sent["id"], format="metadata").execute()["payload"]["headers"]
    assert any(h["name"] == "Message-ID" and h["value"].endswith("@mail.gmail.com>") for h in headers)


def test_send_by_media_upload(fake_gmail: Any) -> None:
    media = MediaIoBaseUpload(io.BytesIO(_message().as_bytes()), mimetype="message/rfc822")
    sent = fake_gmail.users().messages().send(userId="me", body={}, media_body=media).execute()
    assert sent["labelIds"] == ["SENT"]


def test_profile_and_errors(fake_gmail: Any, fake_google: FakeGoogle) -> None:
    _send(fake_gmail, _message())
    profile = fake_gmail.users().getProfile(userId="me").execute()
    assert profile["emailAddress"] == fake_google.state.me.email and profile["messagesTotal"] == 1
    with pytest.raises(HttpError) as missing:
        fake_gmail.users().messages().get(userId="me", id="0000").execute()
    assert missing.value.resp.status == 404
    with pytest.raises(HttpError) as empty:
        fake_gmail.users().messages().send(userId="me", body={}).execute()
    assert empty.value.resp.status == 400
    with pytest.raises(HttpError) as other_user:
        fake_gmail.users().getProfile(userId="someone@example.com").execute()
    assert other_user.value.resp.status == 403
