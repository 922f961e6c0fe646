"""Assembling an invoice from priced lines: tax once per rate, totals, checksum."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Iterable, Sequence

from .document import TaxSummary
from .model import Invoice, Line
from .number import HUNDRED, ZERO, money


def tax_summary(lines: Iterable[Line], minor: Decimal) -> tuple[TaxSummary, ...]:
    """Net per rate and the tax computed once on each rate's sum."""
    nets: dict[Decimal, Decimal] = {}
    for line in lines:
        nets[line.tax_rate] = nets.get(line.tax_rate, ZERO) + line.net
    return tuple(TaxSummary(rate, net, money(net * rate / HUNDRED, minor))
                 for rate, net in sorted(nets.items()))


def allocate_tax(lines: Sequence[Line], minor: Decimal) -> tuple[Line, ...]:
    """Give each line its share of its rate's tax (largest remainder), so that
    the Lines tab adds up to the invoice's Tax to the cent."""
    taxes = {t.rate: t.tax for t in tax_summary(lines, minor)}
    out = list(lines)
    for rate, total_tax in taxes.items():
        idx = [i for i, l in enumerate(lines) if l.tax_rate == rate]
        exact = [lines[i].net * rate / HUNDRED for i in idx]
        shares = [e.quantize(minor, rounding=ROUND_DOWN) for e in exact]  # toward zero
        left = total_tax - sum(shares, ZERO)
        order = sorted(range(len(idx)), key=lambda k: (-(exact[k] - shares[k]), k))
        step = minor if left >= 0 else -minor
        k = 0
        while left != 0 and order:
            shares[order[k % len(order)]] += step
            left -= step
            k += 1
        for i, share in zip(idx, shares):
            out[i] = replace(lines[i], tax=share, total=lines[i].net + share)
    return tuple(out)


def checksum(invoice: Invoice, lines: Iterable[Line]) -> str:
    """A fingerprint of what a finalized invoice says: number, client, dates, amounts, lines."""
    parts = [invoice.invoice_no, invoice.client_id, _d(invoice.issue_date), _d(invoice.due_date),
             ",".join(invoice.session_ids), _n(invoice.net), _n(invoice.tax), _n(invoice.total)]
    for l in lines:
        parts += [l.session_id, _d(l.date), l.code, _n(l.quantity), _n(l.unit_price),
                  _n(l.discount), _n(l.tax_rate), _n(l.net), _n(l.tax), _n(l.total)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _n(value: Decimal) -> str:
    """An amount's text that survives a spreadsheet's own formatting: 65.50 -> 65.5."""
    return format(value.normalize(), "f")


def _d(d: date | None) -> str:
    return d.isoformat() if d else ""


def assemble(invoice_no: str, issue: date, due: date, client_id: str, client_name: str,
             lines: Sequence[Line], status: str, minor: Decimal) -> Invoice:
    """A new invoice: lines numbered and taxed, totals, Paid 0, Balance = Total."""
    lines = allocate_tax([replace(l, invoice_no=invoice_no) for l in lines], minor)
    net = sum((l.net for l in lines), ZERO)
    tax = sum((t.tax for t in tax_summary(lines, minor)), ZERO)
    total = net + tax
    sessions = tuple(dict.fromkeys(l.session_id for l in lines))
    invoice = Invoice(invoice_no=invoice_no, issue_date=issue, due_date=due, client_id=client_id,
                      client_name=client_name, session_ids=sessions, net=net, tax=tax,
                      total=total, paid=ZERO, balance=total, status=status, lines=lines)
    return replace(invoice, checksum=checksum(invoice, lines))


def invoice_row(inv: Invoice) -> dict[str, object]:
    return {"invoice_no": inv.invoice_no, "issue_date": inv.issue_date, "due_date": inv.due_date,
            "client_id": inv.client_id, "client_name": inv.client_name,
            "sessions": ", ".join(inv.session_ids), "net": inv.net, "tax": inv.tax, "total": inv.total,
            "paid": inv.paid, "balance": inv.balance, "status": inv.status, "pdf": inv.pdf,
            "sent_at": inv.sent_at, "message_id": inv.message_id, "checksum": inv.checksum}


def line_row(line: Line) -> dict[str, object]:
    return {"invoice_no": line.invoice_no, "session_id": line.session_id, "date": line.date,
            "code": line.code, "description": line.description, "quantity": line.quantity,
            "unit_price": line.unit_price, "discount": line.discount, "tax_rate": line.tax_rate,
            "net": line.net, "tax": line.tax, "total": line.total}
