"""The outbox: each message written as an `.eml` file, for a person or
another program to send (or for a test to read).

The file is named after the Message-ID, written atomically, and never
rewritten: sending the same message twice leaves one file, so the worker
can always ask `already_sent` after an interrupted run. A file found under a
message's name counts as that message only if it carries the same document
(its X-Sheetbill-Document header, where both have one): one for another
document is never taken as sent.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.parser import BytesHeaderParser
from pathlib import Path

from ..render.files import safe_name, write_once
from .errors import PermanentFailure, TransientFailure
from .base import DOCUMENT_HEADER


class OutboxTransport:
    """Writes messages to `folder` as `<message-id>.eml`."""

    name = "outbox"

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def send(self, msg: EmailMessage) -> str:
        message_id = msg["Message-ID"]
        if not message_id:
            raise PermanentFailure("the message has no Message-ID")
        document = str(msg[DOCUMENT_HEADER] or "")
        found = self._document(message_id)
        if found is not None and not _same(found, document):
            raise PermanentFailure(f"the outbox already holds {self.file_name(message_id)}, the email of {found}, "
                                   f"under this message's Message-ID; {document or 'this message'} was not sent")
        try:
            write_once(self.folder, self.file_name(message_id), msg.as_bytes(), replace=False)
        except OSError as error:
            raise TransientFailure(f"cannot write to the outbox {self.folder}: {error}") from error
        return message_id

    def check(self) -> None:
        """Nothing to prove before the first message: the folder is made when one is written."""

    def already_sent(self, message_id: str, document: str = "") -> bool:
        found = self._document(message_id)
        return found is not None and _same(found, document)

    def _document(self, message_id: str) -> str | None:
        """The document the file of `message_id` carries ("" if it does not say), None if there is no file."""
        path = self.folder / self.file_name(message_id)
        try:
            with open(path, "rb") as stream:
                return str(BytesHeaderParser().parse(stream)[DOCUMENT_HEADER] or "")
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as error:
            raise TransientFailure(f"cannot read the outbox {self.folder}: {error}") from error

    @staticmethod
    def file_name(message_id: str) -> str:
        """`<inv-1.ab12@example.org>` -> `inv-1.ab12@example.org.eml`."""
        return safe_name(message_id.strip().strip("<>"), ".eml")


def _same(found: str, document: str) -> bool:
    """Whether a file carrying `found` is the message carrying `document` (either unsaid: by its id alone)."""
    return not found or not document or found == document
