"""Assembling an invoice from priced lines: tax once per VAT category and rate, totals, checksum."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from datetime import date
from decimal import Decimal
from typing import Iterable, Mapping, Sequence

from .changes import Fields
from .document import TaxSummary
from .model import Invoice, InvoiceStatus, Line, implied_category
from .number import HUNDRED, ZERO, money, shares


def tax_summary(lines: Iterable[Line], minor: Decimal) -> tuple[TaxSummary, ...]:
    """Net per VAT category and rate, and the tax computed once on each one's sum.

    A group with gross-priced lines (their tax taken out of their price, see
    `allocate_tax`) has the sum of its lines' tax instead."""
    groups: dict[tuple[Decimal, str], list[Line]] = {}
    for line in lines:
        groups.setdefault((line.tax_rate, line.category), []).append(line)
    out = []
    for (rate, category), members in sorted(groups.items()):
        net = sum((l.net for l in members), ZERO)
        if any(l.gross for l in members):
            tax = sum((l.tax for l in members), ZERO)
        else:
            tax = money(net * rate / HUNDRED, minor)
        first = members[0]
        out.append(TaxSummary(rate, net, tax, category, first.exemption_reason, first.vatex))
    return tuple(out)


def gross_tax(gross: Decimal, rate: Decimal, minor: Decimal) -> Decimal:
    """The VAT inside a gross amount: round(gross x rate / (100 + rate)), moved by a cent
    where needed so that round(net x rate) gives it back (net = gross - tax, EN 16931 BR-CO-17)."""
    first = money(gross * rate / (HUNDRED + rate), minor)
    for step in (0, 1, -1, 2, -2):
        tax = first + step * minor
        if money((gross - tax) * rate / HUNDRED, minor) == tax:
            return tax
    return first


def allocate_tax(lines: Sequence[Line], minor: Decimal, invoice_no: str | None = None) -> tuple[Line, ...]:
    """Give each line its share of its group's tax (largest remainder), so that the Lines tab
    adds up to the invoice's Tax to the cent; with `invoice_no`, the lines get that number too.

    Per VAT category and rate: net-priced lines share round(group net x rate). Gross-priced
    lines keep their price as their total: the group's tax `gross_tax(sum of their totals)`
    is shared among them and each line's net is its total less its share, so their nets add
    up to the group's net. Where a group mixes both, the net-priced lines get
    round(group net x rate) less the gross lines' tax."""
    out = list(lines)
    groups: dict[tuple[Decimal, str], list[int]] = {}
    for i, line in enumerate(lines):
        groups.setdefault((line.tax_rate, line.category), []).append(i)
    for (rate, _), idx in groups.items():
        grossed = [i for i in idx if lines[i].gross]
        netted = [i for i in idx if not lines[i].gross]
        gross_tax_sum = ZERO
        if grossed:
            total = sum((lines[i].total for i in grossed), ZERO)
            gross_tax_sum = gross_tax(total, rate, minor)
            exact = [lines[i].total * rate / (HUNDRED + rate) for i in grossed]
            for i, share in zip(grossed, shares(gross_tax_sum, exact, minor)):
                out[i] = _taxed(lines[i], lines[i].total - share, share, lines[i].total, invoice_no)
        if netted:
            net = sum((out[i].net for i in idx), ZERO)
            group_tax = money(net * rate / HUNDRED, minor) - gross_tax_sum
            exact = [lines[i].net * rate / HUNDRED for i in netted]
            for i, share in zip(netted, shares(group_tax, exact, minor)):
                out[i] = _taxed(lines[i], lines[i].net, share, lines[i].net + share, invoice_no)
    return tuple(out)  # every line is in a group: each was copied once


def _taxed(line: Line, net: Decimal, tax: Decimal, total: Decimal, invoice_no: str | None) -> Line:
    """`replace(line, net=, tax=, total=, invoice_no=)` (where given), spelled out: a first
    cycle makes one for every line it bills, and `replace` takes several times as long."""
    return Line(line.invoice_no if invoice_no is None else invoice_no, line.session_id, line.date, line.code,
                line.description, line.quantity, line.unit_price, line.discount, line.tax_rate, net, tax, total,
                line.row, line.vat_category, line.exemption_reason, line.vatex, line.gross)


