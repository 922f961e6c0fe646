"""The one-off commands that act on the workbook outside a cycle: `sheetbill statement`,
`superbill`, `invoice`, `bank import` and `resolve` (and a plan read without writing). Each holds the workbook's lease, reads
it, and records what it sends like a cycle does."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .book.base import Snapshot
from .book.cycle_book import ACTOR, Commits
from .core.changes import Changes
from .core.clients import ClientBook
from .core.cycle import CyclePlan
from .core.delivery import resolution, unknown_outcomes
from .core.issued_to import as_issued
from .core.marks import statement_key
from .core.model import Ledger
from .core.statement import statement_of
from .core.superbill import insurance_gaps, unpayable
from .cycle_report import CycleReport
from .deliver.exactly_once import Outgoing, send_all
from .deliver.outgoing import invoice_copy_item, statement_item
from .errors import SheetbillError
from .payments.bank_import import BankImport, import_statement
from .render.store import StoredPdf

if TYPE_CHECKING:
    from .worker import Worker


def plan(worker: Worker) -> tuple[Snapshot, Ledger, CyclePlan]:
    """Read and plan; writes nothing (`sheetbill preview` runs the whole cycle on a copy instead)."""
    snapshot = worker.book.read()
    ledger = worker.io.ledger(snapshot)
    return snapshot, ledger, worker.coded(snapshot, worker.planned(ledger))


def statement(worker: Worker, client_ref: str, date_from: date, date_to: date,
              email: bool) -> tuple[StoredPdf | None, CycleReport]:
    """The PDF, and with `email` the email (recorded like any other)."""
    report = CycleReport()
    with worker.book.lease():
        snapshot = worker.io.read()
        made, identity = worker.io.identify(snapshot.state)
        if made:
            snapshot = worker.io.commit(snapshot, Changes.of(state=made, log=identity)).snapshot
        ledger = worker.io.ledger(snapshot)
        client = ClientBook(ledger.clients).find(client_ref)
        ctx = worker.context(snapshot, ledger, ledger.invoices, ledger.payments)
        found = statement_of(ctx.account(client.client_id), date_from, date_to, worker.today(),
                             worker.rules.minor_unit)
        stored, item = statement_item(ctx, client, found, worker.delivery.statements, report.errors, snapshot.state)
        if email and item is not None and item.interrupted and not worker.rules.email_lookup:
            key = statement_key(client.client_id, date_from, date_to)
            report.errors += [u.message for u in unknown_outcomes((), (), {key: snapshot.state[key]})]
        elif email and item is not None:
            _send(worker, snapshot, item, report)
    return stored, report


def superbill(worker: Worker, client_ref: str, date_from: date, date_to: date, email: bool,
              cms1500: bool = False) -> tuple[StoredPdf | None, CycleReport]:
    """The PDF, and with `email` the email (once per client and period); with `cms1500` the
    claim form's data too (where it is in `report.pdfs`)."""
    report = CycleReport()
    superbills = worker.superbills
    assert superbills is not None  # the command asks only of a practice that gives superbills
    with worker.book.lease():
        snapshot = worker.io.read()
        ledger = worker.io.ledger(snapshot)
        ctx = worker.context(snapshot, ledger, ledger.invoices, ledger.payments)
        client = ClientBook(ledger.clients).find(client_ref)
        doc = superbills.document(ctx, snapshot.tables, ledger, client, date_from, date_to)
        who = f"{client.client_id} ({client.name})"
        if not doc.insured.superbill:
            raise SheetbillError(f"{who} is not set up for superbills: set Superbill to Yes in Clients, with "
                                 "their Insurer and Member ID, and give the services a Procedure Code")
        if not doc.superbill.lines:
            raise SheetbillError(f"{who} has no billed sessions from {date_from} to {date_to}: no superbill made")
        report.warnings += [gap for gap in (insurance_gaps(client, doc.insured),
                                            *(unpayable(line, cms1500) for line in doc.superbill.lines)) if gap]
        stored, item = superbills.item(ctx, doc, snapshot.state, report.errors)
        if cms1500:
            try:
                report.pdfs.append(superbills.claim_form(ctx, doc).where)
            except Exception as exc:  # RenderError, a broken map, a folder that cannot be written
                report.errors.append(f"CMS-1500 of {doc.client.client_id}: not made: {exc}")
        if email and item is not None:
            _send(worker, snapshot, item, report)
    return stored, report


def invoice_copy(worker: Worker, invoice_no: str, email: bool) -> tuple[StoredPdf | None, CycleReport]:
    """The invoice as it stands today (paid, partially paid, with its payments) as a PDF beside
    the original, never replacing it, to the name and address it was issued to (core.issued_to);
    with `email`, sent once a day to the client as Clients says now."""
    report = CycleReport()
    with worker.book.lease():
        snapshot = worker.io.read()
        ledger = worker.io.ledger(snapshot)
        wanted = invoice_no.strip().upper()
        inv = next((i for i in ledger.invoices if i.invoice_no.strip().upper() == wanted), None)
        if inv is None or not inv.invoice_no:
            raise SheetbillError(f"no invoice {invoice_no.strip()} in the Invoices tab")
        client = next((c for c in ledger.clients if c.client_id == inv.client_id), None)
        if client is None:
            raise SheetbillError(f"{inv.invoice_no}: client {inv.client_id} is not in Clients")
        ctx = worker.context(snapshot, ledger, ledger.invoices, ledger.payments)
        doc = ctx.invoice_document(inv, client)
        issued = ctx.invoice_document(inv, as_issued(client, inv, snapshot.state))
        pdf, name = worker.delivery.as_it_stands(issued, worker.today())
        stored = worker.pdfs.save(name.removesuffix(".pdf"), pdf)
        if email and worker.transport is not None:
            item = invoice_copy_item(ctx, doc, pdf, stored, worker.delivery.message, snapshot.state, report.errors)
            if item is not None:
                _send(worker, snapshot, item, report)
    return stored, report


def import_bank(worker: Worker, path: Path) -> BankImport:
    """New credits into Bank, matched ones into Payments (applied by the next cycle), in one
    write; matched against the invoices as this cycle would leave them."""
    with worker.book.lease():
        snapshot = worker.io.read()
        ledger = worker.io.ledger(snapshot)
        invoices = worker.planned(ledger).invoices
        result = import_statement(path, snapshot.tables, snapshot.state, invoices, ledger.clients,
                                  worker.config.practice.currency, worker.io.stamp(), worker.config.bank.csv)
        if result.appends or result.state:
            worker.io.commit(snapshot, Changes.of(rows=result.appends, state=result.state))
    return result


def resolve(worker: Worker, key: str, sent: bool) -> str:
    """A person's answer about an interrupted reminder or statement."""
    with worker.book.lease():
        snapshot = worker.io.read()
        try:
            state, log, done = resolution(key, snapshot.state.get(key, ""), sent, worker.io.stamp(), ACTOR,
                                          lambda tab: worker.io.header(tab, ""))
        except ValueError as exc:
            raise SheetbillError(str(exc)) from None
        worker.io.commit(snapshot, Changes.of(state=state, log=log))
    return done


def _send(worker: Worker, snapshot, item: Outgoing, report: CycleReport) -> None:
    if worker.transport is None:
        return
    outcome = send_all([item], worker.transport, Commits(worker.io, snapshot), worker.rules.email_lookup)
    report.sent, report.errors = outcome.sent, report.errors + outcome.errors
