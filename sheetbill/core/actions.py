"""What one cycle did, item by item: the run's account of itself and what `preview` lists.

Each `Action` is one thing a person would notice: an invoice numbered, a
payment applied, an email sent. They are taken from the cycle's own plan
(and from what it then sent), so `run` and `preview` tell the same story.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable

from .cycle import CyclePlan
from .model import Invoice, InvoiceStatus, Ledger, Payment
from .number import fmt
from .payments import CREDIT, format_applied
from .plan import CellWrite, RowAppend

# kinds, in the order a listing shows them
RESTORED = "restored"
NUMBERED = "numbered"  # a draft finalized (review mode) and given its number
INVOICE = "invoice"
DRAFT = "draft"  # a new invoice waiting for review
REDRAFTED = "redrafted"  # a draft dropped to be made again from its sessions
CREDIT_NOTE = "credit_note"
ARCHIVED = "archived"
PAYMENT = "payment"
REFUND = "refund"
RECEIPT = "receipt"
CASH = "cash"
NOTE = "note"
PDF = "pdf"
EMAIL = "email"
KINDS = (RESTORED, NUMBERED, REDRAFTED, INVOICE, DRAFT, CREDIT_NOTE, ARCHIVED, PAYMENT, REFUND, RECEIPT, CASH, NOTE, PDF, EMAIL)


@dataclass(frozen=True)
class Action:
    """One thing a cycle does. `reference`: the invoice, payment, receipt, day or
    email it is about; `recipient`: the client, or an email's addressee."""

    kind: str
    reference: str
    amount: Decimal | None = None
    recipient: str = ""
    detail: str = ""
    tab: str = ""  # a restoration's: the tab whose row it set back


Header = Callable[[str, str], str]  # (tab, field) -> the column's header in the workbook


def restored(writes: Iterable[CellWrite], appends: Iterable[RowAppend], header: Header,
             cleared: Iterable[CellWrite] = ()) -> list[Action]:
    """Edits to finalized invoices undone, their deleted rows put back, rows added by hand cleared."""
    out = [Action(RESTORED, w.key, detail=f"{header(w.tab, w.field)}: {_shown(w.before)} back to {_shown(w.after)}",
                  tab=w.tab) for w in writes]
    out += [Action(RESTORED, a.key, detail=_put_back(a, header), tab=a.tab) for a in appends]
    rows = dict.fromkeys((w.tab, w.key) for w in cleared)
    out += [Action(RESTORED, key, detail=f"{header(tab, '')} {CLEARED_ROW}") for tab, key in rows]
    return out


CLEARED_ROW = "row added by hand cleared"


def undid_an_edit(action: Action) -> bool:
    """A restoration that set a finalized invoice back (not a row added by hand, cleared, nor a
    receipted payment, whose own attention says what to do instead)."""
    return action.kind == RESTORED and action.tab != "payments" and not action.detail.endswith(CLEARED_ROW)


def _put_back(a: RowAppend, header: Header) -> str:
    said = f"deleted {header(a.tab, '')} row put back"
    receipt = a.values.get("receipt_no") if a.tab == "payments" else None
    if not receipt:
        return said
    return (f"{said}: its receipt {receipt} was issued, so it stays in the books and its number is not "
            "given again; to take back money entered by mistake, enter a refund (a negative Amount)")


