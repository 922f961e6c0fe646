"""The card service's events as Payments rows, each exactly once.

A payment that succeeded becomes a row (Method Card, Reference the
PaymentIntent, Date the day it was paid, local time); a refund a negative
row (Reference the refund) naming the client and the invoice of the payment
it refunds (an AutoPay charge's: the invoices its money went to, `INV-1,
INV-2`), so that a refund of a paid invoice says to void it, and what was
taken back from each (core.payments); a dispute a
negative row with a Problem for a person (the row waits, unapplied, until
the person clears it: core.payments DISPUTED), and its decision, won or
lost, settles that row (card_disputes.py). Once only: a row whose Reference
is already in Payments is never added again, and the cursor
(`stripe/events_since` in `_sheetbill`, the time of the newest event seen,
with the ids of that second's events in `stripe/events_seen`) is written in
the same write as the rows and cells; the next run reads from that second on
and skips the events it names, so a row a person deleted is not added again.

A client who finished AutoPay's card set-up gets their customer in the
Stripe Customer cell, in that same write (autopay_setup.py).

A payment made on the link of an invoice set Void before the payment came in
names only its client: it pays the client's oldest open invoices (the one the
void invoice's sessions are billed on again) or is their credit, instead of
waiting with a Problem while the invoice made again asks for it a second time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from decimal import Decimal

from ..book.cells import text
from ..book.table import Table
from ..core.model import PaymentMethod
from ..core.model import InvoiceStatus
from ..core.account import NOT_ON_INVOICES
from ..core.payments import DISPUTED, join_refs, parse_applied
from ..core.status import invoice_status
from ..core.plan import CellWrite, RowAppend
from .autopay_setup import saved_card
from .card_disputes import DECIDED, DisputeRow, decided, dispute_rows
from .card_gateway import CardEvent
from .card_money import from_minor, local_day

CURSOR = "stripe/events_since"
SEEN = "stripe/events_seen"  # the ids of the events of the cursor's second, read again next run and skipped
FIRST_LOOK_BACK = 30 * 86400  # the first run reads the last 30 days
DISPUTE = (f"{DISPUTED} on Stripe: answer the dispute in the Stripe dashboard; once it is decided, the next run "
           "settles this row (won: nothing is taken off the client's account; lost: it is applied as money the bank took back). "
           "AutoPay leaves this client alone until then")


@dataclass
class EventImport:
    appends: list[RowAppend] = field(default_factory=list)
    state: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    writes: list[CellWrite] = field(default_factory=list)  # Stripe Customer cells of finished card set-ups,
    # the Problem cells of decided disputes' rows (card_disputes.py)


def since(state: Mapping[str, str], now: int) -> int:
    try:
        return int(state.get(CURSOR, "") or now - FIRST_LOOK_BACK)
    except ValueError:
        return now - FIRST_LOOK_BACK


def card_rows(payments: Table | None) -> dict[str, tuple[str, str]]:
    """Card payments by Reference: (client, invoices): the Invoice No, else the invoices its money went
    to, in Applied To's order (an AutoPay charge names only the client, and may pay several at once:
    `INV-2026-0001, INV-2026-0002`), so that a refund of it names the invoices it paid."""
    if payments is None or not payments.exists:
        return {}
    card = PaymentMethod.CARD.value.lower()
    return {text(payments.get(v, "reference")): (text(payments.get(v, "client")),
                                                 text(payments.get(v, "invoice_no")) or _invoices_paid(payments, v))
            for _, v in payments.rows if text(payments.get(v, "method")).lower() == card}


def _invoices_paid(payments: Table, values: tuple[object, ...]) -> str:
    try:
        applied = parse_applied(text(payments.get(values, "applied_to")))
    except ValueError:
        return ""
    return join_refs(dict.fromkeys(a.invoice_no for a in applied if a.invoice_no not in NOT_ON_INVOICES))


def void_invoices(invoices: Table | None) -> set[str]:
    """The numbers of the invoices whose Status says Void."""
    if invoices is None or not invoices.exists:
        return set()
    return {text(invoices.get(v, "invoice_no")) for _, v in invoices.rows
            if invoice_status(text(invoices.get(v, "status"))) is InvoiceStatus.VOID}


def import_events(events: list[CardEvent], tables: Mapping[str, Table], state: Mapping[str, str], currency: str,
                  minor_unit: Decimal, tz: tzinfo) -> EventImport:
    result = EventImport()
    known = card_rows(tables.get("payments"))
    void: set[str] | None = None  # read from Invoices once a payment needs it, not every run
    disputes: dict[str, DisputeRow] | None = None  # read from Payments once a dispute is decided
    cursor, seen = state.get(CURSOR, ""), set(state.get(SEEN, "").split())
    newest, at_newest = 0, set[str]()
    for ev in events:
        if ev.created > newest:
            newest, at_newest = ev.created, set()
        at_newest.add(ev.event_id)
        if str(ev.created) == cursor and ev.event_id in seen:
            continue  # imported by an earlier run (its row may since have been deleted by a person)
        if ev.kind == "card_saved":
            write, error = saved_card(ev, tables.get("clients"))
            if write is not None and all(w.key != write.key for w in result.writes):
                result.writes.append(write)
            if error and error not in result.errors:
                result.errors.append(error)
            continue
        if ev.kind in DECIDED:
            disputes = disputes if disputes is not None else dispute_rows(tables.get("payments"))
            write, error = decided(ev, disputes, result.appends, minor_unit, tz)
            if write is not None:
                result.writes.append(write)
            if error:
                result.errors.append(error)
            continue
        if ev.reference in known:
            continue
        if ev.currency.lower() != currency.lower():
            result.errors.append(f"{ev.reference}: in {ev.currency.upper()}, not {currency}; left for a person")
            continue
        amount = from_minor(ev.amount, minor_unit)
        client, invoice_no = ev.metadata.get("client_id", ""), ev.metadata.get("invoice_no", "")
        problem = ""
        if ev.kind == "paid" and invoice_no and invoice_no in (
                void := void if void is not None else void_invoices(tables.get("invoices"))):
            invoice_no = ""  # the client's money: their oldest open invoices, else credit
        if ev.kind != "paid":
            client, invoice_no = known.get(ev.intent, (client, invoice_no))
            amount = -amount
            if ev.kind == "disputed":
                problem = DISPUTE
        values = {"date": local_day(ev.created, tz), "client": client, "invoice_no": invoice_no, "amount": amount,
                  "method": PaymentMethod.CARD.value, "reference": ev.reference}
        if problem:
            values["problem"] = problem
        result.appends.append(RowAppend("payments", ev.reference, values))
        known[ev.reference] = (client, invoice_no)
    if newest and str(newest) != cursor:
        result.state[CURSOR] = str(newest)
    if newest:
        ids = " ".join(sorted(at_newest | (seen if str(newest) == cursor else set())))
        if ids != state.get(SEEN, ""):
            result.state[SEEN] = ids
    return result
