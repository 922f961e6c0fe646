"""Drafts follow their sessions (review mode).

A draft is what its sessions and the price list say, waiting for the admin to
finalize it. When that is no longer so (a session's Quantity, Discount,
Service, Extras, Date, Client or Status changed, a session is gone, a price
or the client's discount changed, or the draft's own amounts were typed
over), the draft is dropped (Status Void, as a person drops one) before the
cycle goes on, and billing makes it again from its sessions under a key of
its own. A draft the admin had set to Finalized is not numbered then: the
new draft waits for that again, and `run` says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from . import invoice as invoice_mod
from .billing import BillingRules, is_billable, price_session
from .clients import ClientBook, ClientProblem
from .lifecycle import is_draft_key
from .model import Invoice, InvoiceStatus, Ledger, Session
from .plan import CellWrite
from .pricing import PriceList, PricingProblem

HAND = "its amounts were changed by hand (a draft is made from its sessions and the price list: change those)"


@dataclass(frozen=True)
class Redraft:
    key: str  # the draft dropped
    sessions: tuple[str, ...]  # its sessions, on the draft made again
    why: str  # for a person
    was_finalized: bool  # the admin had set it to Finalized


@dataclass(frozen=True)
class DraftPlan:
    invoices: tuple[Invoice, ...]  # the ledger's invoices, the stale drafts Void
    writes: tuple[CellWrite, ...] = ()
    redrafts: tuple[Redraft, ...] = ()


def plan_drafts(ledger: Ledger, rules: BillingRules, today: date) -> DraftPlan:
    drafts = [i for i in ledger.invoices if is_draft_key(i.invoice_no)
              and i.status in (InvoiceStatus.DRAFT, InvoiceStatus.FINALIZED)]
    if not drafts:
        return DraftPlan(ledger.invoices)
    sessions: dict[str, Session] = {}
    for s in ledger.sessions:
        sessions.setdefault(s.session_id, s)
    clients, prices = ClientBook(ledger.clients), PriceList(ledger.services)
    redrafts, writes, rows = [], [], set()
    for draft in drafts:
        why = stale_because(draft, sessions, clients, prices, rules, today)
        if why and draft.row is not None:
            redrafts.append(Redraft(draft.invoice_no, draft.session_ids, why, draft.status is InvoiceStatus.FINALIZED))
            writes.append(CellWrite("invoices", draft.row, draft.invoice_no, "status", draft.status_text,
                                    InvoiceStatus.VOID.value))
            rows.add(draft.row)
    invoices = tuple(replace(i, status=InvoiceStatus.VOID) if i.row in rows else i for i in ledger.invoices)
    return DraftPlan(invoices, tuple(writes), tuple(redrafts))


def stale_because(draft: Invoice, sessions: dict[str, Session], clients: ClientBook, prices: PriceList,
                  rules: BillingRules, today: date) -> str:
    """Why `draft` no longer says what its sessions and the price list say; "" while it does."""
    said = invoice_mod.checksum(draft, draft.lines)
    if draft.checksum and said != draft.checksum:
        return HAND
    items = []
    for sid in draft.session_ids:
        s = sessions.get(sid)
        if s is None:
            return f"session {sid} is no longer in Sessions"
        if not is_billable(s, rules):
            return f"session {sid} is {s.status_text or 'without a Status'} now"
        try:
            items.append(price_session(s, clients, prices, rules, today))
        except (PricingProblem, ClientProblem) as exc:
            return f"session {sid}: {exc}"
    if any(item.client.client_id != draft.client_id for item in items):
        return "the client of its sessions changed"
    # in the draft's own order of sessions: sorting the Sessions tab changes nothing
    again = invoice_mod.assemble(draft.invoice_no, draft.issue_date or today, draft.due_date or today,
                                 draft.client_id, draft.client_name, [l for item in items for l in item.lines],
                                 InvoiceStatus.DRAFT, rules.minor_unit)
    return "" if again.checksum == said else "its sessions, prices or discounts changed"
