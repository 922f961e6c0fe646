"""Payments that come in before a cycle plans, so that it applies them at once: card
payments and AutoPay's charges (Stripe), the statement files dropped in the bank folder,
and the Bank rows a person matched. Each step is one write, then the workbook is read
again. After the plan, the card pay links of what is left open, and the emails owed to
clients whose AutoPay card was declined."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Callable

from ..book.base import Snapshot
from ..book.cycle_book import Commits, CycleBook, Reading
from ..config import Config
from ..core import changelog
from ..core.account import Account
from ..core.changes import Changes
from ..core.cycle import CyclePlan
from ..core.model import Client, Invoice, Ledger
from ..cycle_report import CycleReport
from ..deliver.base import Transport
from ..deliver.exactly_once import Outcome, send_all
from ..errors import SheetbillError
from .bank_import import confirmed_payments, import_statement

log = logging.getLogger("sheetbill")
Planner = Callable[[Ledger], CyclePlan]  # the cycle's plan of a ledger (today's, with the config's rules)


def card_payments(card, book: CycleBook, seen: Reading, plan: Planner, now: datetime,
                  report: CycleReport) -> Reading:
    """The card service's events, then AutoPay's charges, into Payments."""
    from .card_cycle import declined_problems

    for step in ("events", "autopay"):
        snapshot = seen.snapshot
        if step == "events":
            done = card.events(snapshot.tables, snapshot.state, now)
        else:
            done = card.autopay(snapshot.tables, snapshot.state, lambda led=seen.ledger: plan(led).invoices, now)
            report.problems += declined_problems(done)
        report.errors += done.errors
        if done.appends or done.state or done.writes:  # writes: Stripe Customer, a decided dispute's Problem
            seen = book.commit_and_read(seen, Changes.of(done.writes, done.appends, done.state))
    return seen


def bank_folder(config: Config, book: CycleBook, seen: Reading, plan: Planner, now: datetime,
                report: CycleReport) -> Reading:
    """`sheetbill bank import` for each new file of payments.bank.folder (payments/bank_folder.py)."""
    from .bank_folder import new_statements

    folder = config.bank.folder
    assert folder is not None  # called only when payments.bank.folder is set
    for path in new_statements(folder, seen.snapshot.state):
        snapshot = seen.snapshot
        invoices = plan(seen.ledger).invoices
        try:
            result = import_statement(path, snapshot.tables, snapshot.state, invoices, seen.ledger.clients,
                                      config.practice.currency, changelog.utc_stamp(now), config.bank.csv)
        except SheetbillError as exc:  # StatementError: one line, the other files go on
            report.errors.append(str(exc))
            continue
        log.info("bank: %s", result.line())
        if result.appends or result.state:
            seen = book.commit_and_read(seen, Changes.of(rows=result.appends, state=result.state))
    return seen


def matched_bank_rows(book: CycleBook, seen: Reading) -> Reading:
    """Bank rows a person matched, into Payments."""
    appends, writes = confirmed_payments(seen.snapshot.tables)
    if not appends:
        return seen
    return book.commit_and_read(seen, Changes.of(writes, appends))


def pay_links(card, config: Config, book: CycleBook, seen: Reading, clients: tuple[Client, ...],
              invoices: list[Invoice], credit_note: Callable[[str], bool], transport: Transport | None,
              lookup: bool, today: date, now: datetime, report: CycleReport,
              account: Callable[[str], Account]) -> tuple[dict[str, str], Snapshot]:
    """Pay links for what is open (invoice -> link), then the emails owed to clients whose AutoPay
    card was declined (with what `account(client_id)` has open on each linked invoice) or whose
    card set-up link is due; and the snapshot as the last write left it."""
    from .card_cycle import declined_emails

    snapshot = seen.snapshot
    run = card.links(snapshot.tables, snapshot.state, invoices, credit_note)
    report.errors += run.errors
    if run.writes or run.state:
        snapshot = book.commit(snapshot, Changes.of(run.writes, state=run.state)).snapshot
    mails = declined_emails(config, today, changelog.utc_stamp(now), clients, invoices, snapshot.state,
                            transport is not None, account, report.errors)
    mails += card.setup_emails(config, snapshot.tables, snapshot.state,  # AutoPay's card set-up
                               changelog.utc_stamp(now), transport is not None, lookup, report, clients)
    if mails:
        commits = Commits(book, snapshot)
        send_all(mails, transport, commits, lookup,
                 out=Outcome(report.sent, report.errors, recorded=report.recorded, failed=report.unsent))
        snapshot = commits.snapshot
    return run.urls, snapshot
