"""What the worker needs from an email transport."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Protocol

DOCUMENT_HEADER = "X-Sheetbill-Document"  # the document a message carries: "receipt RCPT-2026-0007 of payment P-00008"


class Transport(Protocol):
    """Hands messages over for delivery (the outbox, SMTP, Gmail)."""

    name: str  # "outbox", "smtp", "gmail"

    def send(self, msg: EmailMessage) -> str:
        """Send `msg`; return its Message-ID. Raises `DeliveryError`."""
        ...

    def already_sent(self, message_id: str, document: str = "") -> bool:
        """Whether the message with this id went out already: the outbox and Gmail's Sent
        folder can tell; SMTP cannot (always False), so after an interrupted send a person decides.
        `document` (a message's X-Sheetbill-Document): a message found for another one does not count."""
        ...

    def check(self) -> None:
        """Prove the settings work without sending anything; raises `DeliveryError`."""
        ...
