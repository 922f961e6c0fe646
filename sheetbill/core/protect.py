"""Finalized invoices cannot change: edits are found, undone and recorded.

The snapshot holds each Invoices and Lines row as the worker last left it.
A finalized invoice's row or lines that differ now are written back from
it; a deleted one is added again. What the worker maintains itself (Paid,
Balance, PDF, Sent At, Message ID) and the one change a person may make (Status
set to Void, which issues a credit note) are not undone. A finalized
invoice whose Invoice No was typed over is found by what else its row holds
(core.overtyped) and gets its number back. A row a person added to Invoices
or Lines that would pass for part of an issued invoice is cleared (what it
held is in the Changelog, as every edit is): were it kept, it would be sent
to the client, or give its number to the next invoice. What cannot be undone
(no snapshot to restore from) is flagged.

A payment whose receipt was issued is the client's record of it, and its
receipt number is spent: a deleted row is put back, as a finalized invoice's
is (a payment entered twice is taken back with a refund, which has a receipt
of its own), so the number is never given to another payment and the Bank row
that made it does not add it again. Where its money went stays as the receipt
says: its Invoice No, its Client where the money is on invoices, and an Amount
lowered below what the receipt states, are set back (money is moved to another
client, or taken back, with a refund, which has a receipt of its own), as the
Applied To and Receipt No the worker wrote are. A changed Date, an Amount raised
(the rest becomes credit), or the Client of money kept as credit (a client
renamed: the Client ID put in) is taken as the sheet says. Either way the worker says so, once, since the
client's receipt no longer agrees with the sheet. So does a session on an
invoice whose row was deleted (the invoice stays as sent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from .history import Rows
from .invoice import checksum
from .model import Invoice, InvoiceStatus
from .number import D
from .account import NOT_ON_INVOICES
from .payments import parse_applied
from .overtyped import identities
from .status import invoice_status
from .plan import CellWrite, RowAppend

PROTECTED_STATUSES = frozenset({InvoiceStatus.FINALIZED, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID,
                                InvoiceStatus.ARCHIVED, InvoiceStatus.VOID})
MAINTAINED = frozenset({"paid", "balance", "status", "pdf", "sent_at", "message_id", "reminders"})
_VOID = frozenset({InvoiceStatus.VOID})
ALLOWED_STATUS = {InvoiceStatus.FINALIZED: _VOID, InvoiceStatus.PARTIALLY_PAID: _VOID, InvoiceStatus.PAID: _VOID}


@dataclass
class Restoration:
    writes: list[CellWrite] = field(default_factory=list)
    appends: list[RowAppend] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    cleared: list[CellWrite] = field(default_factory=list)  # the cells of rows added by hand, emptied

    @property
    def empty(self) -> bool:
        return not (self.writes or self.appends or self.cleared)


def restore_finalized(before: Rows, now: Rows, row_of: Mapping[tuple[str, str], int],
                      invoices: tuple[Invoice, ...], have_snapshot: bool = True,
                      unreadable: frozenset[str] = frozenset()) -> Restoration:
    """Undo edits to finalized ledger rows. `row_of[(tab, key)]` is a key's sheet row now;
    `unreadable`: the tabs whose stored snapshot could not be read back."""
    out = Restoration()
    old_invoices = before.get("invoices", {})
    protected = {k for k, f in old_invoices.items() if invoice_status(f.get("status", "")) in PROTECTED_STATUSES}
    typed: set[str] = set()  # Invoices rows added by hand
    for tab in ("invoices", "lines"):
        old_rows, new_rows = before.get(tab, {}), now.get(tab, {})
        renumbered = identities(old_rows, new_rows, protected, "invoice_no", MAINTAINED) if tab == "invoices" else {}
        now_key = {old: key for key, old in renumbered.items()}
        for key, old in old_rows.items():
            if _invoice_of(tab, key) not in protected:
                continue
            at = now_key.get(key, key if key not in renumbered else None)
            current = new_rows.get(at) if at is not None else None
            if current is None or at is None:
                out.appends.append(RowAppend(tab, key, dict(old)))
                continue
            for fld, was in old.items():
                is_now = current.get(fld, "")
                if is_now == was or (tab == "invoices" and fld in MAINTAINED and _allowed(fld, was, is_now)):
                    continue
                out.writes.append(CellWrite(tab, row_of[(tab, at)], key, fld, is_now, was))
        for key in sorted(new_rows.keys() - old_rows.keys() - renumbered.keys()):
            invoice = _invoice_of(tab, key)
            if not any(new_rows[key].values()):  # only cells of no column of the tab (a note beside it)
                continue
            if invoice in protected:
                said = f"was added by hand to the finalized invoice {invoice}: it is not part of the invoice"
            elif tab == "invoices" and old_rows:  # the tab is sheetbill's: a row it did not write is none
                typed.add(key)
                said = ("was not issued by sheetbill (added by hand, or a finalized invoice's number typed over "
                        "together with other cells): it is not an invoice and was not sent")
            elif tab == "lines" and invoice in typed:
                said = f"was added by hand to {invoice}, which sheetbill did not issue"
            else:
                continue
            out.cleared += cleared(tab, key, new_rows[key], row_of)
            out.flags.append(f"{'Invoices' if tab == 'invoices' else 'Lines'} row {key} {said}; sheetbill cleared "
                             "the row (what it held is in the Changelog). To bill a client, add a session")
    damaged = sorted(unreadable & {"invoices", "lines"})
    if damaged:
        out.flags.append(f"the snapshot of {' and '.join(t.title() for t in damaged)} in the hidden _sheetbill tab "
                         "is damaged (edited or deleted by hand): edits to finalized invoices since the last run "
                         "cannot be undone this time, nor shown in the Changelog. Any invoice whose Checksum "
                         "no longer matches is listed next: type back what its PDF says")
    if not have_snapshot or damaged:
        out.flags += _checksum_flags(invoices)
    out.writes += receipted_cells(before.get("payments", {}), now.get("payments", {}), row_of)
    out.appends += receipted_deleted(before.get("payments", {}), now.get("payments", {}))
    out.flags += receipted_flags(before.get("payments", {}), now.get("payments", {}))
    out.flags += invoiced_session_flags(before.get("sessions", {}), now.get("sessions", {}))
    return out


def cleared(tab: str, key: str, row: Mapping[str, str], row_of: Mapping[tuple[str, str], int]) -> list[CellWrite]:
    """The cells of the row `key` of `tab`, emptied."""
    at = row_of.get((tab, key))
    return [] if at is None else [CellWrite(tab, at, key, fld, value, "") for fld, value in row.items() if value]


def invoiced_session_flags(before: Mapping[str, Mapping[str, str]], now: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Sessions on a numbered invoice whose rows a person deleted since the last cycle (a change
    to one is a Problem on its row; a deleted row has no Problem cell to hold one)."""
    return [f"Session {key} was deleted after it was invoiced on {old['invoice_no']}: the invoice stays as sent "
            "(void it to take the session back); the deleted row is in the Changelog"
            for key, old in before.items() if old.get("invoice_no") and key not in now]


