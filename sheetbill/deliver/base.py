"""What the worker needs from an email transport."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Protocol


class Transport(Protocol):
    """Hands messages over for delivery.

    A transport that can tell whether a Message-ID went out already (the
    outbox, Gmail's Sent folder) also has `already_sent(message_id) -> bool`;
    SMTP cannot, so after an interrupted send a person decides.
    """

    name: str  # "outbox", "smtp", "gmail"

    def send(self, msg: EmailMessage) -> str:
        """Send `msg`; return its Message-ID. Raises `DeliveryError`."""
        ...
