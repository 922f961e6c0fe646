"""Where each invoice stands with its PDF and email, from the ledger alone.

An email is sent in three steps, each recorded in the workbook: its
Message-ID is written (the mark), it is sent, its Sent At is written. A
mark without Sent At means a run stopped mid-send: where the transport can
look the Message-ID up (outbox, Gmail) the worker checks and records; where
it cannot (SMTP), a person decides, and nothing is resent blindly.

The mark of a receipt is its Receipt Sent At cell, and of a reminder or a
statement the worker's state; each holds the Message-ID it was sent with
(see `marks`), so an interrupted send is looked up by the id it was marked
with. Marks made by older versions hold no id: theirs was the id made
without the workbook's own id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from .changelog import Change
from .marks import AUTOPAY_MAIL, AUTOPAY_SETUP, COPY, REMINDER, STATE_KINDS, cell_is_sending, state_is_sending
from .model import ISSUED, Invoice, InvoiceStatus, Payment
from .plan import CellWrite, RowProblem

DELIVERABLE = ISSUED  # issued invoices get their PDF and email


@dataclass(frozen=True)
class Pending:
    invoice: Invoice
    needs_pdf: bool
    needs_email: bool
    interrupted: bool  # marked as sending in an earlier run, outcome not recorded


def pending(invoices: list[Invoice], pdf_exists, emailing: bool) -> list[Pending]:
    """Invoices that still need a PDF or an email. `pdf_exists(link)` checks a PDF column value."""
    out = []
    for inv in invoices:
        if inv.status not in DELIVERABLE and inv.status is not InvoiceStatus.DRAFT:
            continue
        needs_pdf = not inv.pdf or not pdf_exists(inv.pdf)
        needs_email = emailing and inv.status in DELIVERABLE and not inv.sent_at
        if needs_pdf or needs_email:
            out.append(Pending(inv, needs_pdf, needs_email, bool(needs_email and inv.message_id)))
    return out


def interrupted_problem(invoice: Invoice) -> str:
    return (f"Email of {invoice.invoice_no} may or may not have gone out (a run stopped while sending). "
            f"Check the mailbox's Sent folder: if it was sent, put the time in Sent At on Invoices; "
            f"to send it again, clear its Message ID")


@dataclass(frozen=True)
class Unknown:
    """An email marked as sending and never recorded: where it shows and what a person does."""

    tab: str  # "invoices", "payments", or "" (a reminder or statement, kept in the worker's state)
    row: int  # 0 when it stands in no row (state, or an invoice not yet written)
    key: str
    message: str


def unknown_outcomes(invoices: Iterable[Invoice], payments: Iterable[Payment],
                     state: Mapping[str, str]) -> list[Unknown]:
    """Every email a run stopped sending, of every kind (invoice, credit note,
    receipt, refund receipt, reminder, statement), with what a person does about it."""
    out = [Unknown("invoices", inv.row or 0, inv.invoice_no, interrupted_problem(inv))
           for inv in invoices if inv.status in DELIVERABLE and inv.message_id and not inv.sent_at]
    out += [Unknown("payments", p.row, p.payment_id, receipt_problem(p))
            for p in payments if p.receipt_no and cell_is_sending(p.receipt_sent_at)]
    for key, value in sorted(state.items()):
        kind, _, rest = key.partition("/")
        if kind in STATE_KINDS and state_is_sending(value):
            out.append(Unknown("", 0, key, state_problem(kind, rest, value)))
    return out


def receipt_problem(payment: Payment) -> str:
    return (f"Email of receipt {payment.receipt_no} may or may not have gone out (a run stopped while sending). "
            f"Check the mailbox's Sent folder: if it was sent, put the time in Receipt Sent At on Payments; "
            f"to send it again, clear its Receipt Sent At")


def _what(kind: str, rest: str, value: str) -> str:
    if kind == REMINDER:
        return f"Reminder {value.split()[0]} of {rest}"
    first, _, second = rest.partition("/")
    if kind == COPY:
        return f"Copy of {first} as of {second}"
    if kind == AUTOPAY_SETUP:
        return f"AutoPay card set-up email of {first}"
    if kind == AUTOPAY_MAIL:
        return f"AutoPay declined-card email of {first} on {second}"
    return f"{kind.capitalize()} of {first} for {second}"


def state_problem(kind: str, rest: str, value: str) -> str:
    """`rest`: an invoice no (reminder), `<client>/<from>..<to>` (statement, superbill) or
    `<invoice>/<day>` (copy)."""
    what = _what(kind, rest, value)
    return (f"{what} may or may not have gone out (a run stopped while sending). Check the mailbox's Sent "
            f"folder: if it was sent, run `sheetbill resolve {kind}/{rest} --sent`; to send it again, "
            f"`sheetbill resolve {kind}/{rest} --resend`")


def flag_unknown(invoices: Iterable[Invoice], payments: Iterable[Payment],
                 credit_note: Callable[[str], bool]) -> tuple[list[CellWrite], list[RowProblem]]:
    """Over SMTP, the Problems an interrupted send leaves until a person resolves it:
    on a receipt's payment row (when it shows no other), and for a credit note
    (an invoice's shows on its sessions, see `billing`)."""
    writes, problems = [], []
    by_id = {p.payment_id: p for p in payments}
    for u in unknown_outcomes(invoices, by_id.values(), {}):
        if u.tab == "invoices" and credit_note(u.key):
            problems.append(RowProblem("invoices", u.row, u.key, u.message))
        elif u.tab == "payments" and not by_id[u.key].problem:
            writes.append(CellWrite("payments", u.row, u.key, "problem", "", u.message))
            problems.append(RowProblem("payments", u.row, u.key, u.message))
    return writes, problems


def resolution(key: str, value: str, sent: bool, at: str, actor: str,
               tab_name: Callable[[str], str]) -> tuple[dict[str, str], list[Change], str]:
    """A person's answer about an interrupted reminder or statement (`key` as the
    worker's state names it, `value` its mark): it went out (`sent`), recorded as
    if the worker had seen it go, or it did not, so the next run sends it again.
    Returns the state to write, the Changelog entries and a sentence saying what
    was done. Raises ValueError when `key` is no interrupted send."""
    kind, _, rest = key.partition("/")
    if kind not in STATE_KINDS or not state_is_sending(value):
        raise ValueError(f"{key} is not an email waiting for a person's answer (see `sheetbill run`)")
    if kind == REMINDER:
        level = value.split()[0]
        if sent:
            return ({key: level}, [Change(at, actor, "remind", tab_name("invoices"), rest, "Reminder",
                                          str(int(level) - 1) if level.isdigit() and int(level) > 1 else "",
                                          level)],
                    f"Reminder {level} of {rest} recorded as sent")
        earlier = str(int(level) - 1) if level.isdigit() and int(level) > 1 else ""
        return {key: earlier}, [], f"Reminder {level} of {rest} will be sent again by the next run"
    first, _, second = rest.partition("/")
    what = _what(kind, rest, value)
    if not sent:
        return {key: ""}, [], f"{what} will be sent again by the next run"
    if kind == COPY:
        change = Change(at, actor, "invoice copy", tab_name("invoices"), first, "Emailed", "", f"as of {second}")
    elif kind == AUTOPAY_SETUP:
        change = Change(at, actor, kind, tab_name("clients"), first, "AutoPay", "", "card set-up link sent")
    elif kind == AUTOPAY_MAIL:
        change = Change(at, actor, kind, tab_name("clients"), first, "AutoPay", "", f"card declined email {second}")
    else:
        change = Change(at, actor, kind, tab_name("clients"), first, kind.capitalize(), "", second)
    return {key: at}, [change], f"{what} recorded as sent"