RECEIPTED = {"date": "Date", "client": "Client", "invoice_no": "Invoice No", "amount": "Amount"}  # what a receipt states


def receipted_deleted(before: Mapping[str, Mapping[str, str]],
                      now: Mapping[str, Mapping[str, str]]) -> list[RowAppend]:
    """Payments with a receipt whose rows a person deleted since the last cycle, to put back."""
    return [RowAppend("payments", key, dict(old)) for key, old in before.items()
            if old.get("receipt_no") and key not in now]


WORKER_RECEIPTED = ("applied_to", "receipt_no")  # what the worker wrote of a receipted payment, and its receipt says
KEPT = ("client", "invoice_no")  # whose money it is and what it paid, as the receipt says (see `_set_back`)


def _set_back(fld: str, old: Mapping[str, str], current: Mapping[str, str]) -> bool:
    """Whether a receipted payment's cell a person changed (`old` -> `current`, its rows) is set back:
    what the worker wrote, always; Invoice No, always, and the Client where the money is on invoices,
    which say whose it is (a Client changed on money kept as credit moves the credit); the Amount when
    it was lowered, cleared or garbled."""
    was, is_now = old.get(fld, ""), current.get(fld, "")
    if is_now == was:
        return False
    if fld == "amount":
        return bool(was) and _lowered(was, is_now)
    if fld == "invoice_no":  # also one left empty and filled in since
        return True
    if fld == "client":
        return _on_invoices(old.get("applied_to", ""))
    return fld in WORKER_RECEIPTED and bool(was)


