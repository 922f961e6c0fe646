"""Sessions -> invoices: the billing plan, a pure function of the rows.

`plan_billing(ledger, rules, today)` decides which sessions are billed on
which new invoices with which numbers, which session cells are written back
(Session ID, Invoice No, Billing Status, Problem), and which rows get a
problem. The ledger (Invoices and Lines) is the truth: a session is billed
when it is on a live invoice there, whatever its own cells say.

A client who receives e-invoices never gets lines outside the scope of VAT
(O, e.g. a no-show fee) on one invoice with other lines (EN 16931 BR-O-11
to BR-O-14): in daily mode the day's outside-scope sessions get their own
invoice beside the other sessions' one; a single session that mixes them
is a Problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Iterable

from . import invoice as invoice_mod
from .invoice import invoice_row, line_row
from .lifecycle import DRAFT_PREFIX
from .limits import Limits, lines_problem
from .clients import ClientBook, ClientProblem
from .delivery import interrupted_problem
from .model import (BillingStatus, Client, Invoice, InvoiceMode, InvoiceStatus, Ledger, Line,
                    Session, SessionStatus)
from .number import ZERO, money
from .numbering import NumberPattern, Sequencer, with_ids
from .plan import CellWrite, Plan, RowAppend, RowProblem
from .pricing import PriceList, PricingProblem, discounts, session_lines
from .kind import is_credit_note
from .vat import MIXED_OUTSIDE_SCOPE, VatRules, mixes_outside_scope, needs_einvoice, outside_scope_only
from .record import record

@dataclass(frozen=True)
class BillingRules:
    """The config's billing settings, as the core needs them."""

    invoice_pattern: NumberPattern = NumberPattern("INV-{year}-{seq:04}")
    session_id_pattern: NumberPattern = NumberPattern("S-{seq:05}")
    default_mode: InvoiceMode = InvoiceMode.PER_SESSION
    default_terms_days: int = 14
    finalize: str = "auto"  # or "review"
    credit_note_pattern: NumberPattern = NumberPattern("CN-{year}-{seq:04}")
    receipt_pattern: NumberPattern = NumberPattern("RCPT-{year}-{seq:04}")
    payment_id_pattern: NumberPattern = NumberPattern("P-{seq:05}")
    no_show_service: str | None = None
    minor_unit: Decimal = Decimal("0.01")
    require_email: bool = True
    archive_after_days: int | None = None  # Paid invoices this old become Archived
    email_lookup: bool = True  # the transport can tell whether a marked email went out (not SMTP)
    limits: Limits = Limits()  # beyond them a session or payment is held with a Problem
    vat: VatRules = VatRules()  # VAT categories, notes, gross prices (config `vat:`)

    def credit_note(self, number: str) -> bool:
        """Whether `number` is in the credit notes' series."""
        return is_credit_note(number, self.credit_note_pattern)


@record
class Billable:
    session: Session
    client: Client
    lines: tuple[Line, ...]


