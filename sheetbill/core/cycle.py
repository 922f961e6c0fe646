"""The whole plan of one cycle, as one pure function of the rows.

drafts (dropped where their sessions changed) -> lifecycle (finalize drafts,
credit notes for voids, archive) -> billing
(new invoices for completed sessions) -> payments (applied to every invoice,
the new ones too) -> cash register. Each step sees the ledger as the steps
before it leave it; all their writes go into one commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Mapping

from .billing import BillingRules, billing_status, is_session_row, plan_billing
from .cash import plan_cash
from .delivery import flag_unknown
from .drafts import Redraft, plan_drafts
from .invoice import invoice_row
from .lifecycle import LifecycleRules, plan_lifecycle
from .model import BillingStatus, Invoice, Ledger, Payment, Session
from .numbering import with_ids
from .payments import PaymentRules, Receipt, plan_payments
from .plan import CellWrite, Plan, RowAppend, RowProblem
from .kind import is_credit_note


@dataclass(frozen=True)
class CyclePlan:
    plan: Plan  # every write of the cycle (billing's new invoices in plan.new_invoices)
    invoices: tuple[Invoice, ...]  # the ledger's invoices after this cycle, paid and balanced
    credit_notes: tuple[Invoice, ...] = ()
    finalized: tuple[str, ...] = ()
    receipts: tuple[Receipt, ...] = ()
    notes: tuple[str, ...] = field(default=())
    payments: tuple[Payment, ...] = ()  # the Payments rows after this cycle (Applied To, Receipt No)
    client_balances: Mapping[str, tuple[Decimal, Decimal]] = field(default_factory=dict)  # id -> balance, credit
    redrafts: tuple[Redraft, ...] = ()  # drafts dropped to be made again from their sessions
    sessions: tuple[Session, ...] = ()  # the Sessions rows as numbered: a row typed without a Session ID
    # has the one this cycle gives it (the admin's own rows, a total or a label, left out); every step
    # after the plan that looks a session up by its ID (Dashboard, emails, superbills) takes them from here

    @property
    def created(self) -> list[str]:
        """The numbers this cycle gives: new invoices, credit notes, then drafts finalized."""
        return [i.invoice_no for i in self.plan.new_invoices + self.credit_notes] + list(self.finalized)


def lifecycle_rules(rules: BillingRules) -> LifecycleRules:
    return LifecycleRules(invoice_pattern=rules.invoice_pattern, credit_note_pattern=rules.credit_note_pattern,
                          default_terms_days=rules.default_terms_days, archive_after_days=rules.archive_after_days,
                          minor_unit=rules.minor_unit)


def payment_rules(rules: BillingRules) -> PaymentRules:
    return PaymentRules(receipt_pattern=rules.receipt_pattern, payment_id_pattern=rules.payment_id_pattern,
                        credit_note_pattern=rules.credit_note_pattern, minor_unit=rules.minor_unit,
                        limits=rules.limits)


def plan_cycle(ledger: Ledger, rules: BillingRules, today: date) -> CyclePlan:
    drafts = plan_drafts(ledger, rules, today)
    ledger = replace(ledger, invoices=drafts.invoices)
    life = plan_lifecycle(ledger.invoices, ledger.clients, lifecycle_rules(rules), today)
    numbering: list[CellWrite] = []  # numbered once, here: billing and all after it see the same IDs
    sessions = tuple(with_ids(ledger.sessions, "sessions", "session_id", rules.session_id_pattern, is_session_row,
                              numbering))
    ledger = replace(ledger, sessions=sessions)
    billing = plan_billing(replace(ledger, invoices=tuple(life.invoices)), rules, today)
    invoices = tuple(life.invoices) + billing.new_invoices
    pay = plan_payments(replace(ledger, invoices=invoices), invoices, payment_rules(rules), today,
                        {c.client_id: (c.balance, c.credit) for c in ledger.clients if c.client_id})
    settled = pay.settled(invoices)
    cash = plan_cash(ledger.cash, pay.payments, rules.minor_unit, pay.waiting)
    by_no = {i.invoice_no: i for i in settled}
    made = {i.invoice_no: i for i in tuple(life.credit_notes) + billing.new_invoices}  # the invoices appended
    appends = tuple(_settled_append(a, by_no, made) for a in tuple(life.appends) + billing.appends)
    unknown_writes, unknown = ([], []) if rules.email_lookup else flag_unknown(
        settled, pay.payments, lambda n: is_credit_note(n, rules.credit_note_pattern))
    writes = merge(drafts.writes, life.writes, numbering, billing.writes, pay.writes, cash.writes,
                   _status_after_payments(ledger, billing, settled, rules), unknown_writes)
    plan = Plan(appends=appends, writes=writes,
                new_invoices=tuple(by_no[i.invoice_no] for i in billing.new_invoices),
                problems=billing.problems + pay.problems + tuple(unknown) + _unknown_statuses(ledger.invoices)
                + cash.problems,
                waiting=billing.waiting)
    credit_notes = tuple(by_no[i.invoice_no] for i in life.credit_notes)
    return CyclePlan(plan, settled, credit_notes, tuple(life.finalized), pay.receipts, tuple(cash.notes),
                     pay.payments, pay.client_balances, drafts.redrafts, sessions)


def _unknown_statuses(invoices: tuple[Invoice, ...]) -> tuple[RowProblem, ...]:
    """Invoices rows whose Status names no status: said, and left as they are until it does."""
    return tuple(RowProblem("invoices", i.row, i.invoice_no,
                            f"Status '{i.unknown_status.strip()}' is not an invoice status "
                            "(use Draft, Finalized, Void or Archived)")
                 for i in invoices if i.row is not None and i.status is None and i.unknown_status.strip())


def _settled_append(a: RowAppend, by_no: dict[str, Invoice], made: dict[str, Invoice]) -> RowAppend:
    """A new invoice's row with what payments made of it in this same cycle (`made`: the
    invoices as their rows were made)."""
    if a.tab != "invoices" or a.key not in by_no or by_no[a.key] is made.get(a.key):
        return a
    return replace(a, values=invoice_row(by_no[a.key]))


def _status_after_payments(ledger: Ledger, billing: Plan, settled: tuple[Invoice, ...],
                           rules: BillingRules) -> list[CellWrite]:
    """Sessions' Billing Status once payments are applied (Paid shows the same cycle); `ledger`'s
    sessions are numbered."""
    shown = {w.row: w.after for w in billing.writes if w.tab == "sessions" and w.field == "billing_status"}
    on = {sid: inv for inv in settled if inv.live and not is_credit_note(inv.invoice_no, rules.credit_note_pattern)
          for sid in inv.session_ids}
    out = []
    for s in ledger.sessions:
        current = shown.get(s.row, s.billing_status_text)  # the cell's text, as the billing step left it
        inv = on.get(s.session_id)
        if inv is None or current in (BillingStatus.PROBLEM.value, ""):
            continue
        wanted = billing_status(inv).value
        if wanted != current:
            out.append(CellWrite("sessions", s.row, s.session_id, "billing_status", s.billing_status_text, wanted))
    return out


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
