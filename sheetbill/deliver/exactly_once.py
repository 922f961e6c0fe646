"""Sending each email exactly once, whatever crashes.

Every outgoing email (invoice, credit note, receipt, reminder, statement)
has a deterministic Message-ID and three writes: a mark (before sending),
a record (after), and an unmark (when it certainly did not go). A mark
without a record means a run stopped mid-send: where the transport can look
the Message-ID up (outbox folder, Gmail) it is checked and recorded; where
it cannot (SMTP) nothing is resent and a person is asked to check.

With a lookup-capable transport all marks go in one write before the first
send; over SMTP each email is marked just before it goes, so a crash leaves
at most one outcome unknown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Callable, Sequence

from .. import progress
from ..core.actions import EMAIL, Action
from ..core.changes import Changes
from .base import DOCUMENT_HEADER, Transport
from .errors import DeliveryError, PermanentFailure

log = logging.getLogger("sheetbill")


@dataclass
class Outgoing:
    label: str  # "INV-2026-0001", "RCPT-2026-0003", "reminder 2 of INV-2026-0001"
    message: EmailMessage
    mark: Changes
    record: Callable[[], Changes]  # called once sent: Sent At is the moment it went
    unmark: Changes
    interrupted: bool = False  # marked by an earlier run, not recorded
    kind: str = ""  # what it carries: invoice, receipt, reminder, statement


@dataclass
class Outcome:
    sent: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    delivered: list[Outgoing] = field(default_factory=list)
    recorded: list[str] = field(default_factory=list)  # of `sent`, found sent by a run that stopped
    failed: list[str] = field(default_factory=list)  # why the transport sent none of those (an address refused: not here)


def tagged(kind: str, items: Sequence[Outgoing]) -> list[Outgoing]:
    """`items`, each marked as carrying a `kind` of document."""
    for item in items:
        item.kind = kind
    return list(items)


def emailed(items: Sequence[Outgoing], credit_note: Callable[[str], bool]) -> list[Action]:
    """One Action per email that went, with its addressee."""
    out = []
    for item in items:
        kind = "credit note" if item.kind == "invoice" and credit_note(item.label) else item.kind
        out.append(Action(EMAIL, item.label, recipient=str(item.message["To"] or ""), detail=kind))
    return out


def send_all(items: Sequence[Outgoing], transport: Transport | None, commit: Callable[[Changes], None], lookup: bool,
             first: Changes | None = None, out: Outcome | None = None) -> Outcome:
    """Send `items` in order; `commit(changes)` writes to the workbook (each on what the one before left). `first`
    (PDF links...) goes in the first write. `out`: filled as it goes, so a
    caller knows what went out even when a write fails midway. Without a `transport`
    there are no `items`, only `first` to write."""
    out = out if out is not None else Outcome()
    pending = Changes()
    if first is not None:
        pending += first
    if lookup:
        for item in items:
            pending += item.mark
        commit(pending)
        pending = Changes()
    for item in progress.steps(items, "emails", doing="to send"):
        assert transport is not None  # emails are made only where there is a transport
        if not lookup:
            pending += item.mark
            commit(pending)
            pending = Changes()
        if item.interrupted and transport.already_sent(item.message["Message-ID"],
                                                       str(item.message[DOCUMENT_HEADER] or "")):
            log.info("%s was sent before the last run stopped; recording it", item.label)
            out.recorded.append(item.label)
        else:
            failure = _send(transport, item.message)
            if failure is not None:
                out.errors.append(f"{item.label}: email not sent to {item.message['To']}: {failure}")
                if not failure.addressee:
                    out.failed.append(str(failure))
                if not failure.unknown_outcome:
                    pending += item.unmark
                if failure.transient:
                    break
                continue
        pending += item.record()
        out.sent.append(item.label)
        out.delivered.append(item)
    commit(pending)
    return out


def _send(transport: Transport, message: EmailMessage) -> DeliveryError | None:
    """None once `message` is handed over; else why not (any other error counts as a refusal)."""
    try:
        transport.send(message)
    except DeliveryError as failure:
        return failure
    except Exception as exc:  # a transport's unforeseen error: not sent, and not transient
        return PermanentFailure(str(exc))
    return None