def plan_billing(ledger: Ledger, rules: BillingRules, today: date) -> Plan:
    writes: list[CellWrite] = []
    problems: list[RowProblem] = []
    sessions = list(ledger.sessions) if all(s.session_id for s in ledger.sessions) else \
        with_ids(ledger.sessions, "sessions", "session_id", rules.session_id_pattern, is_session_row, writes)  # as plan_cycle numbers them
    on_invoice = _sessions_on_live_invoices(i for i in ledger.invoices
                                            if not is_credit_note(i.invoice_no, rules.credit_note_pattern))
    lines_by_session = _lines_by_session(ledger.lines)
    duplicates = _duplicate_ids(sessions, on_invoice)
    live_by_no = {i.invoice_no: i for i in ledger.invoices if i.live and not i.invoice_no.startswith(DRAFT_PREFIX)
                  and not is_credit_note(i.invoice_no, rules.credit_note_pattern)}
    clients = ClientBook(ledger.clients)
    prices = PriceList(ledger.services)

    billable: list[Billable] = []
    waiting: list[str] = []
    wanted: dict[int, tuple[str, BillingStatus | None, str]] = {}  # row -> (invoice no, billing status, problem)
    for s in sessions:
        invoice = on_invoice.get(s.session_id)
        if s.row in duplicates:
            wanted[s.row] = (invoice.invoice_no if invoice else "", BillingStatus.PROBLEM, duplicates[s.row])
            continue
        if invoice is not None:
            billed = tuple(l for l in lines_by_session.get(s.session_id, ()) if l.invoice_no == invoice.invoice_no)
            change = _changed_since_invoiced(s, invoice, billed, clients, rules.minor_unit)
            if not change and not rules.email_lookup and invoice.message_id and not invoice.sent_at:
                change = interrupted_problem(invoice)
            status = billing_status(invoice)
            shown = "" if invoice.invoice_no.startswith(DRAFT_PREFIX) else invoice.invoice_no
            wanted[s.row] = (shown, BillingStatus.PROBLEM if change else status, change)
            continue
        problem = _status_problem(s)
        if problem or not is_billable(s, rules):
            wanted[s.row] = ("", BillingStatus.PROBLEM if problem else None, problem)
            continue
        elsewhere = _not_its_invoice(s, live_by_no)
        if elsewhere:  # its Invoice No cell kept: the evidence, until a person settles it
            wanted[s.row] = (s.invoice_no, BillingStatus.PROBLEM, elsewhere)
            continue
        try:
            item = price_session(s, clients, prices, rules, today)
        except (PricingProblem, ClientProblem) as exc:
            wanted[s.row] = ("", BillingStatus.PROBLEM, str(exc))
            continue
        if _mode(item.client, rules) is InvoiceMode.DAILY and s.date is not None and s.date >= today:
            waiting.append(s.session_id)
            wanted[s.row] = ("", None, "")
            continue
        billable.append(item)

    # a draft's key is new to both tabs: Lines rows left by an Invoices row deleted by hand keep theirs
    taken = {i.invoice_no for i in ledger.invoices} | {l.invoice_no for l in ledger.lines} \
        if rules.finalize == "review" else set()
    new_invoices = _invoices(billable, ledger.invoices, rules, today, taken)
    number_of = {sid: inv for inv in new_invoices for sid in inv.session_ids}
    appends: list[RowAppend] = []
    for inv in new_invoices:
        appends.append(RowAppend("invoices", inv.invoice_no, invoice_row(inv)))
        appends.extend(RowAppend("lines", f"{inv.invoice_no}/{l.session_id}/{l.code}", line_row(l))
                       for l in inv.lines)
    for item in billable:
        inv = number_of[item.session.session_id]
        shown = "" if inv.invoice_no.startswith(DRAFT_PREFIX) else inv.invoice_no
        wanted[item.session.row] = (shown, billing_status(inv), "")

    for s in sessions:
        invoice_no, billing, problem = wanted[s.row]
        billing_text = billing.value if billing is not None else ""
        for name, before, after in (("invoice_no", s.invoice_no, invoice_no),
                                    ("billing_status", s.billing_status_text, billing_text),
                                    ("problem", s.problem, problem)):
            if before != after:
                writes.append(CellWrite("sessions", s.row, s.session_id, name, before, after))
        if problem:
            problems.append(RowProblem("sessions", s.row, s.session_id, problem))
    return Plan(appends=tuple(appends), writes=tuple(writes), new_invoices=tuple(new_invoices),
                problems=tuple(problems), waiting=tuple(waiting))


def is_session_row(s: Session) -> bool:
    """Whether a row without a Session ID is a session, to be numbered (and flagged when it cannot be
    billed): it has a Status (one of the four, or a text meant as one: it gets a Problem), or a Date and
    a Client. Any other row is the admin's own and is left alone, with no ID, no Problem and not
    counted: a total under the sessions (`Total` and `=SUM(E2:E40)`, a count of the Status column),
    a label, a note, a Date or a Client typed ahead of the rest."""
    if s.status is not None or (s.status_text and not _NUMBER.fullmatch(s.status_text)):
        return True
    return s.date is not None and bool(s.client)


_NUMBER = re.compile(r"[-+]?[0-9][0-9.,' ]*%?")  # a Status cell holding a number: a count, not a status


def _sessions_on_live_invoices(invoices: Iterable[Invoice]) -> dict[str, Invoice]:
    out: dict[str, Invoice] = {}
    for inv in invoices:
        if inv.live:
            for sid in inv.session_ids:
                out[sid] = inv
    return out


def _lines_by_session(lines: Iterable[Line]) -> dict[str, tuple[Line, ...]]:
    out: dict[str, list[Line]] = {}
    for line in lines:
        out.setdefault(line.session_id, []).append(line)
    return {k: tuple(v) for k, v in out.items()}


