"""One push to the accounting system: what is new since the last, exactly once.

The Invoices and Payments tabs' `Accounting` column says what is there
already: `xero 6f0c9b1e-... 2026-11-21 09:30Z`. Everything without it is
looked up remotely by our number first and created only where absent; the
ids are then written back. A crash between a create and the write leaves a
document the next push finds, never one it creates twice. A line the config
does not map, or a document the remote refuses, is a Problem on its row
(`refused: <their message>` in the column) and is tried again next time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

from .journal import CREDIT_NOTE, INVOICE, Journal, Received, Sale
from .mapping import Mapper
from .remote import CreditMove, PaymentPart, Refusal, RemoteBooks
from .settings import AccountingSettings

REFUSED = "refused:"
BATCH = 50  # documents per create request (Xero takes at most 50 invoices a call)


@dataclass(frozen=True)
class Cell:
    """Where a document's Accounting cell is and what it says now."""

    tab: str  # invoices or payments
    row: int
    text: str


@dataclass
class PushOutcome:
    cells: list[tuple[Cell, str, str]] = field(default_factory=list)  # cell, key, new text
    problems: list[tuple[Cell, str, str]] = field(default_factory=list)  # cell, key, message
    pushed: list[str] = field(default_factory=list)


def remote_id(text: str, system: str) -> str | None:
    """The remote id an Accounting cell records for this system, or None."""
    parts = text.split()
    if len(parts) >= 2 and parts[0] == system:
        return parts[1]
    return None


def stamp(system: str, ident: str, at: str) -> str:
    return f"{system} {ident} {at}"


def payment_parts(p: Received) -> list[PaymentPart]:
    return [PaymentPart(f"{p.payment_id} {invoice_no}", p.payment_id, invoice_no, p.date, amount, p.method)
            for invoice_no, amount in p.parts() if invoice_no and amount > 0]


def push(books: Journal, cells: Mapping[str, Cell], remote: RemoteBooks, settings: AccountingSettings,
         now: Callable[[], str]) -> PushOutcome:
    """`cells`: invoice number or payment id -> its Accounting cell (documents without one are
    not pushed: the sheet has no row for them)."""
    out = PushOutcome()
    system = remote.name
    ids: dict[str, str] = {}  # our number -> remote id, for every sale there
    for sale in books.sales:
        cell = cells.get(sale.number)
        if cell is not None and remote_id(cell.text, system):
            ids[sale.number] = remote_id(cell.text, system) or ""
    todo: list[Sale] = []
    for sale in books.sales:
        cell = cells.get(sale.number)
        if cell is None or sale.number in ids:
            continue
        mapper = Mapper(settings)
        for line in sale.lines:
            mapper.line(line, need_account=remote.needs_account, need_tax_code=True)
        if mapper.problems:
            out.problems.append((cell, sale.number, "; ".join(mapper.problems)))
            continue
        todo.append(sale)
    recorded = set(ids)
    for kind in (INVOICE, CREDIT_NOTE):
        sales = [s for s in todo if s.kind == kind]
        if not sales:
            continue
        found = remote.find(kind, [s.number for s in sales])
        new = [s for s in sales if s.number not in found]
        results: dict[str, str | Refusal] = dict(found)
        if new:
            contacts = _contacts(remote, new, cells, out)
            ready = [s for s in new if s.customer.name in contacts]
            for start in range(0, len(ready), BATCH):
                results.update(remote.create_sales(kind, ready[start:start + BATCH], contacts, ids))
        for sale in sales:
            _record(sale.number, results.get(sale.number), cells[sale.number], system, now, out, ids)
    _move_credit(books, cells, remote, ids, recorded, out)
    parts_of = {p.payment_id: payment_parts(p) for p in books.payments}
    waiting = [p for p in books.payments if p.payment_id in cells and not remote_id(cells[p.payment_id].text, system)
               and parts_of[p.payment_id] and all(part.invoice_no in ids for part in parts_of[p.payment_id])]
    if waiting:
        parts = [part for p in waiting for part in parts_of[p.payment_id]]
        there = remote.find_payments(parts)
        absent = [part for part in parts if part.reference not in there]
        made: dict[str, str | Refusal] = dict(there)
        for start in range(0, len(absent), BATCH):
            made.update(remote.create_payments(absent[start:start + BATCH], ids))
        for p in waiting:
            answers = [made.get(part.reference) for part in parts_of[p.payment_id]]
            refused = [r for r in answers if isinstance(r, Refusal)]
            cell = cells[p.payment_id]
            if refused:
                out.problems.append((cell, p.payment_id, refused[0].message))
                out.cells.append((cell, p.payment_id, f"{REFUSED} {refused[0].message}"))
            elif all(isinstance(r, str) for r in answers):
                made_ids = ",".join(r for r in answers if isinstance(r, str))
                out.cells.append((cell, p.payment_id, stamp(system, made_ids, now())))
                out.pushed.append(p.payment_id)
    return out


def _move_credit(books: Journal, cells: Mapping[str, Cell], remote: RemoteBooks, ids: Mapping[str, str],
                 recorded: set[str], out: PushOutcome) -> None:
    """A credit note pushed now is applied to the invoice it voids (as far as that is still due
    there); and money paid on an invoice before its void and then set against another invoice in
    the sheet (the one that bills the sessions again, or a later one) is there in the remote books
    too: the credit note is applied to that invoice, once both are there. A credit note whose
    application is refused is not recorded, so the next push finds it and tries again."""
    notes = [s for s in books.sales if s.kind == CREDIT_NOTE and s.number in ids and s.number in cells]
    fresh = {s.number for s in notes if s.number not in recorded}
    moves = [CreditMove(s.number, s.credits, -s.total, s.date) for s in notes
             if s.number in fresh and s.credits in ids and s.total < 0]
    moves += [CreditMove(s.number, a.invoice_no, a.amount, s.date) for s in notes
              for a in s.moved if a.invoice_no in ids and a.amount > 0]
    if not moves:
        return
    for number, refusal in remote.move_credit(moves, ids).items():
        out.problems.append((cells[number], number, refusal.message))
        if number in fresh:
            out.cells[:] = [c for c in out.cells if c[1] != number] + [
                (cells[number], number, f"{REFUSED} {refusal.message}")]
            out.pushed.remove(number)


def _contacts(remote: RemoteBooks, sales: Sequence[Sale], cells: Mapping[str, Cell],
              out: PushOutcome) -> dict[str, str]:
    customers = list({s.customer.name: s.customer for s in sales}.values())
    answer = remote.contacts(customers)
    ok = {name: v for name, v in answer.items() if isinstance(v, str)}
    for s in sales:
        refusal = answer.get(s.customer.name)
        if isinstance(refusal, Refusal):
            out.problems.append((cells[s.number], s.number, f"contact {s.customer.name}: {refusal.message}"))
    return ok


def _record(number: str, result: str | Refusal | None, cell: Cell, system: str, now: Callable[[], str],
            out: PushOutcome, ids: dict[str, str]) -> None:
    if isinstance(result, str):
        ids[number] = result
        out.cells.append((cell, number, stamp(system, result, now())))
        out.pushed.append(number)
    elif isinstance(result, Refusal):
        out.problems.append((cell, number, result.message))
        out.cells.append((cell, number, f"{REFUSED} {result.message}"))