def vat_written(line: Line) -> bool:
    """Whether the Lines tab needs the line's VAT columns: anything but what a row without
    them stands for (S when taxed, E when at 0 %, no reason, net prices)."""
    return (line.category != implied_category(line.tax_rate) or bool(line.exemption_reason)
            or bool(line.vatex) or line.gross)


def checksum(invoice: Invoice, lines: Iterable[Line]) -> str:
    """A fingerprint of what a finalized invoice says: number, client, dates, amounts, lines."""
    return _checksum(invoice.invoice_no, invoice.client_id, invoice.issue_date, invoice.due_date,
                     invoice.session_ids, invoice.net, invoice.tax, invoice.total, lines)


def _checksum(invoice_no: str, client_id: str, issue: date | None, due: date | None, session_ids: Sequence[str],
              net: Decimal, tax: Decimal, total: Decimal, lines: Iterable[Line]) -> str:
    parts = [invoice_no, client_id, _d(issue), _d(due), ",".join(session_ids), _n(net), _n(tax), _n(total)]
    for l in lines:
        parts += [l.session_id, _d(l.date), l.code, _n(l.quantity), _n(l.unit_price),
                  _n(l.discount), _n(l.tax_rate), _n(l.net), _n(l.tax), _n(l.total)]
        if vat_written(l):
            parts += [l.category, l.exemption_reason, l.vatex, "gross" if l.gross else "net"]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _n(value: Decimal) -> str:
    """An amount's text that survives a spreadsheet's own formatting: 65.50 -> 65.5."""
    return _normal_text(value, value.is_signed())


@lru_cache(maxsize=4096)
def _normal_text(value: Decimal, signed: bool) -> str:
    """`_n`, remembered: equal amounts have one text, but for the sign of a zero (-0.00 -> -0),
    hence `signed` in the key. A first cycle takes some twenty texts for each invoice."""
    return format(value.normalize(), "f")


def _d(d: date | None) -> str:
    return d.isoformat() if d else ""


def assemble(invoice_no: str, issue: date, due: date, client_id: str, client_name: str,
             lines: Sequence[Line], status: InvoiceStatus, minor: Decimal) -> Invoice:
    """A new invoice: lines numbered and taxed, totals, Paid 0, Balance = Total."""
    lines = allocate_tax(lines, minor, invoice_no)
    net = sum((l.net for l in lines), ZERO)
    tax = sum((t.tax for t in tax_summary(lines, minor)), ZERO)
    total = net + tax
    sessions = tuple(dict.fromkeys(l.session_id for l in lines))
    return Invoice(invoice_no=invoice_no, issue_date=issue, due_date=due, client_id=client_id,
                   client_name=client_name, session_ids=sessions, net=net, tax=tax,
                   total=total, paid=ZERO, balance=total, status=status, lines=lines,
                   checksum=_checksum(invoice_no, client_id, issue, due, sessions, net, tax, total, lines))


_INVOICE_ROW = Fields.of("invoice_no", "issue_date", "due_date", "client_id", "client_name", "sessions", "net", "tax",
                         "total", "paid", "balance", "status", "pdf", "sent_at", "message_id", "checksum")
_LINE_ROW = ("invoice_no", "session_id", "date", "code", "description", "quantity", "unit_price", "discount",
             "tax_rate", "net", "tax", "total")
_NET_LINE_ROW = Fields.of(*_LINE_ROW)
_VAT_LINE_ROW = Fields.of(*_LINE_ROW, "vat_category", "exemption_reason", "vatex", "prices")  # see `vat_written`


def invoice_row(inv: Invoice) -> Mapping[str, object]:
    return _INVOICE_ROW(inv.invoice_no, inv.issue_date, inv.due_date, inv.client_id, inv.client_name,
                        ", ".join(inv.session_ids), inv.net, inv.tax, inv.total, inv.paid, inv.balance,
                        inv.status_text, inv.pdf, inv.sent_at, inv.message_id, inv.checksum)


def line_row(line: Line) -> Mapping[str, object]:
    """A line's row; the optional VAT columns only where the line needs them (see `vat_written`)."""
    values = (line.invoice_no, line.session_id, line.date, line.code, line.description, line.quantity,
              line.unit_price, line.discount, line.tax_rate, line.net, line.tax, line.total)
    if not vat_written(line):
        return _NET_LINE_ROW(*values)
    return _VAT_LINE_ROW(*values, line.category, line.exemption_reason, line.vatex, "gross" if line.gross else "net")
