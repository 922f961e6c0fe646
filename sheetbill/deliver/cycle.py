"""What a cycle delivers once its plan is committed, each exactly once (see exactly_once.py):
invoice PDFs and emails, receipts, reminders, last month's statements and superbills. The PDF
links go in the first write of the send protocol."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Callable

from ..book.base import Snapshot
from ..book.cycle_book import Commits, CycleBook, Reading
from ..core.account import owner_of
from ..core.changes import Changes
from ..core.actions import PDF, Action
from ..core.billing import BillingRules
from ..core.status import billing_status as billing_status_of
from ..core.cycle import CyclePlan
from ..core.delivery import pending, unknown_outcomes
from ..core.marks import reminders_sent, state_is_sending, statement_key
from ..core.model import Invoice
from ..core.monthly import last_month, statements_due
from ..core.plan import CellWrite
from ..core.reminders import due_reminders, muted
from ..core.statement import statement_of
from ..cycle_report import CycleReport
from ..render.base import Renderer
from ..render.pool import one_by_one
from .base import Transport
from .exactly_once import Outcome, Outgoing, emailed, send_all, tagged
from .invoice_pdfs import RenderAll, invoice_pdfs
from .pdfs_made import PdfsMade
from .outgoing import Context, receipt_items, reminder_items, statement_item


@dataclass
class Delivery:
    """The adapters a cycle delivers with."""

    rules: BillingRules
    renderer: Renderer | None  # invoices and credit notes
    receipts: Any  # receipts' renderer
    statements: Any  # statements' renderer
    superbills: Any  # insurance.run.Superbills, or None
    transport: Transport | None
    message: Callable | None  # how an invoice's email is written (app.message_for)
    render_all: RenderAll | None  # many invoice PDFs at once (render/pool.py); None: one by one here
    reminder_days: tuple[int, ...] = ()
    monthly_statements: bool = False

    def as_it_stands(self, doc, today) -> tuple[bytes, str]:
        """An invoice re-rendered as it stands today, and its file name (never the original's)."""
        assert self.renderer is not None  # reminders are made only where invoices are rendered
        return self.renderer.render(doc), f"{doc.invoice.invoice_no} ({today.isoformat()}).pdf"

    def deliver(self, ctx: Context, book: CycleBook, seen: Reading, cycle: CyclePlan, invoices: list[Invoice],
                report: CycleReport, planned: tuple[CellWrite, ...] = ()) -> Snapshot:
        """Deliver on `seen`; returns the snapshot as the last write left it."""
        renderer = self.renderer
        if renderer is None:
            return seen.snapshot
        snapshot, ledger, lookup = seen.snapshot, seen.ledger, self.rules.email_lookup
        if self.transport is not None and not lookup:  # over SMTP a person decides, and hears of it every run
            report.errors += [u.message for u in unknown_outcomes(invoices, cycle.payments, snapshot.state)]
        sessions = {s.session_id: s for s in cycle.sessions}  # as numbered: a row typed without an ID has its own
        for w in planned:  # what this cycle's commit already set
            if w.field == "billing_status" and w.key in sessions:
                shown = str(w.after)
                sessions[w.key] = replace(sessions[w.key], billing_status=billing_status_of(shown),
                                          unknown_billing_status="" if billing_status_of(shown) else shown)
        todo = [p for p in pending(invoices, ctx.pdfs.exists, self.transport is not None)
                if not (p.interrupted and not lookup)]
        clients = {c.client_id: c for c in ledger.clients}
        render_all = self.render_all or (lambda docs: one_by_one(renderer.render, docs))
        made = PdfsMade(book.book.cache, renderer.made_of() if todo else "",  # the template read only for PDFs
                        (p.invoice.invoice_no for p in todo))
        links, items = invoice_pdfs(ctx, todo, clients, render_all, self.message, sessions, report, made)
        items = tagged("invoice", items)
        first = Changes.of(links)
        if self.transport is not None:
            receipts, no_email = receipt_items(ctx, cycle.payments, clients, owner_of(ledger.clients, invoices),
                                               self.receipts, lookup, report.errors)
            first += no_email
            items += tagged("receipt", receipts)
            items += tagged("reminder", reminder_items(
                ctx, self.reminders(book, seen, cycle, ctx.today), clients, snapshot.state, lookup,
                lambda doc: self.as_it_stands(doc, ctx.today), report.errors))
            if self.monthly_statements:
                items += tagged("statement", self.monthly(ctx, seen, cycle, report))
            if self.superbills is not None:
                items += tagged("superbill", self.superbills.monthly(
                    ctx, snapshot.tables, replace(ledger, sessions=cycle.sessions, invoices=tuple(cycle.invoices),
                                                  payments=cycle.payments),
                    snapshot.state, report.errors, lookup, report.flags))
        commits = Commits(book, snapshot)
        outcome = send_all(items, self.transport, commits, lookup, first,
                           out=Outcome(report.sent, report.errors, recorded=report.recorded,
                                       failed=report.unsent))  # filled as it goes: a failing write still tells
        report.actions += [Action(PDF, n) for n in report.pdfs]
        report.actions += emailed(outcome.delivered, self.rules.credit_note)
        return commits.snapshot

    def reminders(self, book: CycleBook, seen: Reading, cycle: CyclePlan, today):
        if not self.reminder_days:
            return []
        return due_reminders(cycle.invoices, self.reminder_days, reminders_sent(seen.snapshot.state), today,
                             muted_clients=book.muted(seen.snapshot, "clients", muted),
                             muted_invoices=book.muted(seen.snapshot, "invoices", muted),
                             credit_note=self.rules.credit_note)

    def monthly(self, ctx: Context, seen: Reading, cycle: CyclePlan, report: CycleReport) -> list[Outgoing]:
        """Last month's statement for every client with invoices or payments in it, or an invoice
        open at its end, once. One sent is not made again: its PDF stays the one the client got,
        as of the day it went."""
        start, end = last_month(ctx.today)
        state = seen.snapshot.state

        def sent(client_id: str) -> bool:  # sent before; or its outcome unknown over SMTP, for a person to settle
            was = state.get(statement_key(client_id, start, end), "")
            return bool(was) and (not state_is_sending(was) or not self.rules.email_lookup)

        def owing(client_id: str, day: date) -> bool:
            return bool(ctx.account(client_id).open_invoices(day))

        items = []
        for client in statements_due(ctx.today, seen.ledger.clients, cycle.invoices, cycle.payments, owing, sent):
            statement = statement_of(ctx.account(client.client_id), start, end, ctx.today, self.rules.minor_unit)
            _, item = statement_item(ctx, client, statement, self.statements, report.errors, state)
            if item is not None:
                items.append(item)
        return items
