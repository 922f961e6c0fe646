"""The whole plan of one cycle, as one pure function of the rows.

lifecycle (finalize drafts, credit notes for voids, archive) -> billing
(new invoices for completed sessions) -> payments -> cash register. Each
step sees the ledger as the steps before it leave it; all their writes go
into one commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from .billing import BillingRules, plan_billing
from .lifecycle import LifecycleRules, plan_lifecycle
from .model import Invoice, Ledger
from .plan import CellWrite, Plan, RowAppend


@dataclass(frozen=True)
class CyclePlan:
    plan: Plan  # every write of the cycle (billing's new invoices in plan.new_invoices)
    invoices: tuple[Invoice, ...]  # the ledger's invoices after this cycle
    credit_notes: tuple[Invoice, ...] = ()
    finalized: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())


def lifecycle_rules(rules: BillingRules) -> LifecycleRules:
    return LifecycleRules(invoice_pattern=rules.invoice_pattern, credit_note_pattern=rules.credit_note_pattern,
                          default_terms_days=rules.default_terms_days, archive_after_days=rules.archive_after_days,
                          minor_unit=rules.minor_unit)


def plan_cycle(ledger: Ledger, rules: BillingRules, today: date) -> CyclePlan:
    life = plan_lifecycle(ledger.invoices, ledger.clients, lifecycle_rules(rules), today)
    billing = plan_billing(replace(ledger, invoices=tuple(life.invoices)), rules, today)
    invoices = tuple(life.invoices) + billing.new_invoices
    plan = Plan(appends=tuple(life.appends) + billing.appends,
                writes=merge(life.writes, billing.writes),
                new_invoices=billing.new_invoices, problems=billing.problems, waiting=billing.waiting)
    return CyclePlan(plan, invoices, tuple(life.credit_notes), tuple(life.finalized))


def merge(*groups) -> tuple[CellWrite, ...]:
    """Writes of several steps: a later step's write to the same cell wins,
    keeping the first step's `before` (what the sheet held)."""
    cells: dict[tuple[str, int, str], CellWrite] = {}
    for group in groups:
        for w in group:
            slot = (w.tab, w.row, w.field)
            first = cells.get(slot)
            cells[slot] = w if first is None else replace(w, before=first.before)
    return tuple(w for w in cells.values() if w.before != w.after)


__all__ = ["CyclePlan", "plan_cycle", "merge", "RowAppend"]
