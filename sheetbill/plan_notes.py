"""What a cycle's plan tells the admin, in the cycle's report: the Problems still shown, the
invoices of clients missing from Clients, the sessions waiting for their day to end; once the
plan is written, the invoices created, what was done item by item, and the invoices a price
added with a past Valid From leaves at the old price."""

from __future__ import annotations

from typing import Callable

from .book.cycle_book import Reading
from .core.billing import BillingRules
from .core.actions import NOTE, Action, of_cycle
from .core.cycle import CyclePlan
from .core.missing_client import missing_clients
from .core.repriced import price_notes
from .cycle_report import CycleReport
from .problems import still_shown


def before_commit(report: CycleReport, seen: Reading, cycle: CyclePlan, rules: BillingRules) -> None:
    plan = cycle.plan
    report.problems = still_shown(seen.snapshot.tables, plan.problems, plan.writes) + report.problems
    report.flags = report.flags + missing_clients(seen.ledger.clients, cycle.invoices, rules.minor_unit)
    report.waiting = len(plan.waiting)


def after_commit(report: CycleReport, seen: Reading, cycle: CyclePlan, rules: BillingRules,
                 header: Callable[[str, str], str]) -> None:
    report.created = cycle.created
    report.actions += of_cycle(seen.ledger, cycle, rules.credit_note, rules.minor_unit)
    report.actions += [Action(NOTE, "", detail=note) for note in price_notes(
        seen.people, header("services", ""), seen.ledger.services, seen.ledger.invoices,
        rules.credit_note, rules.minor_unit)]
