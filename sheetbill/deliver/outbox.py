"""The outbox: each message written as an `.eml` file, for a person or
another program to send (or for a test to read).

The file is named after the Message-ID, written atomically, and never
rewritten: sending the same message twice leaves one file, so the worker
can always ask `already_sent` after an interrupted run.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from ..render.files import safe_name, write_once
from .errors import PermanentFailure, TransientFailure


class OutboxTransport:
    """Writes messages to `folder` as `<message-id>.eml`."""

    name = "outbox"

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def send(self, msg: EmailMessage) -> str:
        message_id = msg["Message-ID"]
        if not message_id:
            raise PermanentFailure("the message has no Message-ID")
        try:
            write_once(self.folder, self.file_name(message_id), msg.as_bytes(), replace=False)
        except OSError as error:
            raise TransientFailure(f"cannot write to the outbox {self.folder}: {error}") from error
        return message_id

    def check(self) -> None:
        """Nothing to prove before the first message: the folder is made when one is written."""

    def already_sent(self, message_id: str) -> bool:
        return (self.folder / self.file_name(message_id)).is_file()

    @staticmethod
    def file_name(message_id: str) -> str:
        """`<inv-1.ab12@example.org>` -> `inv-1.ab12@example.org.eml`."""
        return safe_name(message_id.strip().strip("<>"), ".eml")
