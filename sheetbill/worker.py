"""One cycle, and the scheduled loop around it.

read -> plan (pure) -> commit (one write) -> PDFs -> mark emails (one write)
-> send -> record (one write). After a crash at any point the workbook says
what is done, and the next cycle finishes the rest: no invoice twice, no
number skipped, no email twice.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time as _time
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path
from typing import Callable, Generator, Protocol, Sequence

from . import progress
from .problems import from_cache, still_shown, to_cache
from .render.pool import one_by_one
from .book import records, state
from .chain import ChainCheck
from .partial import partly_written
from .book.base import Book, Edits, Snapshot, next_rows
from .book.cache import Cache
from .book.cells import text as cells_text
from .book.state import Texts, snapshot_updates
from .config import Config
from .core import changelog
from .core.billing import BillingRules
from .core.cycle import CyclePlan, plan_cycle
from .core.dashboard import dashboard
from .core.history import human_edits
from .core.clients import ClientBook
from .core.account import accounts, owner_of
from .core.statement import statement_of
from .core.protect import restore_finalized
from .core.recover import state_from_changelog
from .core.reminders import due_reminders, muted
from .documents import Context, invoice_copy_item, invoice_item, receipt_items, reminder_items, statement_item
from .mail import Outcome, Outgoing, Writes, emailed, send_all, tagged
from .core.actions import PDF, Action, of_cycle, restored
from .payments.bank_import import BankImport, confirmed_payments, import_statement
from .core.delivery import Pending, pending, resolution, state_is_sending, unknown_outcomes
from .core.identity import identify, workbook_id
from .core.model import Invoice, Ledger
from .core.plan import CellWrite, Plan, RowAppend, RowProblem
from .errors import SheetbillError
from .render.drive import DrivePdf
from .render.files import store_pdf as store_local

log = logging.getLogger("sheetbill")
ACTOR = "sheetbill"
SCHEMA_VERSION = "1"


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware datetime."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class Transport(Protocol):
    name: str

    def send(self, msg: EmailMessage) -> str: ...


@dataclass
class CycleReport:
    created: list[str] = field(default_factory=list)
    pdfs: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    waiting: int = 0
    errors: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # what could not be undone, for a person
    warnings: list[str] = field(default_factory=list)  # for a person: the Changelog's chain is broken
    seconds: float = 0.0
    actions: list[Action] = field(default_factory=list)  # what was done, item by item

    def line(self) -> str:
        parts = [f"{len(self.created)} invoice(s) created", f"{len(self.pdfs)} PDF(s)",
                 f"{len(self.sent)} email(s) sent", f"{len(self.problems)} problem(s)"]
        if self.waiting:
            parts.append(f"{self.waiting} session(s) waiting for their day to end")
        if self.errors:
            parts.append(f"{len(self.errors)} error(s)")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning(s)")
        return ", ".join(parts) + f" in {self.seconds:.1f}s"


class Worker:
    def __init__(self, config: Config, book: Book, renderer=None, transport: Transport | None = None,
                 clock: Clock | None = None, store_pdf: Callable | None = None,
                 message: Callable | None = None, receipts=None, statements=None, superbills=None,
                 accounting=None, health: Callable[[], tuple[str, int]] | None = None,
                 render_all: Callable[[list], Generator[bytes | Exception, None, None]] | None = None,
                 card=None) -> None:
        self.config = config
        self.card = card  # payments/card_cycle.py CardPayments (Stripe), or None
        self.pay_links: dict[str, str] = {}  # invoice -> its pay link, for PDFs and emails
        # many invoice PDFs at once (render/pool.py); default: one by one here
        self._render_all = render_all or (lambda docs: one_by_one(lambda d: self.renderer.render(d), docs))
        self.health = health  # the last failed cycle and the failures in a row, for the Dashboard (health.py)
        self.superbills = superbills  # insurance.run.Superbills, when the practice gives superbills
        self.accounting = accounting  # accounting/remote.py RemoteBooks: the sync, or None
        self.receipts, self.statements = receipts, statements  # their renderers
        self.book = book
        self.renderer = renderer
        self.transport = transport
        self.clock = clock or SystemClock()
        self.cache = getattr(book, "cache", None) or Cache(None)  # backends without a local cache
        self.chain = ChainCheck(book, self.cache)
        self._store_pdf: Callable = store_pdf or store_local  # render.files.store_pdf, or a Drive folder
        self._message = message
        self.rules: BillingRules = replace(config.rules, email_lookup=not (transport and transport.name == "smtp"))

    # -- planning ---------------------------------------------------------
    def today(self):
        return self.clock.now().astimezone(self.config.timezone).date()

    def plan(self) -> tuple[Snapshot, Ledger, CyclePlan]:
        """Read and plan; writes nothing (`sheetbill preview` runs the whole cycle on a copy instead)."""
        snapshot = self.book.read()
        ledger = records.ledger(snapshot.tables, self.config.day_first)
        return snapshot, ledger, self._coded(snapshot, ledger, plan_cycle(ledger, self.rules, self.today()))

    # -- one cycle --------------------------------------------------------
    def run_once(self) -> CycleReport:
        started = _time.monotonic()
        report = CycleReport()
        with self.book.lease():
            quiet = (self._quiet_key() if self.card is None and self.config.bank.folder is None
                     else None)  # card payments, a statement folder: look each cycle
            if quiet is not None and self.cache.get("quiet") == quiet:
                report.problems = from_cache(self.cache.get("quiet_problems"))
                report.seconds = _time.monotonic() - started
                return report  # nothing changed since a cycle that left nothing to do, today
            snapshot = self._read()
            recovered = self._recover(snapshot)
            report.warnings = self.chain.findings(snapshot)
            made, identity = self._identify(snapshot)
            recovered.update(made)
            edits_by_people = identity + self._human_edits(snapshot)
            ledger = records.ledger(snapshot.tables, self.config.day_first)
            assert snapshot.texts is not None  # _read keeps them
            restoration = restore_finalized(state.previous(snapshot.texts, snapshot.state), snapshot.texts.rows,
                                            snapshot.texts.row_of(), ledger.invoices,
                                            have_snapshot=any(k.startswith("snapshot/") for k in snapshot.state))
            report.flags = restoration.flags
            report.actions += restored(restoration.writes, restoration.appends, self._header)
            if not restoration.empty:  # undo first, then plan on the ledger as it should be
                self._commit(snapshot, restoration.writes, restoration.appends, edits_by_people, action="restore",
                             extra_state=recovered)
                edits_by_people = []
                snapshot = self._read()
                ledger = records.ledger(snapshot.tables, self.config.day_first)
            if self.card is not None:  # card payments and AutoPay into Payments first, applied this cycle
                snapshot, ledger, edits_by_people = self._card_payments(snapshot, ledger, edits_by_people, report)
            if self.config.bank.folder is not None:  # statement files dropped in the folder, each once
                snapshot, ledger, edits_by_people = self._bank_folder(snapshot, ledger, edits_by_people, report)
            bank_appends, bank_writes = confirmed_payments(snapshot.tables)  # Bank rows a person matched
            if bank_appends:  # into Payments first, so that this cycle applies them
                self._commit(snapshot, bank_writes, bank_appends, edits_by_people)
                edits_by_people = []
                snapshot = self._read()
                ledger = records.ledger(snapshot.tables, self.config.day_first)
            cycle = self._coded(snapshot, ledger, plan_cycle(ledger, self.rules, self.today()))
            plan = cycle.plan
            report.problems = still_shown(snapshot.tables, plan.problems, plan.writes) + report.problems
            report.waiting = len(plan.waiting)
            board = self._dashboard(snapshot, ledger, cycle, broken=len(report.warnings))
            worth_it = plan.writes or plan.appends or edits_by_people or any(w.key != "Updated at" for w in board)
            rows = self._commit(snapshot, list(plan.writes) + (board if worth_it else []), plan.appends,
                                edits_by_people, extra_state=recovered)
            report.created = [inv.invoice_no for inv in plan.new_invoices + cycle.credit_notes]
            report.created += list(cycle.finalized)
            report.actions += of_cycle(ledger, cycle, self._credit_note, self.rules.minor_unit)
            invoices = [replace(inv, row=rows.get(("invoices", inv.invoice_no), inv.row)) for inv in cycle.invoices]
            if self.card is not None:  # the pay links the PDFs and emails carry
                self._pay_links(snapshot, ledger.clients, invoices, report)
            try:
                self._deliver(snapshot, ledger, cycle, invoices, report, plan.writes)
            except SheetbillError as exc:  # a later write failed: say what this run did write
                raise partly_written(exc, report.created, report.pdfs, report.sent) from None
            if self.accounting is not None:
                self._push_accounting(report)
            if not report.warnings:
                self.chain.passed(snapshot)
            if not (report.errors or report.flags or report.warnings):
                self.cache.put(quiet=self._quiet_key(), quiet_problems=to_cache(report.problems))
        report.seconds = _time.monotonic() - started
        return report

    def _coded(self, snapshot: Snapshot, ledger: Ledger, cycle: CyclePlan) -> CyclePlan:
        """Superbill clients' sessions without a usable diagnosis get a Problem (the invoice is made)."""
        if self.superbills is None:
            return cycle
        return self.superbills.check(snapshot.tables, ledger, cycle,
                                     lambda n: self.rules.credit_note_pattern.parse(n) is not None)

    def _push_accounting(self, report: CycleReport) -> None:
        from .accounting.cycle import push_to_books

        pushed = push_to_books(self._read, lambda snapshot, writes: self._commit(snapshot, writes, []), self.config,
                               self.accounting, lambda: self.clock.now().astimezone(timezone.utc),
                               report.problems, report.errors)
        if pushed:
            log.info("accounting: pushed %d document(s) to %s", len(pushed), self.accounting.name)

    def _card_payments(self, snapshot: Snapshot, ledger: Ledger, people: list, report: CycleReport):
        from .payments.card_cycle import declined_problems

        now = self.clock.now()
        for step in ("events", "autopay"):
            if step == "events":
                done = self.card.events(snapshot.tables, snapshot.state, now)
            else:
                done = self.card.autopay(snapshot.tables, snapshot.state,
                                         lambda led=ledger: plan_cycle(led, self.rules, self.today()).invoices, now)
                report.problems += declined_problems(done)
            report.errors += done.errors
            if done.appends or done.state or done.writes:  # writes: Stripe Customer of a finished card set-up
                self._commit(snapshot, done.writes, done.appends, people, extra_state=done.state)
                people = []
                snapshot = self._read()
                ledger = records.ledger(snapshot.tables, self.config.day_first)
        return snapshot, ledger, people

    def _bank_folder(self, snapshot: Snapshot, ledger: Ledger, people: list, report: CycleReport):
        """`sheetbill bank import` for each new file of payments.bank.folder (payments/bank_folder.py)."""
        from .payments.bank_folder import new_statements

        folder = self.config.bank.folder
        assert folder is not None  # called only when payments.bank.folder is set
        for path in new_statements(folder, snapshot.state):
            invoices = plan_cycle(ledger, self.rules, self.today()).invoices
            try:
                result = import_statement(path, snapshot.tables, snapshot.state, invoices, ledger.clients,
                                          self.config.practice.currency, changelog.utc_stamp(self.clock.now()),
                                          self.config.bank.csv)
            except SheetbillError as exc:  # StatementError: one line, the other files go on
                report.errors.append(str(exc))
                continue
            log.info("bank: %s", result.line())
            if result.appends or result.state:
                self._commit(snapshot, [], result.appends, people, extra_state=result.state)
                people = []
                snapshot = self._read()
                ledger = records.ledger(snapshot.tables, self.config.day_first)
        return snapshot, ledger, people

    def _pay_links(self, snapshot: Snapshot, clients, invoices: list[Invoice], report: CycleReport) -> None:
        """Pay links for what is open, then the emails owed to clients whose AutoPay card was declined."""
        from .payments.card_cycle import declined_emails

        run = self.card.links(snapshot.tables, snapshot.state, invoices, self._credit_note)
        report.errors += run.errors
        if run.writes or run.state:
            self._commit(snapshot, run.writes, [], extra_state=run.state)
        self.pay_links = run.urls
        mails = declined_emails(self.config, self.today(), changelog.utc_stamp(self.clock.now()), clients, invoices,
                                snapshot.state, self.transport is not None)
        mails += self.card.setup_emails(self.config, snapshot.tables, snapshot.state,  # AutoPay's card set-up
                                        changelog.utc_stamp(self.clock.now()), self.transport is not None,
                                        self.rules.email_lookup, report)
        if mails:
            outcome = send_all(mails, self.transport, lambda w: self._commit_writes(snapshot, w),
                               self.rules.email_lookup)
            report.sent, report.errors = report.sent + outcome.sent, report.errors + outcome.errors

    def _quiet_key(self) -> str | None:
        """What an idle cycle depends on: the workbook's content, the day and the config."""
        content = getattr(self.book, "fingerprint", lambda: None)()
        if content is None:
            return None
        config = hashlib.sha256(self.config.path.read_bytes()).hexdigest()[:16]
        return f"{content}|{self.today().isoformat()}|{config}"

    def _dashboard(self, snapshot: Snapshot, ledger: Ledger, cycle: CyclePlan, broken: int = 0) -> list[CellWrite]:
        """The Dashboard cells that change (refreshed only along with other writes)."""
        table = snapshot.tables.get("dashboard")
        if table is None:
            return []
        billed = {sid for inv in cycle.invoices if inv.live for sid in inv.session_ids}
        unbilled = sum(1 for s in ledger.sessions if s.status.strip().lower() == "completed"
                       and s.session_id not in billed)
        rows = dashboard(cycle.invoices, ledger.sessions, unbilled, len(cycle.plan.problems), self.today(),
                         changelog.utc_stamp(self.clock.now()), broken_chain=broken,
                         health=self.health() if self.health is not None else ("", 0))
        current = {r: v for r, v in table.rows}
        out = []
        for i, (item, value, count) in enumerate(rows):
            row = i + 2
            values = current.get(row, ())
            for fld, after in (("item", item), ("value", value), ("count", count)):
                before = table.get(values, fld) if fld in table.columns else None
                if cells_text(before) != cells_text(after):
                    out.append(CellWrite("dashboard", row, item, fld, before, after))
        return out

    def _read(self) -> Snapshot:
        snapshot = self.book.read()
        unchanged = state.unchanged_tabs(snapshot.fingerprints, snapshot.state, self.cache)
        snapshot.texts = Texts(snapshot.tables, unchanged, snapshot.state)
        return snapshot

    def _recover(self, snapshot: Snapshot) -> dict[str, str]:
        """State rebuilt from the Changelog when _sheetbill lost it (written with the next commit)."""
        if "changelog_hash" in snapshot.state or snapshot.tables["changelog"].last_row <= 1:
            return {}
        history = self.book.read(history=True)
        recovered = state_from_changelog(records.changes(history.tables["changelog"]))
        log.warning("the _sheetbill tab had no state; rebuilt it from the Changelog")
        snapshot.state.update(recovered)
        return recovered

    def _identify(self, snapshot: Snapshot) -> tuple[dict[str, str], list[changelog.Change]]:
        """A workbook's own id (see core.identity), made on its first run and committed with it."""
        made, log_ = identify(snapshot.state, lambda: secrets.token_hex(8), changelog.utc_stamp(self.clock.now()),
                              ACTOR, "_sheetbill")
        snapshot.state.update(made)
        return made, log_

    def _human_edits(self, snapshot: Snapshot) -> list[changelog.Change]:
        assert snapshot.texts is not None  # _read keeps them
        before = state.previous(snapshot.texts, snapshot.state)
        return human_edits(before, snapshot.texts.rows, changelog.utc_stamp(self.clock.now()),
                           snapshot.editor or "editor", lambda t: self._header(t, ""), self._header)

    def _header(self, tab: str, fld: str) -> str:
        t = self.config.tab(tab)
        return t.name if not fld else t.column(fld).header

    def _commit(self, snapshot: Snapshot, writes, appends, people: Sequence[changelog.Change] = (),
                action: str | None = None, extra_state: dict[str, str] | None = None) -> dict:
        """One atomic write: the edits, their Changelog rows (hash-chained) and the new snapshot."""
        writes, appends = list(writes), list(appends)
        logged = Plan(appends=tuple(appends), writes=tuple(w for w in writes if w.tab != "dashboard"))
        ours = changelog.from_plan(logged, self.clock.now(), ACTOR, self._header)
        if action:
            ours = [replace(c, action=action) for c in ours]
        chained = changelog.chain(list(people) + ours, snapshot.state.get("changelog_hash", changelog.GENESIS))
        log_rows = [RowAppend("changelog", c.hash, dict(zip(
            ("at", "actor", "action", "tab", "key", "field", "before", "after", "hash"),
            c.fields() + (c.hash,)))) for c in chained]
        edits = Edits(writes=writes, appends=appends + log_rows)
        assert snapshot.texts is not None  # _read keeps them
        texts: Texts = snapshot.texts
        texts.apply(edits, next_rows(snapshot.tables, edits))
        edits.state = {**(extra_state or {}), **snapshot_updates(texts, snapshot.state)}
        if chained:
            edits.state.update({"changelog_hash": chained[-1].hash, "schema_version": SCHEMA_VERSION})
        if edits.empty:
            return {}
        rows = dict(self.book.commit(snapshot, edits))
        state.remember(snapshot.fingerprints, texts, snapshot.state, self.cache)
        return rows

    # -- PDFs and emails --------------------------------------------------
    def _deliver(self, snapshot: Snapshot, ledger: Ledger, cycle: CyclePlan, invoices: list[Invoice],
                 report: CycleReport, planned: tuple[CellWrite, ...] = ()) -> None:
        """Invoice PDFs and emails, receipts, reminders: each exactly once (see mail.py)."""
        if self.renderer is None:
            return
        ctx = self._context(snapshot, ledger, cycle.invoices, cycle.payments)
        lookup = self.rules.email_lookup
        if self.transport is not None and not lookup:  # over SMTP a person decides, and hears of it every run
            report.errors += [u.message for u in unknown_outcomes(invoices, cycle.payments, snapshot.state)]
        sessions = {s.session_id: s for s in ledger.sessions}
        for w in planned:  # what this cycle's commit already set
            if w.field == "billing_status" and w.key in sessions:
                sessions[w.key] = replace(sessions[w.key], billing_status=str(w.after))
        todo = [p for p in pending(invoices, self._pdf_exists, self.transport is not None)
                if not (p.interrupted and not lookup)]
        links, items = self._invoice_items(ctx, ledger, todo, report, sessions, invoices)
        items = tagged("invoice", items)
        first = Writes(cells=links)
        if self.transport is not None:
            clients = {c.client_id: c for c in ledger.clients}
            receipts, no_email = receipt_items(ctx, cycle.payments, clients, owner_of(ledger.clients, invoices),
                                               self.receipts, lookup, report.errors)
            first += no_email
            items += tagged("receipt", receipts)
            items += tagged("reminder", reminder_items(
                ctx, self._reminders(snapshot, ledger, cycle), clients, snapshot.state, lookup, self._as_it_stands,
                report.errors))
            if self.config.monthly_statements:
                items += tagged("statement", self._monthly_statements(ctx, snapshot, ledger, cycle, report))
            if self.superbills is not None:
                items += tagged("superbill", self.superbills.monthly(
                    ctx, snapshot.tables, replace(ledger, invoices=tuple(cycle.invoices), payments=cycle.payments),
                    snapshot.state, report.errors, lookup))
        outcome = send_all(items, self.transport, lambda w: self._commit_writes(snapshot, w), lookup, first,
                           out=Outcome(report.sent, report.errors))  # filled as it goes: a failing write still tells
        report.actions += [Action(PDF, n) for n in report.pdfs]
        report.actions += emailed(outcome.delivered, self._credit_note)

    def _credit_note(self, number: str) -> bool:
        return self.rules.credit_note_pattern.parse(number) is not None

    def _context(self, snapshot: Snapshot, ledger: Ledger, invoices, payments) -> Context:
        """What the document builders need, with every client's account as `invoices` and
        `payments` leave it."""
        credit_note = self.rules.credit_note_pattern.parse
        return Context(self.config, self.today(), self.clock.now, self._store_pdf, self._link,
                       self.rules.credit_note_pattern,
                       accounts(ledger.clients, invoices, payments, lambda n: credit_note(n) is not None),
                       workbook_id(snapshot.state), self.pay_links)

    def _as_it_stands(self, doc) -> tuple[bytes, str]:
        """An invoice re-rendered as it stands today, and its file name (never the original's)."""
        return self.renderer.render(doc), f"{doc.invoice.invoice_no} ({self.today().isoformat()}).pdf"

    def _commit_writes(self, snapshot: Snapshot, writes: Writes) -> None:
        self._commit(snapshot, writes.cells, [], writes.log, extra_state=writes.state)

    def _invoice_items(self, ctx: Context, ledger: Ledger, todo: list[Pending], report: CycleReport,
                       sessions: dict, invoices: list[Invoice]) -> tuple[list[CellWrite], list[Outgoing]]:
        """PDFs for every pending invoice: the PDF column writes and the emails to send."""
        clients = {c.client_id: c for c in ledger.clients}
        docs = {id(item): ctx.invoice_document(item.invoice, clients[item.invoice.client_id])
                for item in todo if item.invoice.client_id in clients}
        rendered = self._render_all(list(docs.values()))  # in order, in a pool when there are many
        with closing(rendered):
            return self._invoice_pdfs(ctx, todo, report, sessions, clients, docs, rendered)

    def _invoice_pdfs(self, ctx: Context, todo: list[Pending], report: CycleReport, sessions: dict,
                      clients: dict, docs: dict, rendered: Generator[bytes | Exception, None, None]):
        links: list[CellWrite] = []
        items: list[Outgoing] = []
        for item in progress.steps(todo, "PDFs"):
            inv = item.invoice
            assert inv.row is not None  # committed: every invoice has its row
            client = clients.get(inv.client_id)
            if client is None:
                report.errors.append(f"{inv.invoice_no}: client {inv.client_id} is no longer in Clients; no PDF or email")
                continue
            doc = docs[id(item)]
            try:
                pdf = next(rendered)
                if isinstance(pdf, Exception):
                    raise pdf
                path = self._store_pdf(self.config.render.output, inv.invoice_no, pdf)
            except Exception as exc:  # RenderError, a folder that cannot be written: stop, keep what is done
                report.errors.append(f"{inv.invoice_no}: PDF not made: {exc}")
                break
            link = self._link(path)
            if link != inv.pdf:
                links.append(CellWrite("invoices", inv.row, inv.invoice_no, "pdf", inv.pdf, link))
                report.pdfs.append(inv.invoice_no)
            if item.needs_email:
                try:
                    items.append(invoice_item(ctx, item, doc, pdf, path, self._message, sessions))
                except Exception as exc:  # an unusable address: this invoice waits, the others go
                    report.errors.append(f"{inv.invoice_no}: email not made: {exc}")
        return links, items

    def _monthly_statements(self, ctx: Context, snapshot: Snapshot, ledger: Ledger, cycle: CyclePlan,
                            report: CycleReport) -> list[Outgoing]:
        """Last month's statement for every client with invoices or payments in it, once."""
        first = ctx.today.replace(day=1)
        end = first - timedelta(days=1)
        start = end.replace(day=1)
        active = {i.client_id for i in cycle.invoices if i.issue_date and start <= i.issue_date <= end}
        owner = owner_of(ledger.clients, cycle.invoices)
        active |= {cid for p in cycle.payments if p.date and start <= p.date <= end and p.applied
                   and (cid := owner(p)) is not None}
        items = []
        for client in ledger.clients:
            if client.client_id in active:
                statement = statement_of(ctx.account(client.client_id), start, end, ctx.today,
                                         self.rules.minor_unit)
                _, item = statement_item(ctx, client, statement, self.statements, report.errors, snapshot.state)
                if item is not None and not (item.interrupted and not self.rules.email_lookup):
                    items.append(item)
        return items

    def statement(self, client_ref: str, date_from, date_to, email: bool) -> tuple[Path | None, CycleReport]:
        """`sheetbill statement`: the PDF, and with `email` the email (recorded like any other)."""
        report = CycleReport()
        with self.book.lease():
            snapshot = self._read()
            made, identity = self._identify(snapshot)
            if made:
                self._commit(snapshot, [], [], identity, extra_state=made)
            ledger = records.ledger(snapshot.tables, self.config.day_first)
            client = ClientBook(ledger.clients).find(client_ref)
            ctx = self._context(snapshot, ledger, ledger.invoices, ledger.payments)
            statement = statement_of(ctx.account(client.client_id), date_from, date_to, self.today(),
                                     self.rules.minor_unit)
            path, item = statement_item(ctx, client, statement, self.statements, report.errors,
                                        snapshot.state)
            if email and item is not None and item.interrupted and not self.rules.email_lookup:
                key = f"statement/{client.client_id}/{date_from.isoformat()}..{date_to.isoformat()}"
                report.errors += [u.message for u in unknown_outcomes((), (), {key: snapshot.state[key]})]
            elif email and item is not None and self.transport is not None:
                outcome = send_all([item], self.transport, lambda w: self._commit_writes(snapshot, w),
                                   self.rules.email_lookup)
                report.sent, report.errors = outcome.sent, report.errors + outcome.errors
        return path, report

    def superbill(self, client_ref: str, date_from, date_to, email: bool,
                  cms1500: bool = False) -> tuple[Path | None, CycleReport]:
        """`sheetbill superbill`: the PDF, and with `email` the email (once per client and period);
        with `cms1500` the claim form's data too (its path in `report.pdfs`)."""
        report = CycleReport()
        with self.book.lease():
            snapshot = self._read()
            ledger = records.ledger(snapshot.tables, self.config.day_first)
            ctx = self._context(snapshot, ledger, ledger.invoices, ledger.payments)
            doc = self.superbills.document(ctx, snapshot.tables, ledger, ClientBook(ledger.clients).find(client_ref),
                                           date_from, date_to)
            path, item = self.superbills.item(ctx, doc, snapshot.state, report.errors)
            if cms1500:
                try:
                    report.pdfs.append(str(self.superbills.claim_form(ctx, doc)))
                except Exception as exc:  # RenderError, a broken map, a folder that cannot be written
                    report.errors.append(f"CMS-1500 of {doc.client.client_id}: not made: {exc}")
            if email and item is not None and self.transport is not None:
                outcome = send_all([item], self.transport, lambda w: self._commit_writes(snapshot, w),
                                   self.rules.email_lookup)
                report.sent, report.errors = outcome.sent, report.errors + outcome.errors
        return path, report

    def import_bank(self, path: Path) -> BankImport:
        """`sheetbill bank import FILE`: new credits into Bank, matched ones into Payments (applied by
        the next cycle), in one write; matched against the invoices as this cycle would leave them."""
        with self.book.lease():
            snapshot = self._read()
            ledger = records.ledger(snapshot.tables, self.config.day_first)
            invoices = plan_cycle(ledger, self.rules, self.today()).invoices
            result = import_statement(path, snapshot.tables, snapshot.state, invoices, ledger.clients,
                                      self.config.practice.currency, changelog.utc_stamp(self.clock.now()),
                                      self.config.bank.csv)
            if result.appends or result.state:
                self._commit(snapshot, [], result.appends, extra_state=result.state)
        return result

    def invoice_copy(self, invoice_no: str, email: bool) -> tuple[Path | None, CycleReport]:
        """`sheetbill invoice`: the invoice as it stands today (paid, partially paid, with its
        payments) as a PDF beside the original, never replacing it; with `email`, sent once a day."""
        report = CycleReport()
        with self.book.lease():
            snapshot = self._read()
            ledger = records.ledger(snapshot.tables, self.config.day_first)
            wanted = invoice_no.strip().upper()
            inv = next((i for i in ledger.invoices if i.invoice_no.strip().upper() == wanted), None)
            if inv is None or not inv.invoice_no:
                raise SheetbillError(f"no invoice {invoice_no.strip()} in the Invoices tab")
            client = next((c for c in ledger.clients if c.client_id == inv.client_id), None)
            if client is None:
                raise SheetbillError(f"{inv.invoice_no}: client {inv.client_id} is not in Clients")
            ctx = self._context(snapshot, ledger, ledger.invoices, ledger.payments)
            doc = ctx.invoice_document(inv, client)
            pdf, name = self._as_it_stands(doc)
            path = self._store_pdf(self.config.render.output, name.removesuffix(".pdf"), pdf)
            if email and self.transport is not None:
                item = invoice_copy_item(ctx, doc, pdf, path, self._message, snapshot.state, report.errors)
                if item is not None:
                    outcome = send_all([item], self.transport, lambda w: self._commit_writes(snapshot, w),
                                       self.rules.email_lookup)
                    report.sent, report.errors = outcome.sent, report.errors + outcome.errors
        return path, report

    def resolve(self, key: str, sent: bool) -> str:
        """`sheetbill resolve`: a person's answer about an interrupted reminder or statement."""
        with self.book.lease():
            snapshot = self._read()
            try:
                state_, log_, done = resolution(key, snapshot.state.get(key, ""), sent,
                                                changelog.utc_stamp(self.clock.now()), ACTOR,
                                                lambda tab: self._header(tab, ""))
            except ValueError as exc:
                raise SheetbillError(str(exc)) from None
            self._commit(snapshot, [], [], log_, extra_state=state_)
        return done

    def _reminders(self, snapshot: Snapshot, ledger: Ledger, cycle: CyclePlan):
        days = self.config.reminders
        if not days:
            return []
        sent = {}
        for key, value in snapshot.state.items():
            if key.startswith("reminder/") and value:
                level = int(value.split()[0])
                sent[key.split("/", 1)[1]] = level - 1 if state_is_sending(value) else level
        return due_reminders(cycle.invoices, days, sent, self.today(),
                             muted_clients=self._muted(snapshot, "clients"),
                             muted_invoices=self._muted(snapshot, "invoices"),
                             credit_note=lambda n: self.rules.credit_note_pattern.parse(n) is not None)

    @staticmethod
    def _muted(snapshot: Snapshot, tab: str) -> frozenset[str]:
        table = snapshot.tables[tab]
        if "reminders" not in table.columns:
            return frozenset()
        key = table.tab.key_field
        return frozenset(cells_text(table.get(v, key)) for _, v in table.rows
                         if muted(cells_text(table.get(v, "reminders"))))

    def _pdf_exists(self, link: str) -> bool:
        exists = getattr(self._store_pdf, "exists", None)  # a store that keeps PDFs elsewhere (Drive) knows its links
        if exists is not None:
            return exists(link)
        path = Path(link)
        if not path.is_absolute():
            path = self._base / path
        return path.is_file()

    @property
    def _base(self) -> Path:
        return self.config.path.parent

    def _link(self, path: Path | DrivePdf) -> str:
        if isinstance(path, DrivePdf):  # stored elsewhere (Drive): the store gives the link
            return path.link
        try:
            return path.resolve().relative_to(self._base).as_posix()
        except ValueError:
            return str(path)


def watch(run: Callable[[], CycleReport], every_minutes: float, daily_at=None,
          scheduler=None, stop: Callable[[], bool] = lambda: False, idle: Callable[[float], None] = _time.sleep) -> None:
    """Run `run` now and then on the schedule until `stop()` or Ctrl-C; a
    failing cycle is logged and the loop goes on."""
    import schedule

    sched = scheduler or schedule.Scheduler()

    def cycle() -> None:
        try:
            log.info(run().line())
        except SheetbillError as exc:
            log.error("cycle failed: %s", exc)

    sched.every(round(every_minutes * 60)).seconds.do(cycle)  # minutes may be fractional
    if daily_at is not None:
        sched.every().day.at(daily_at.strftime("%H:%M")).do(cycle)
    cycle()
    try:
        while not stop():
            sched.run_pending()
            idle(min(max(sched.idle_seconds or 1, 0.1), 1.0))
    except KeyboardInterrupt:
        log.info("stopped")
