"""One cycle: read -> reconcile -> plan (pure) -> commit -> deliver -> record.

Each step is a method below; the work is done elsewhere (the plan in core/, the
writes in book/cycle_book.py, the payments that come in in payments/intake.py,
PDFs and emails in deliver/). After a crash at any point the workbook says what
is done, and the next cycle finishes the rest: no invoice twice, no number
skipped, no email twice. The scheduled loop around `run_once` is in watch.py.
"""

from __future__ import annotations

import time as _time
from dataclasses import replace
from typing import Callable

from . import plan_notes, progress
from .accounting.cycle import push_to_books
from .book.base import Book, Snapshot
from .book.cycle_book import CycleBook, Reading
from .chain import ChainCheck
from .clock import Clock, SystemClock
from .config import Config
from .core.account import accounts
from .core.actions import restored
from .core.changes import Changes
from .core.cycle import CyclePlan, plan_cycle
from .core.dashboard import after_cycle, unbilled
from .core.health import Standing
from .core.issued_to import kept_addresses
from .core.model import Invoice, Ledger
from .cycle_report import CycleReport
from .deliver.base import Transport
from .deliver.cycle import Delivery
from .deliver.invoice_pdfs import RenderAll
from .deliver.outgoing import Context
from .errors import DeliveryFailed, SheetbillError
from .partial import partly_written
from .payments import intake
from .quiet_cycle import QuietCycles
from .render.folder import LocalFolder
from .render.store import PdfStore

__all__ = ["Clock", "CycleReport", "SystemClock", "Worker"]


