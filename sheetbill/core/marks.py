"""How the worker names and marks what it sends: the keys of its state and the "sending" marks.

An email kept track of in the worker's state (_sheetbill) has a key made
here: `reminder/<invoice>`, `statement/<client>/<from>..<to>`,
`superbill/<client>/<from>..<to>`, `copy/<invoice>/<day>`, `autopay-setup/<client>`
(AutoPay's card set-up link), `autopay-mail/<client>/<day>` (AutoPay's card declined). While it is being
sent its value (or, for a receipt, its Receipt Sent At cell) is a mark that
holds the Message-ID it goes out with: `<prefix> sending <id>` in the state
(the prefix a reminder's level or a time), `sending <id>` in a receipt's cell.
Marks made by older versions hold no id, and an older receipt's mark was a
sentence; both are still read.
"""

from __future__ import annotations

import re
from datetime import date

# The emails whose marks live in the worker's state, by the first part of their key.
REMINDER, STATEMENT, SUPERBILL, COPY = "reminder", "statement", "superbill", "copy"
AUTOPAY_SETUP, AUTOPAY_MAIL = "autopay-setup", "autopay-mail"
STATE_KINDS = (REMINDER, STATEMENT, SUPERBILL, COPY, AUTOPAY_SETUP, AUTOPAY_MAIL)

OLD_RECEIPT_MARK = "sending (if this stays, check the Sent folder)"  # as older versions wrote it
_SENDING = "sending"
_ID = re.compile(r"<[^<>\s]+@[^<>\s]+>")


def period(date_from: date, date_to: date) -> str:
    """`2026-10-01..2026-10-31`."""
    return f"{date_from.isoformat()}..{date_to.isoformat()}"


def reminder_key(invoice_no: str) -> str:
    return f"{REMINDER}/{invoice_no}"


def statement_key(client_id: str, date_from: date, date_to: date) -> str:
    return f"{STATEMENT}/{client_id}/{period(date_from, date_to)}"


def superbill_key(client_id: str, date_from: date, date_to: date) -> str:
    return f"{SUPERBILL}/{client_id}/{period(date_from, date_to)}"


def copy_key(invoice_no: str, day: date) -> str:
    return copy_key_text(invoice_no, day.isoformat())


def copy_key_text(invoice_no: str, day: str) -> str:
    return f"{COPY}/{invoice_no}/{day}"


def sending_cell(message_id: str) -> str:
    """A receipt's mark in Receipt Sent At while its email is being sent."""
    return f"{_SENDING} {message_id}"


def cell_is_sending(value: str) -> bool:
    """`sending <id>`, or an older version's sentence."""
    return value.startswith(_SENDING)


def sending_state(prefix: str, message_id: str) -> str:
    """A reminder's (`prefix` its level) or a statement's (`prefix` a time) mark in the state."""
    return f"{prefix} {_SENDING} {message_id}"


def state_is_sending(value: str) -> bool:
    """`2 sending <id>`, `2026-11-21T09:30:00Z sending <id>`, or an older `2 sending`."""
    return f" {_SENDING}" in f" {value}"


def marked_id(mark: str) -> str:
    """The Message-ID a mark holds; '' for an older mark (made before marks held one)."""
    found = _ID.search(mark)
    return found.group(0) if found else ""


def reminder_level(value: str) -> str:
    """The level a reminder's state names (`2`, `2 sending <id>`), '' when none was sent."""
    return value.split(" ")[0] if value else ""


def reminders_sent(state: dict[str, str]) -> dict[str, int]:
    """Invoice -> the last reminder level that certainly went out (one being sent not yet)."""
    sent = {}
    for key, value in state.items():
        kind, _, invoice_no = key.partition("/")
        if kind == REMINDER and value:
            level = int(value.split()[0])
            sent[invoice_no] = level - 1 if state_is_sending(value) else level
    return sent