def _duplicate_ids(sessions: list[Session], on_invoice: dict[str, Invoice]) -> dict[int, str]:
    """Rows whose Session ID another row has too -> the problem text.

    Where one of the rows is the one on an invoice (it comes first), it keeps
    its invoice and only the copies are flagged."""
    rows: dict[str, list[int]] = {}
    for s in sessions:
        rows.setdefault(s.session_id, []).append(s.row)
    flagged: dict[int, str] = {}
    for sid, where in rows.items():
        if len(where) < 2:
            continue
        keep = where[0] if sid in on_invoice else None
        for r in where:
            if r != keep:
                others = ", ".join(str(o) for o in where if o != r)
                flagged[r] = f"Duplicate Session ID {sid} (also on row {others}); give this row a new ID or clear it"
    return flagged


def _status_problem(s: Session) -> str:
    if s.status is None and s.status_text:
        return f"Unknown Status '{s.status_text}' (use Scheduled, Completed, Cancelled or No-show)"
    return ""


def is_billable(s: Session, rules: BillingRules) -> bool:
    return s.status is SessionStatus.COMPLETED or (s.status is SessionStatus.NO_SHOW
                                                   and bool(rules.no_show_service))


def price_session(s: Session, clients: ClientBook, prices: PriceList, rules: BillingRules, today: date) -> Billable:
    if s.errors:
        raise PricingProblem(s.errors[0])
    if s.date is None:
        raise PricingProblem("No Date given")
    if s.date > today:
        raise PricingProblem(f"Date {s.date.isoformat()} is in the future; a session is billed once it took place")
    client = clients.resolve(s.client, require_email=rules.require_email)
    _mode(client, rules)
    lines = session_lines(s, client, prices, rules.minor_unit, rules.no_show_service, rules.vat)
    held = lines_problem(lines, rules.limits)
    if held:
        raise PricingProblem(held)
    if needs_einvoice(client) and mixes_outside_scope(lines):
        raise PricingProblem(f"Client {client.client_id} receives e-invoices: {MIXED_OUTSIDE_SCOPE}; "
                             "bill it in a session of its own")
    return Billable(s, client, lines)


def _mode(client: Client, rules: BillingRules) -> InvoiceMode:
    if client.invoice_mode is not None:
        return client.invoice_mode
    problem = mode_problem(client)
    if problem:
        raise ClientProblem(f"Client {client.client_id} {problem}")
    return rules.default_mode


def mode_problem(client: Client) -> str:
    """Why the client's Invoice Mode cannot be used ("" when it can, or is empty)."""
    if client.invoice_mode is not None or not client.unknown_invoice_mode:
        return ""
    return f"has Invoice Mode '{client.unknown_invoice_mode}' (use per-session or daily)"


_SHOWN_AS_IS = {InvoiceStatus.PARTIALLY_PAID: BillingStatus.PARTIALLY_PAID, InvoiceStatus.PAID: BillingStatus.PAID,
                InvoiceStatus.ARCHIVED: BillingStatus.ARCHIVED}


def billing_status(inv: Invoice) -> BillingStatus:
    """What a session on `inv` shows in Billing Status."""
    if inv.status is InvoiceStatus.DRAFT:
        return BillingStatus.DRAFT
    if inv.status in _SHOWN_AS_IS:
        return _SHOWN_AS_IS[inv.status]
    return BillingStatus.SENT if inv.sent_at else BillingStatus.INVOICED


def _not_its_invoice(s: Session, live_by_no: dict[str, Invoice]) -> str:
    """A sentence when the session's Invoice No names a live invoice that does not list it: its
    Session ID was changed after it was invoiced (billing it would bill the treatment twice),
    or an invoiced row was copied to log a new session."""
    inv = live_by_no.get(s.invoice_no.strip())
    if inv is None or s.session_id in inv.session_ids:
        return ""
    listed = ", ".join(inv.session_ids) or "no session"
    return (f"Invoice No {inv.invoice_no} lists {listed}, not {s.session_id}: if the Session ID was changed, put "
            f"it back (the invoice stays as sent); if this is a new session, clear its Invoice No")


def _changed_since_invoiced(s: Session, inv: Invoice, lines: tuple[Line, ...], clients: ClientBook,
                            minor: Decimal) -> str:
    """A sentence if the session's billable cells no longer match what was invoiced."""
    change = _change(s, inv, lines, clients, minor)
    if change is None:
        return ""
    what, detail = change
    return (f"{what} after it was invoiced on {inv.invoice_no}{f' ({detail})' if detail else ''}"
            "; the invoice stays as sent (void it to re-bill)")


