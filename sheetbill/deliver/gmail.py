"""Sending invoice emails through the Gmail API, exactly once.

Each message carries its deterministic Message-ID (`message.message_id_for`),
and Gmail keeps it, so the account's mail can be searched for it
(`rfc822msgid:`). The worker asks `already_sent` before sending again an
email whose earlier run stopped mid-send; and when a send itself gets no
clear answer (timeout, dropped connection, 5xx), the transport looks the
message up at once instead of guessing: found, it was sent; not found, the
outcome stays unknown and the next run looks again before sending.

A send is never repeated by the transport itself. Before each send it asks
`may_send()` (the Google book's lease: this worker still holds the
spreadsheet), so two workers never send the same invoices.
"""

from __future__ import annotations

import base64
from email.message import EmailMessage
from typing import Callable

from ..google.errors import explain
from ..google.http import Google
from ..google.retry import ApiFailure
from .errors import DeliveryError, PermanentFailure, TransientFailure, UnknownOutcome

MAX_RAW_BYTES = 5 * 1024 * 1024  # Gmail's limit for a message sent as JSON


class GmailTransport:
    """Sends as the signed-in account (`user` "me"), or the impersonated one."""

    name = "gmail"

    def __init__(self, google: Google, may_send: Callable[[], bool] | None = None, user: str = "me") -> None:
        self.google, self.may_send, self.user = google, may_send, user

    def send(self, msg: EmailMessage) -> str:
        message_id = msg["Message-ID"]
        if not message_id:
            raise PermanentFailure("the message has no Message-ID")
        if self.may_send is not None and not self.may_send():
            raise TransientFailure("another sheetbill worker holds the spreadsheet; the email waits for the next run")
        raw = msg.as_bytes()
        if len(raw) > MAX_RAW_BYTES:
            raise PermanentFailure(f"the email is {len(raw) // 1024} KB, more than Gmail accepts")
        body = {"raw": base64.urlsafe_b64encode(raw).decode("ascii")}
        gmail = self.google.service("gmail")
        try:
            self.google.execute(lambda: gmail.users().messages().send(userId=self.user, body=body), idempotent=False)
        except ApiFailure as failure:
            if failure.transient and not failure.refused and self._found(message_id):
                return message_id  # no clear answer, but it is in the mailbox: it went out
            raise _failed(failure) from None
        return message_id

    def check(self) -> None:
        """Raise DeliveryError when the account cannot be reached (API off, no permission)."""
        gmail = self.google.service("gmail")
        try:
            self.google.execute(lambda: gmail.users().getProfile(userId=self.user))
        except ApiFailure as failure:
            raise PermanentFailure(explain(failure, "Gmail")) from None

    def already_sent(self, message_id: str, document: str = "") -> bool:
        """Whether the account's mail holds a message with this Message-ID (which is made from
        the document it carries, so one found is that document's)."""
        gmail = self.google.service("gmail")
        query = f"rfc822msgid:{message_id.strip().strip('<>')}"
        try:
            found = self.google.execute(lambda: gmail.users().messages().list(
                userId=self.user, q=query, maxResults=1, includeSpamTrash=True))
        except ApiFailure as failure:
            raise TransientFailure(explain(failure, "looking the email up in Gmail")) from None
        return bool(found.get("messages"))

    def _found(self, message_id: str) -> bool:
        try:
            return self.already_sent(message_id)
        except TransientFailure:
            return False


def _failed(failure: ApiFailure) -> DeliveryError:
    if failure.refused:
        return TransientFailure(explain(failure, "sending through Gmail"), failure.status)
    if failure.transient:  # no answer or a 5xx, and not in the mailbox (yet)
        return UnknownOutcome(f"Gmail gave no clear answer ({failure.message}); the next run checks whether "
                              "it went out before sending it", failure.status)
    return PermanentFailure(explain(failure, "sending through Gmail"), failure.status)
