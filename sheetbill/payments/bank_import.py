"""`sheetbill bank import FILE`: a statement's credits into the Bank tab, and
a Payments row (Method Bank transfer) for each one matched to an invoice.

Once only: a file already imported (by content digest, kept in the worker's
state) adds nothing, and neither does an entry already in the Bank tab (by
the bank's reference, else a digest of what the entry says; see entries.py),
whatever file it comes in. An entry an earlier version knew by another
identity (a CAMT entry number alone, which repeats from one statement to the
next) is known by it only where that row's date and amount are the entry's.

Matched rows show the invoice (or, for a statement's reference, the client)
in Matched To; the others show a Problem, and when a person writes an
invoice in their Matched To, the next cycle adds the payment
(`confirmed_payments`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..book.cells import day, number, text
from ..book.table import Table
from ..core.model import Client, Invoice, PaymentMethod
from ..core.plan import CellWrite, RowAppend
from .entries import BankEntry, file_digest, read_statement
from .matching import Match, match_entries
from .open_amount import open_amount
from .refunds import refund_debits, refund_payment

STATE_PREFIX = "bankfile/"


@dataclass
class BankImport:
    file: str
    already: bool = False  # this very file was imported before: nothing added
    matches: list[Match] = field(default_factory=list)  # the new credits, matched or not
    known: int = 0  # entries already in the Bank tab
    debits: int = 0  # left alone
    refunds: list = field(default_factory=list)  # refunds.Refund: debits that pay a client back
    appends: list[RowAppend] = field(default_factory=list)
    state: dict[str, str] = field(default_factory=dict)

    @property
    def matched(self) -> list[Match]:
        return [m for m in self.matches if m.matched_to]

    @property
    def unmatched(self) -> list[Match]:
        return [m for m in self.matches if not m.matched_to]

    def line(self) -> str:
        if self.already:
            return f"{self.file} was imported before; nothing added"
        return (f"{self.file}: {len(self.matches)} new credit(s), {len(self.matched)} matched to invoices, "
                f"{len(self.unmatched)} left in Bank for a person; {self.known} already imported, "
                f"{self.debits} debit(s) left alone" + (f", {len(self.refunds)} refund(s) to clients"
                                                         if self.refunds else ""))


def import_statement(path: Path, tables: Mapping[str, Table], state: Mapping[str, str],
                     invoices: Sequence[Invoice], clients: Sequence[Client], currency: str, stamp: str,
                     csv=None) -> BankImport:
    """What importing `path` adds (nothing is written here); `csv`: how a CSV statement reads."""
    name = Path(path).name
    entries = read_statement(path, csv, currency)
    digest = file_digest(path)[:32]
    if STATE_PREFIX + digest in state:
        return BankImport(name, already=True)
    seen = _known_references(tables)
    stored = _stored_before(tables, {e.old_ref for e in entries if e.old_ref})
    result = BankImport(name, state={STATE_PREFIX + digest: f"{stamp} {name}"})
    fresh: list[BankEntry] = []
    debits: list[BankEntry] = []
    for entry in entries:
        if entry.key in seen or _same_as_stored(entry, stored):
            result.known += 1
        elif entry.amount <= 0:
            seen.add(entry.key)
            debits.append(entry)
        else:
            seen.add(entry.key)
            fresh.append(entry)
    result.refunds = refund_debits(debits, tables, clients)
    result.debits = len(debits) - len(result.refunds)
    for r in result.refunds:
        e = r.entry
        result.appends.append(RowAppend("bank", e.key, {
            "date": e.date, "amount": e.amount, "counterparty": e.counterparty, "text": e.text,
            "reference": e.key, "file": name, "matched_to": r.matched_to, "problem": ""}))
        payment = refund_payment(r)
        if payment is not None:
            result.appends.append(payment)
    result.matches = match_entries(fresh, invoices, clients, open_amount, currency)
    for m in result.matches:
        e = m.entry
        result.appends.append(RowAppend("bank", e.key, {
            "date": e.date, "amount": e.amount, "counterparty": e.counterparty,
            "text": " ".join(t for t in (e.structured_ref, e.text) if t), "reference": e.key, "file": name,
            "matched_to": m.matched_to, "problem": m.problem}))
        if m.matched_to:
            result.appends.append(_payment(e.key, e.date, m.client_id, m.invoice_no, e.amount))
    return result


def confirmed_payments(tables: Mapping[str, Table]) -> tuple[list[RowAppend], list[CellWrite]]:
    """Bank rows a person matched (Matched To filled in) that have no payment yet:
    their Payments rows, and their Problem cleared."""
    bank = tables.get("bank")
    if bank is None or not bank.exists or "matched_to" not in bank.columns:
        return [], []
    paid = _payment_references(tables)
    appends, writes = [], []
    for row, values in bank.rows:
        invoice_no = text(bank.get(values, "matched_to"))
        ref = text(bank.get(values, "reference"))
        if not invoice_no or not ref or ref in paid:
            continue
        try:
            when = day(bank.get(values, "date"), "Date")
            amount = number(bank.get(values, "amount"), "Amount")
        except ValueError:
            continue
        if when is None or amount is None or amount <= 0:
            continue
        paid.add(ref)
        appends.append(_payment(ref, when, "", invoice_no, amount))
        problem = text(bank.get(values, "problem"))
        if problem:
            writes.append(CellWrite("bank", row, ref, "problem", problem, ""))
    return appends, writes


def _payment(ref: str, when, client_id: str, invoice_no: str, amount: Decimal) -> RowAppend:
    return RowAppend("payments", ref, {
        "date": when, "client": client_id, "invoice_no": invoice_no, "amount": amount,
        "method": PaymentMethod.BANK_TRANSFER.value, "reference": ref})


def _known_references(tables: Mapping[str, Table]) -> set[str]:
    bank = tables.get("bank")
    known = set()
    if bank is not None and bank.exists:
        known = {text(bank.get(v, "reference")) for _, v in bank.rows}
    return (known | _payment_references(tables)) - {""}


Said = tuple[date | None, Decimal | None]  # a row's date and amount; None where it does not say


def _stored_before(tables: Mapping[str, Table], refs: set[str]) -> dict[str, list[Said]]:
    """The date and amount of each Bank row and bank transfer payment whose Reference is one of `refs`."""
    out: dict[str, list[Said]] = {}
    if not refs:
        return out
    for key in ("bank", "payments"):
        table = tables.get(key)
        if table is None or not table.exists:
            continue
        for _, values in table.rows:
            ref = text(table.get(values, "reference"))
            if ref not in refs or (key == "payments" and text(table.get(values, "method")).lower()
                                   != PaymentMethod.BANK_TRANSFER.value.lower()):
                continue
            out.setdefault(ref, []).append(_said(table, values))
    return out


def _said(table: Table, values: tuple) -> Said:
    try:
        when = day(table.get(values, "date"), "Date")
    except ValueError:
        when = None
    try:
        amount = number(table.get(values, "amount"), "Amount")
    except ValueError:
        amount = None
    return when, amount


def _same_as_stored(entry: BankEntry, stored: Mapping[str, list[Said]]) -> bool:
    """An earlier version imported this entry under its old identity: a row of that Reference says
    the entry's date and amount (or does not say)."""
    if not entry.old_ref or entry.occurrence > 1:  # earlier versions imported only the first
        return False
    return any(when in (None, entry.date) and amount in (None, entry.amount)
               for when, amount in stored.get(entry.old_ref, ()))


def _payment_references(tables: Mapping[str, Table]) -> set[str]:
    payments = tables.get("payments")
    if payments is None or not payments.exists:
        return set()
    return {text(payments.get(v, "reference")) for _, v in payments.rows
            if text(payments.get(v, "method")).lower() == PaymentMethod.BANK_TRANSFER.value.lower()} - {""}