def _change(s: Session, inv: Invoice, lines: tuple[Line, ...], clients: ClientBook,
            minor: Decimal) -> tuple[str, str] | None:
    """What changed (and from what to what), or None: checked for every invoiced session each
    cycle, so nothing is formatted until something did."""
    if s.status is not SessionStatus.COMPLETED and s.status is not SessionStatus.NO_SHOW:
        return f"Status changed to '{s.status_text}'", ""
    if not lines:
        return None
    if s.date is not None and s.date != lines[0].date:
        return "Date changed", f"{_iso(lines[0].date)} -> {s.date.isoformat()}"
    client_id = clients.id_of(s.client)
    if client_id is not None and client_id != inv.client_id:
        return "Client changed", f"{inv.client_id} -> {client_id}"
    if s.status is SessionStatus.NO_SHOW:
        return None
    quantity = s.quantity if s.quantity is not None else Decimal(1)
    if len(lines) == 1 and not s.extras:  # the usual session: one line, its service
        line = lines[0]
        if line.quantity == quantity and line.code.upper() == s.service.strip().upper():
            return _discount_changed(s, lines, minor)
    billed = sorted((l.code.upper(), l.quantity) for l in lines)
    now = sorted([(s.service.strip().upper(), quantity)] + [(e.code.upper(), e.quantity) for e in s.extras])
    if billed != now:
        return "Service, Quantity or Extras changed", f"{_items(billed)} -> {_items(now)}"
    return _discount_changed(s, lines, minor)


def _discount_changed(s: Session, lines: tuple[Line, ...], minor: Decimal) -> tuple[str, str] | None:
    """What the session's own Discount gives now against what its lines took off, if they
    differ (a client's Discount changed later is not the session's: it is not compared)."""
    if s.discount is None:
        return None
    took = money(sum((l.discount for l in lines), ZERO), minor)
    try:
        now = sum(discounts(s.discount, [money(l.quantity * l.unit_price, minor) for l in lines], minor), ZERO)
    except PricingProblem:
        now = None
    if now == took:
        return None
    shown = f"{now:f} off" if now is not None else "more than the session"
    return "Discount changed", f"{took:f} off -> {shown}"


def _items(items: list[tuple[str, Decimal]]) -> str:
    return ", ".join(f"{c} x{q.normalize():f}" for c, q in items)


def draft_key(session_id: str, taken: set[str]) -> str:
    """`DRAFT-<session>`, or `DRAFT-<session>-2`... where a dropped draft (Void) has the key
    already: its Lines rows keep that key, and a key names one invoice's lines only."""
    key, n = f"{DRAFT_PREFIX}{session_id}", 1
    while key in taken:
        n += 1
        key = f"{DRAFT_PREFIX}{session_id}-{n}"
    taken.add(key)
    return key


def _iso(d: date | None) -> str:
    return d.isoformat() if d else "?"


def _invoices(billable: list[Billable], existing: Iterable[Invoice], rules: BillingRules,
              today: date, taken: set[str]) -> list[Invoice]:
    groups: dict[tuple, list[Billable]] = {}
    for item in billable:
        s = item.session
        if _mode(item.client, rules) is InvoiceMode.DAILY:  # an e-invoice's O lines apart (BR-O-11)
            apart = needs_einvoice(item.client) and outside_scope_only(item.lines)
            key = (s.date, item.client.client_id, "O" if apart else "")
        else:
            key = (s.date, item.client.client_id, s.session_id)
        groups.setdefault(key, []).append(item)
    sequencer = Sequencer(rules.invoice_pattern, (i.invoice_no for i in existing))
    status = InvoiceStatus.DRAFT if rules.finalize == "review" else InvoiceStatus.FINALIZED
    out = []
    for key in sorted(groups, key=lambda k: (k[0], k[1], k[2])):
        items = sorted(groups[key], key=lambda i: (i.session.date, i.session.row))
        client = items[0].client
        if rules.finalize == "review":  # numbered only when the admin finalizes it
            number = draft_key(items[0].session.session_id, taken)
        else:
            number = sequencer.next(today, client.client_id)
        terms = client.terms_days if client.terms_days is not None else rules.default_terms_days
        lines = [l for item in items for l in item.lines]
        out.append(invoice_mod.assemble(number, today, today + timedelta(days=terms), client.client_id,
                                        client.name, lines, status, rules.minor_unit))
    return out
