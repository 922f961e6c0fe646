"""`sheetbill audit`: what an auditor checks, as findings (sentences).

- the Changelog's hash chain is unbroken;
- every number series (invoices, credit notes, receipts) has no gap and no duplicate;
- every ledger total adds up (lines -> invoice net, tax per rate, total; checksums);
- each session is on at most one live invoice;
- the projections (sessions' Invoice No, invoices' Paid and Balance) match the ledger, and each
  invoice's Paid is what its client's account, from which the documents are made, has on it
  (`audit_accounts`);
- no email's outcome is unknown (`unknown_sends`: interrupted sends a person must check).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Iterable, Sequence

from .audit_accounts import account_findings
from .changelog import Change, broken_links
from .invoice import checksum, tax_summary
from .lifecycle import is_draft_key
from .model import Client, Invoice, InvoiceStatus, Payment, Session
from .number import ZERO
from .numbering import NumberPattern, gaps_and_duplicates
from .kind import is_credit_note


def audit(changes: Sequence[Change], invoices: Sequence[Invoice], sessions: Sequence[Session],
          payments: Sequence[Payment], patterns: dict[str, NumberPattern], minor: Decimal,
          unknown_sends: Sequence[str] = (), clients: Sequence[Client] = (),
          receipts_issued: Sequence[str] = ()) -> list[str]:
    findings = broken_links(changes)
    findings += _series(invoices, payments, patterns)
    findings += _receipts_lost(payments, receipts_issued)
    findings += _totals(invoices, minor)
    findings += _one_live_invoice(invoices, patterns["credit_note"])
    findings += _projections(invoices, sessions, payments, patterns["credit_note"])
    if clients:
        findings += account_findings(clients, invoices, payments,
                                     lambda number: is_credit_note(number, patterns["credit_note"]), minor)
    findings += list(unknown_sends)
    return findings


def _series(invoices: Iterable[Invoice], payments: Iterable[Payment], patterns: dict[str, NumberPattern]) -> list[str]:
    numbers = [i.invoice_no for i in invoices if not is_draft_key(i.invoice_no)]
    out = gaps_and_duplicates(patterns["invoice"], numbers)
    out += gaps_and_duplicates(patterns["credit_note"], numbers)
    out += gaps_and_duplicates(patterns["receipt"], [p.receipt_no for p in payments if p.receipt_no])
    known = [i for i in numbers if not any(p.parse(i) for p in patterns.values())]
    out += [f"Invoices: {n} does not belong to any configured series" for n in known]
    return out


def _receipts_lost(payments: Iterable[Payment], issued: Sequence[str]) -> list[str]:
    """The highest receipt numbers issued that no payment holds any more (its row deleted or its cell cleared)."""
    held = {p.receipt_no for p in payments}
    return [f"{n} was issued (the highest receipt number so far) but no Payments row holds it: its payment was "
            "deleted or its Receipt No cleared; the Changelog has the row as it was" for n in issued if n not in held]


def _totals(invoices: Iterable[Invoice], minor: Decimal) -> list[str]:
    out = []
    for inv in invoices:
        where = f"{inv.invoice_no}:"
        net = sum((l.net for l in inv.lines), ZERO)
        tax = sum((t.tax for t in tax_summary(inv.lines, minor)), ZERO)
        if not inv.lines:
            out.append(f"{where} has no lines in Lines")
            continue
        if net != inv.net:
            out.append(f"{where} Net {inv.net} but its lines add up to {net}")
        if tax != inv.tax:
            out.append(f"{where} Tax {inv.tax} but tax on its lines is {tax}")
        if inv.net + inv.tax != inv.total:
            out.append(f"{where} Total {inv.total} is not Net + Tax ({inv.net + inv.tax})")
        for line in inv.lines:
            if line.net + line.tax != line.total:
                out.append(f"{where} line {line.session_id} {line.code}: Total is not Net + Tax")
        if inv.checksum and not is_draft_key(inv.invoice_no) and checksum(inv, inv.lines) != inv.checksum:
            out.append(f"{where} Checksum does not match what the invoice says: changed after it was finalized")
    return out


def _one_live_invoice(invoices: Iterable[Invoice], credit_note: NumberPattern) -> list[str]:
    on: dict[str, list[str]] = defaultdict(list)
    for inv in invoices:
        if inv.live and credit_note.parse(inv.invoice_no) is None:
            for sid in inv.session_ids:
                on[sid].append(inv.invoice_no)
    return [f"Session {sid} is on {len(nos)} live invoices: {', '.join(nos)}" for sid, nos in on.items() if len(nos) > 1]


def _projections(invoices: Iterable[Invoice], sessions: Iterable[Session], payments: Iterable[Payment],
                 credit_note: NumberPattern) -> list[str]:
    out = []
    live = {sid: inv.invoice_no for inv in invoices if inv.live and credit_note.parse(inv.invoice_no) is None
            and not is_draft_key(inv.invoice_no) for sid in inv.session_ids}
    for s in sessions:
        expected = live.get(s.session_id, "")
        if s.session_id and s.invoice_no != expected:
            out.append(f"Session {s.session_id} shows Invoice No '{s.invoice_no}' but the ledger says '{expected}'")
    paid: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for p in payments:
        for a in p.applied:
            paid[a.invoice_no] += a.amount
    for inv in invoices:
        if is_credit_note(inv.invoice_no, credit_note) or is_draft_key(inv.invoice_no):
            continue
        if inv.status is InvoiceStatus.VOID:  # less what invoices took of it since: the account checks that
            if not ZERO <= inv.paid <= paid[inv.invoice_no]:
                out.append(f"{inv.invoice_no}: Paid {inv.paid} but payments applied to it add up to "
                           f"{paid[inv.invoice_no]}")
        elif inv.paid != paid[inv.invoice_no]:
            out.append(f"{inv.invoice_no}: Paid {inv.paid} but payments applied to it add up to {paid[inv.invoice_no]}")
        if inv.status is not InvoiceStatus.VOID and inv.balance != inv.total - inv.paid:
            out.append(f"{inv.invoice_no}: Balance {inv.balance} is not Total - Paid ({inv.total - inv.paid})")
    return out