def _on_invoices(applied_to: str) -> bool:
    """Whether Applied To puts money on an invoice (not only Credit or a Refund); a garbled one may."""
    try:
        return any(a.invoice_no not in NOT_ON_INVOICES for a in parse_applied(applied_to))
    except ValueError:
        return True


def _lowered(was: str, is_now: str) -> bool:
    try:
        receipted = D(was)
    except ValueError:
        return False  # the receipt's amount was not one either
    try:
        return D(is_now) < receipted
    except ValueError:
        return True  # cleared, or not a number


def receipted_cells(before: Mapping[str, Mapping[str, str]], now: Mapping[str, Mapping[str, str]],
                    row_of: Mapping[tuple[str, str], int]) -> list[CellWrite]:
    """A receipted payment's cells a person changed since the last cycle that are set back (see
    `_set_back`): Applied To and Receipt No, which say where the money went and which receipt the
    client holds; Client and Invoice No; an Amount lowered (Receipt Sent At stays a person's to
    clear, to send the receipt again)."""
    out = []
    for key, old in before.items():
        current = now.get(key)
        if not old.get("receipt_no") or current is None or ("payments", key) not in row_of:
            continue
        for fld in (*WORKER_RECEIPTED, *KEPT, "amount"):
            if _set_back(fld, old, current):
                out.append(CellWrite("payments", row_of[("payments", key)], key, fld, current.get(fld, ""),
                                     old.get(fld, "")))
    return out


def receipted_flags(before: Mapping[str, Mapping[str, str]], now: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Payments with a receipt whose receipted cells a person changed since the last cycle."""
    flags = []
    for key, old in before.items():
        receipt = old.get("receipt_no", "")
        current = now.get(key)
        if not receipt or current is None:
            continue
        back: list[str] = []
        taken: list[str] = []
        for f, header in RECEIPTED.items():
            if not _same_cell(f, old.get(f, ""), current.get(f, "")):
                said = f"{header} {old.get(f, '') or '(empty)'} -> {current.get(f, '') or '(empty)'}"
                (back if _set_back(f, old, current) else taken).append(said)
        if back:
            flags.append(f"Payment {key} was changed after its receipt {receipt} was issued ({'; '.join(back)}): "
                         "set back, as the receipt states. To take money back, enter a refund (a negative "
                         "Amount); to move it to another client or invoice, a refund and a new payment")
        if taken:
            flags.append(f"Payment {key} was changed after its receipt {receipt} was issued ({'; '.join(taken)}): "
                         "the client's receipt still shows what it was")
    return flags


def _same_cell(fld: str, was: str, is_now: str) -> bool:
    """The same, to the cent for an Amount (40 and 40.00)."""
    if was == is_now:
        return True
    if fld != "amount":
        return False
    try:
        return D(was) == D(is_now)
    except ValueError:
        return False


def _allowed(fld: str, was: str, is_now: str) -> bool:
    if fld != "status":
        return True
    if is_now == was:
        return True
    status = invoice_status(was)
    return status is not None and invoice_status(is_now) in ALLOWED_STATUS.get(status, frozenset())


def _invoice_of(tab: str, key: str) -> str:
    return key if tab == "invoices" else key.split("/", 1)[0]


def _checksum_flags(invoices: tuple[Invoice, ...]) -> list[str]:
    """Without a snapshot, a changed finalized invoice can be seen but not undone."""
    flags = []
    for inv in invoices:
        if inv.status in PROTECTED_STATUSES and inv.checksum and checksum(inv, inv.lines) != inv.checksum:
            flags.append(f"{inv.invoice_no} was changed after it was finalized (its Checksum no longer "
                         f"matches) and there is no snapshot to restore it from; compare it with its PDF")
    return flags