class Worker:
    def __init__(self, config: Config, book: Book, renderer=None, transport: Transport | None = None,
                 clock: Clock | None = None, pdfs: PdfStore | None = None,
                 message: Callable | None = None, receipts=None, statements=None, superbills=None,
                 accounting=None, health: Callable[[], Standing] | None = None,
                 render_all: RenderAll | None = None, card=None) -> None:
        self.config, self.book, self.transport = config, book, transport
        self.superbills = superbills  # insurance.run.Superbills, when the practice gives superbills
        self.accounting = accounting  # accounting/remote.py RemoteBooks: the sync, or None
        self.card = card  # payments/card_cycle.py CardPayments (Stripe), or None
        self.health = health or Standing  # the last failed cycle, the failures in a row... (health.py)
        self.clock = clock or SystemClock()
        self.pdfs: PdfStore = pdfs or LocalFolder(config.render.output, config.path.parent)  # or a Drive folder
        self.pay_links: dict[str, str] = {}  # invoice -> its pay link, for PDFs and emails
        self.rules = replace(config.rules, email_lookup=not (transport and transport.name == "smtp"))
        self.delivery = Delivery(self.rules, renderer, receipts, statements, superbills, transport, message,
                                 render_all, config.reminders, config.monthly_statements)
        self.io = CycleBook(config, book, self.clock.now)
        self.chain = ChainCheck(book, book.cache)
        self.quiet = QuietCycles(book, config.path, self.today,
                                 lambda: self.card is not None or config.bank.folder is not None)

    def today(self):
        return self.clock.now().astimezone(self.config.timezone).date()

    def run_once(self) -> CycleReport:
        started = _time.monotonic()
        report = CycleReport()
        with self.book.lease():
            if not self.quiet.skip(report):
                seen, to_bill = self._read(report)
                seen = self._reconcile(seen, report)
                cycle = self._plan(seen, to_bill)
                seen, invoices = self._commit(seen, cycle, report)
                seen = self._deliver(seen, cycle, invoices, report)
                self._record(seen, report)
        report.seconds = _time.monotonic() - started
        return report

    def _read(self, report: CycleReport) -> tuple[Reading, int]:
        """Every tab, lost state rebuilt, the edits people made, the Changelog's chain checked;
        and how many sessions there are to bill (for the progress lines of a big cycle)."""
        with progress.stage("reading", min_items=progress.BIG_CYCLE) as found:
            seen = self.io.first_reading()
            to_bill = unbilled(seen.ledger.invoices, seen.ledger.sessions)
            found(to_bill, "sessions to bill")  # a steady cycle: no line
        report.warnings = self.chain.findings(seen.snapshot)
        return seen, to_bill

    def _reconcile(self, seen: Reading, report: CycleReport) -> Reading:
        """Edits to finalized invoices undone, then the payments that came in, each written at once."""
        restoration = self.io.restoration(seen)
        report.flags = restoration.flags
        report.actions += restored(restoration.writes, restoration.appends, self.io.header, restoration.cleared)
        if not restoration.empty:  # undo first, then plan on the ledger as it should be
            seen = self.io.commit_and_read(seen, Changes.of(restoration.writes + restoration.cleared,
                                                            restoration.appends),
                                           action="restore", recovered=True)
        if self.card is not None:  # card payments and AutoPay into Payments first, applied this cycle
            seen = intake.card_payments(self.card, self.io, seen, self.planned, self.clock.now(), report)
        if self.config.bank.folder is not None:  # statement files dropped in the folder, each once
            seen = intake.bank_folder(self.config, self.io, seen, self.planned, self.clock.now(), report)
        return intake.matched_bank_rows(self.io, seen)

    def _plan(self, seen: Reading, to_bill: int) -> CyclePlan:
        with progress.stage("planning", to_bill, "sessions to bill", min_items=progress.BIG_CYCLE):
            return self.coded(seen.snapshot, self.planned(seen.ledger))

    def _commit(self, seen: Reading, cycle: CyclePlan, report: CycleReport) -> tuple[Reading, list[Invoice]]:
        """The whole plan and the Dashboard in one write; what it left, and the invoices, each in its row."""
        plan = cycle.plan
        plan_notes.before_commit(report, seen, cycle, self.rules)
        along = not plan.empty or bool(seen.people)  # the Dashboard is refreshed only along other writes
        board = self.io.dashboard_cells(seen.snapshot, lambda: after_cycle(
            cycle, cycle.sessions, self.today(), self.io.stamp(), len(report.problems), len(report.warnings),
            self.health()), along)
        kept = kept_addresses(seen.people, seen.ledger.invoices, seen.snapshot.state, self.io.header("clients", ""),
                              self.io.header("clients", "address"))  # whom open invoices were issued to
        changes = plan.changes + Changes.of(board, state={**seen.recovered, **kept}, log=seen.people)
        with progress.stage("writing", len(plan.writes) + len(plan.appends), "changes", min_items=progress.BIG_CYCLE):
            done = self.io.commit(seen.snapshot, changes)
        plan_notes.after_commit(report, seen, cycle, self.rules, self.io.header)
        return replace(seen, snapshot=done.snapshot), done.placed(cycle.invoices)

    def _deliver(self, seen: Reading, cycle: CyclePlan, invoices: list[Invoice], report: CycleReport) -> Reading:
        """Pay links, PDFs and emails (each exactly once), then the push to the accounting system."""
        if self.card is not None:  # the pay links the PDFs and emails carry
            self.pay_links, snapshot = intake.pay_links(
                self.card, self.config, self.io, seen, seen.ledger.clients, invoices, self.rules.credit_note,
                self.transport, self.rules.email_lookup, self.today(), self.clock.now(), report,
                accounts(seen.ledger.clients, cycle.invoices, cycle.payments, self.rules.credit_note).__getitem__)
            seen = replace(seen, snapshot=snapshot)
        ctx = self.context(seen.snapshot, seen.ledger, cycle.invoices, cycle.payments)
        try:
            snapshot = self.delivery.deliver(ctx, self.io, seen, cycle, invoices, report, cycle.plan.writes)
        except SheetbillError as exc:  # a later write failed: say what this run did write
            raise partly_written(exc, report.created, report.pdfs, report.sent) from None
        except OSError as exc:  # a PDF or email file could not be written (disk full, no permission)
            failed = DeliveryFailed(f"cannot write {exc.filename or 'a PDF or email'}: {exc.strerror or exc}; "
                                    "free the space or fix the folder's permissions, then run again")
            raise partly_written(failed, report.created, report.pdfs, report.sent) from None
        if self.accounting is not None:
            push_to_books(self.io, self.config, self.accounting, self.clock.now, report.problems, report.errors)
        return replace(seen, snapshot=snapshot)

    def _record(self, seen: Reading, report: CycleReport) -> None:
        """What the next cycles may skip: a chain that held, a cycle that left nothing to do."""
        if not report.warnings:
            self.chain.passed(seen.snapshot)
        self.quiet.remember(report)

    # -- what the steps need ---------------------------------------------
    def planned(self, ledger: Ledger) -> CyclePlan:
        return plan_cycle(ledger, self.rules, self.today())

    def coded(self, snapshot: Snapshot, cycle: CyclePlan) -> CyclePlan:
        """Superbill clients' sessions without a usable diagnosis get a Problem (the invoice is made)."""
        if self.superbills is None:
            return cycle
        return self.superbills.check(snapshot.tables, cycle, self.rules.credit_note)

    def context(self, snapshot: Snapshot, ledger: Ledger, invoices, payments) -> Context:
        """What the document builders need, with every client's account as `invoices` and `payments` leave it."""
        return Context.of(self.config, self.clock.now, self.pdfs, snapshot.state, ledger.clients, invoices, payments,
                          self.pay_links)
