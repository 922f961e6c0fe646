"""Invoice lifecycle: Draft -> Finalized -> (Partially) Paid -> Archived, and Void.

- Review mode: new invoices are Drafts keyed `DRAFT-<first session>`, with no
  number. When the admin sets a Draft's Status to Finalized, it gets the next
  number of the series at that moment, dated that day.
- Void: the admin sets Status Void on a finalized invoice; a credit note
  from its own gapless series takes it back (negative lines, its Sessions
  cell naming the invoice it credits) and the sessions are free to be billed
  again. A Void Draft is simply dropped. Nothing is ever deleted.
- Archived: Paid invoices older than the configured number of days.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from . import invoice as invoice_mod
from .invoice import invoice_row, line_row
from .model import Client, Invoice, InvoiceStatus
from .numbering import NumberPattern, Sequencer
from .plan import CellWrite, RowAppend
from .kind import InvoiceKind, kind_of

DRAFT_PREFIX = "DRAFT-"


def is_draft_key(number: str) -> bool:
    return number.startswith(DRAFT_PREFIX)


@dataclass(frozen=True)
class LifecycleRules:
    invoice_pattern: NumberPattern = NumberPattern("INV-{year}-{seq:04}")
    credit_note_pattern: NumberPattern = NumberPattern("CN-{year}-{seq:04}")
    default_terms_days: int = 14
    archive_after_days: int | None = None
    minor_unit: Decimal = Decimal("0.01")


@dataclass
class LifecyclePlan:
    invoices: list[Invoice]  # the ledger after this step (new numbers, credit notes, statuses)
    writes: list[CellWrite] = field(default_factory=list)
    appends: list[RowAppend] = field(default_factory=list)
    finalized: list[str] = field(default_factory=list)
    credit_notes: list[Invoice] = field(default_factory=list)


def is_credit_note(inv: Invoice, rules: LifecycleRules) -> bool:
    return kind_of(inv.invoice_no, rules.credit_note_pattern) is InvoiceKind.CREDIT_NOTE


def plan_lifecycle(invoices: tuple[Invoice, ...], clients: tuple[Client, ...], rules: LifecycleRules,
                   today: date) -> LifecyclePlan:
    plan = LifecyclePlan(invoices=list(invoices))
    terms = {c.client_id: c.terms_days for c in clients}
    numbers = Sequencer(rules.invoice_pattern, (i.invoice_no for i in invoices))
    credited = {i.session_ids[0] for i in invoices if is_credit_note(i, rules) and i.session_ids}
    credit_numbers = Sequencer(rules.credit_note_pattern, (i.invoice_no for i in invoices))
    for idx, inv in enumerate(plan.invoices):
        if is_draft_key(inv.invoice_no) and inv.status is InvoiceStatus.FINALIZED:
            days = terms.get(inv.client_id)
            plan.invoices[idx] = _finalize(inv, numbers.next(today, inv.client_id), today,
                                           days if days is not None else rules.default_terms_days, plan)
        elif (inv.status is InvoiceStatus.VOID and not is_draft_key(inv.invoice_no)
              and not is_credit_note(inv, rules) and inv.invoice_no not in credited):
            note = _credit_note(inv, credit_numbers.next(today), today, rules.minor_unit)
            plan.credit_notes.append(note)
            plan.appends.append(RowAppend("invoices", note.invoice_no, invoice_row(note)))
            plan.appends.extend(RowAppend("lines", f"{note.invoice_no}/{l.session_id}/{l.code}", line_row(l))
                                for l in note.lines)
        elif (rules.archive_after_days is not None and inv.status is InvoiceStatus.PAID
              and inv.issue_date and inv.issue_date <= today - timedelta(days=rules.archive_after_days)):
            assert inv.row is not None  # a paid invoice was read from the workbook
            plan.writes.append(CellWrite("invoices", inv.row, inv.invoice_no, "status", inv.status_text,
                                         InvoiceStatus.ARCHIVED.value))
            plan.invoices[idx] = replace(inv, status=InvoiceStatus.ARCHIVED)
    plan.invoices += plan.credit_notes
    return plan


def _finalize(draft: Invoice, number: str, today: date, terms_days: int, plan: LifecyclePlan) -> Invoice:
    lines = tuple(replace(l, invoice_no=number) for l in draft.lines)
    final = replace(draft, invoice_no=number, issue_date=today, due_date=today + timedelta(days=terms_days),
                    pdf="", lines=lines)
    final = replace(final, checksum=invoice_mod.checksum(final, lines))
    key = draft.invoice_no
    assert draft.row is not None  # a person finalizes a draft that is in the workbook
    for fld, before, after in (("invoice_no", key, number), ("issue_date", draft.issue_date, final.issue_date),
                               ("due_date", draft.due_date, final.due_date), ("pdf", draft.pdf, ""),
                               ("checksum", draft.checksum, final.checksum)):
        if before != after:
            plan.writes.append(CellWrite("invoices", draft.row, key, fld, before, after))
    for line in draft.lines:
        assert line.row is not None
        plan.writes.append(CellWrite("lines", line.row, f"{key}/{line.session_id}/{line.code}", "invoice_no",
                                     key, number))
    plan.finalized.append(number)
    return final


def _credit_note(voided: Invoice, number: str, today: date, minor: Decimal) -> Invoice:
    lines = tuple(replace(l, invoice_no=number, quantity=-l.quantity, discount=-l.discount, net=-l.net,
                          tax=-l.tax, total=-l.total, row=None) for l in voided.lines)
    note = Invoice(invoice_no=number, issue_date=today, due_date=today, client_id=voided.client_id,
                   client_name=voided.client_name, session_ids=(voided.invoice_no,), net=-voided.net,
                   tax=-voided.tax, total=-voided.total, paid=Decimal(0), balance=Decimal(0),
                   status=InvoiceStatus.FINALIZED, lines=lines)
    return replace(note, checksum=invoice_mod.checksum(note, lines))