def of_cycle(ledger: Ledger, cycle: CyclePlan, is_credit_note: Callable[[str], bool],
             minor: Decimal = Decimal("0.01")) -> list[Action]:
    """Everything the cycle's commit does that a person cares about (emails and PDFs come later)."""
    by_no = {i.invoice_no: i for i in cycle.invoices}
    out = [_invoice(NUMBERED, by_no[n], "draft finalized") for n in cycle.finalized if n in by_no]
    out += redrafted(cycle)
    for inv in cycle.plan.new_invoices:
        draft = inv.status is InvoiceStatus.DRAFT
        out.append(_invoice(DRAFT if draft else INVOICE, inv, "sessions " + ", ".join(inv.session_ids)))
    out += [_invoice(CREDIT_NOTE, cn, "voids " + ", ".join(cn.session_ids)) for cn in cycle.credit_notes]
    out += [Action(ARCHIVED, w.key, detail="paid, archived") for w in cycle.plan.writes
            if w.tab == "invoices" and w.field == "status" and w.after == InvoiceStatus.ARCHIVED.value]
    names = {c.client_id: f"{c.client_id} {c.name}" for c in ledger.clients if c.client_id}
    out += payments_applied(ledger.payments, cycle.payments, by_no, names, minor)
    out += [Action(RECEIPT, r.receipt_no, r.amount, names.get(r.client_id, r.client_id),
                   f"{'refund' if r.amount < 0 else 'payment'} {r.payment_id} ({r.method})") for r in cycle.receipts]
    out += cash_days(cycle.plan.writes, minor)
    out += [Action(NOTE, "", detail=note) for note in cycle.notes]
    return out


def redrafted(cycle: CyclePlan) -> list[Action]:
    """Drafts dropped because their sessions, prices or amounts changed, and the drafts made again."""
    made = {sid: inv.invoice_no for inv in cycle.plan.new_invoices for sid in inv.session_ids}
    out = []
    for r in cycle.redrafts:
        again = sorted({made[sid] for sid in r.sessions if sid in made})
        detail = f"made again as {', '.join(again)}: {r.why}" if again else f"dropped: {r.why}"
        if r.was_finalized:
            detail += "; it was not numbered: set the new draft's Status to Finalized again" if again else \
                "; it was not numbered"
        out.append(Action(REDRAFTED, r.key, detail=detail))
    return out


def _invoice(kind: str, inv: Invoice, detail: str) -> Action:
    return Action(kind, inv.invoice_no, inv.total, f"{inv.client_id} {inv.client_name}".strip(), detail)


def payments_applied(before: Iterable[Payment], after: Iterable[Payment], invoices: dict[str, Invoice],
              names: dict[str, str], minor: Decimal) -> list[Action]:
    """Payments whose Applied To grows this cycle: new payments, refunds, credit that pays a new invoice."""
    was = {p.row: p.applied for p in before}
    out = []
    for p in after:
        old = was.get(p.row, ())
        new = p.applied[len(old):] if p.applied[:len(old)] == old else p.applied
        if not new:
            continue
        fresh = not old
        refund = p.amount is not None and p.amount < 0
        spent = [a for a in new if a.invoice_no != CREDIT]
        amount = p.amount if fresh else sum((a.amount for a in spent), Decimal(0))
        client = p.client or next((invoices[a.invoice_no].client_id for a in new if a.invoice_no in invoices), "")
        what = "refund out of credit" if refund else ("applied to " if fresh else "credit applied to ")
        out.append(Action(REFUND if refund else PAYMENT, p.payment_id, amount, names.get(client, client),
                          what if refund else what + format_applied(new, minor)))
    return out


def cash_days(writes: Iterable[CellWrite], minor: Decimal) -> list[Action]:
    """The Cash tab's days that change, one line each."""
    days: dict[tuple[int, str], list[CellWrite]] = {}
    for w in writes:
        if w.tab == "cash":
            days.setdefault((w.row, w.key), []).append(w)
    names = {"cash_in": "Cash In", "cash_out": "Cash Out", "expected": "Expected", "variance": "Variance",
             "status": "Status"}
    out = []
    for (_, key), cells in days.items():
        order = sorted(cells, key=lambda w: list(names).index(w.field) if w.field in names else len(names))
        out.append(Action(CASH, key or "(no date)", detail=", ".join(
            f"{names.get(w.field, w.field)} {_shown(w.after, minor)}" for w in order)))
    return out


def _shown(value: object, minor: Decimal = Decimal("0.01")) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, Decimal):
        return fmt(value, minor)
    return str(value)
