"""Realistic sample documents, to preview a template, test and benchmark renderers.

`sample_document()` is a physiotherapy practice's invoice with two tax rates,
a discount and a long client address; `lines=40` makes a multi-page one.
`sample_credit_note()` takes that invoice back, `sample_receipt()` is the
receipt of the payment that settled it, and `sample_statement()` is the
client's statement of October and November (`extra=30` makes it long).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from ..core.document import (InvoiceDocument, Practice, ReceiptDocument, StatementDocument,
                             TaxSummary)
from ..core.kind import InvoiceKind
from ..core.model import Allocation, Client, Invoice, InvoiceMode, InvoiceStatus, Line, Payment
from ..core.number import money
from ..core.statement import statement_for

PRACTICE = Practice(
    name="Lindenhof Physiotherapy",
    address="Lindenstraße 12\n10969 Berlin\nGermany",
    email="billing@lindenhof-physio.example",
    phone="+49 30 1234 5678",
    tax_id="DE 123 456 789",
    bank="Lindenhof Physiotherapie GmbH\nIBAN DE89 3704 0044 0532 0130 00\nBIC COBADEFFXXX",
    website="lindenhof-physio.example",
    currency="EUR",
)

CLIENT = Client(
    row=2, client_id="C-0042", name="Dr. Margarethe Schönberg-Castellanos",
    email="m.schoenberg@example.org",
    address="c/o Castellanos & Partner Rechtsanwälte\nKurfürstendamm 195, 4. Obergeschoss\n"
            "Hinterhaus, Aufgang B\n10707 Berlin-Charlottenburg\nGermany",
    discount=None, terms_days=14, invoice_mode=InvoiceMode.DAILY, tax_id="DE 987 654 321",
)

_SERVICES = (  # code, description, unit price, tax rate (%), discount
    ("PT60", "Physiotherapy session, 60 min", "85.00", "19", "0"),
    ("MLD45", "Manual lymph drainage, 45 min", "62.50", "19", "6.25"),
    ("TAPE", "Kinesio taping, material", "7.90", "7", "0"),
    ("HOME", "Home exercise programme, printed booklet", "14.00", "7", "0"),
)


def sample_document(lines: int = 4, draft: bool = False,
                    previous_balance: Decimal = Decimal("48.50")) -> InvoiceDocument:
    """An invoice of `lines` lines issued 21 Nov 2026, due 14 days later."""
    issued = date(2026, 11, 21)
    number = "" if draft else "INV-2026-0042"
    items = [_line(number, i, issued - timedelta(days=lines - i)) for i in range(lines)]
    by_rate: dict[Decimal, Decimal] = defaultdict(Decimal)
    for item in items:
        by_rate[item.tax_rate] += item.net
    taxes = tuple(TaxSummary(rate, net, money(net * rate / 100))
                  for rate, net in sorted(by_rate.items(), reverse=True))
    net = sum((t.net for t in taxes), Decimal(0))
    tax = sum((t.tax for t in taxes), Decimal(0))
    invoice = Invoice(
        invoice_no=number, issue_date=issued, due_date=issued + timedelta(days=14),
        client_id=CLIENT.client_id, client_name=CLIENT.name,
        session_ids=tuple(item.session_id for item in items),
        net=net, tax=tax, total=net + tax, paid=Decimal(0), balance=net + tax,
        status=InvoiceStatus.DRAFT if draft else InvoiceStatus.FINALIZED, checksum="5e0c1f2a", lines=tuple(items),
    )
    return InvoiceDocument(
        practice=PRACTICE, invoice=invoice, client=CLIENT, taxes=taxes, terms_days=14,
        draft=draft, previous_balance=previous_balance, today=issued,
    )


def _line(number: str, index: int, day: date) -> Line:
    code, description, price, rate, discount = _SERVICES[index % len(_SERVICES)]
    quantity = Decimal(2) if code == "TAPE" else Decimal(1)
    net = money(quantity * Decimal(price) - Decimal(discount))
    tax = money(net * Decimal(rate) / 100)
    return Line(
        invoice_no=number, session_id=f"S-{1000 + index}", date=day, code=code,
        description=description, quantity=quantity, unit_price=Decimal(price),
        discount=Decimal(discount), tax_rate=Decimal(rate), net=net, tax=tax,
        total=net + tax,
    )


def sample_credit_note(number: str = "CN-2026-0003") -> InvoiceDocument:
    """The credit note that voids the sample invoice, as the ledger has it:
    quantities, discounts and amounts negated, unit prices kept."""
    doc = sample_document(previous_balance=Decimal(0))
    issued = date(2026, 11, 28)
    lines = tuple(replace(line, invoice_no=number, quantity=-line.quantity,
                          discount=-line.discount, net=-line.net, tax=-line.tax,
                          total=-line.total) for line in doc.invoice.lines)
    invoice = replace(doc.invoice, invoice_no=number, issue_date=issued, due_date=issued,
                      session_ids=(doc.invoice.invoice_no,), net=-doc.invoice.net,
                      tax=-doc.invoice.tax, total=-doc.invoice.total, balance=Decimal(0),
                      checksum="9a1d7c33", lines=lines)
    taxes = tuple(TaxSummary(t.rate, -t.net, -t.tax) for t in doc.taxes)
    return replace(doc, invoice=invoice, taxes=taxes, today=issued, kind=InvoiceKind.CREDIT_NOTE,
                   credits=doc.invoice.invoice_no)


def sample_receipt(amount: Decimal = Decimal("300.00")) -> ReceiptDocument:
    """The receipt of a bank transfer that pays the sample invoice and the
    balance carried onto it, oldest first; money left over becomes credit."""
    allocations, left = [], amount
    for number, open_ in (("INV-2026-0038", Decimal("48.50")),
                          ("INV-2026-0042", Decimal("199.98"))):
        if left > 0:
            allocations.append(Allocation(number, min(left, open_)))
            left -= min(left, open_)
    owed = Decimal("248.48") - (amount - left)
    return ReceiptDocument(
        practice=PRACTICE, client=CLIENT, receipt_no="RCPT-2026-0017", payment_id="P-0093",
        date=date(2026, 12, 3), amount=amount, method="Bank transfer",
        reference="INV-2026-0042 Schönberg-Castellanos", allocations=tuple(allocations),
        credit=left, balance=owed)


def sample_statement(extra: int = 0) -> StatementDocument:
    """The client's statement of 1 Oct to 30 Nov 2026, made on 1 Dec: a
    balance brought forward, a partial payment, a voided invoice and its credit
    note, an overpayment kept as credit, and the sample invoice not yet due.
    `extra` adds that many invoices paid a few days later, for long statements."""
    def invoice(number: str, issued: date, total: str, status: InvoiceStatus = InvoiceStatus.FINALIZED,
                credits: str = "") -> Invoice:
        amount = Decimal(total)
        return Invoice(invoice_no=number, issue_date=issued, due_date=issued + timedelta(14),
                       client_id=CLIENT.client_id, client_name=CLIENT.name,
                       session_ids=(credits,) if credits else (), net=amount, tax=Decimal(0),
                       total=amount, paid=Decimal(0), balance=amount, status=status)

    def payment(row: int, paid: date, amount: str, method: str, *applied: tuple[str, str]) \
            -> Payment:
        return Payment(row=row, payment_id=f"P-{row:04}", date=paid, client=CLIENT.client_id,
                       invoice_no="", amount=Decimal(amount), method=method,
                       reference="", receipt_no="", receipt_sent_at="", problem="",
                       applied=tuple(Allocation(no, Decimal(a)) for no, a in applied))

    invoices = [
        invoice("INV-2026-0031", date(2026, 9, 12), "170.00"),
        invoice("INV-2026-0035", date(2026, 9, 24), "96.30"),
        invoice("INV-2026-0038", date(2026, 10, 17), "145.00"),
        invoice("INV-2026-0040", date(2026, 10, 24), "85.00", status=InvoiceStatus.VOID),
        invoice("CN-2026-0002", date(2026, 10, 27), "-85.00", credits="INV-2026-0040"),
        invoice("INV-2026-0042", date(2026, 11, 21), "199.98"),
    ]
    payments = [
        payment(71, date(2026, 9, 30), "170.00", "Bank transfer", ("INV-2026-0031", "170.00")),
        payment(79, date(2026, 10, 8), "100.00", "Card", ("INV-2026-0035", "96.30"),
                ("Credit", "3.70")),
        payment(85, date(2026, 11, 2), "96.50", "Bank transfer", ("INV-2026-0038", "96.50")),
    ]
    for n in range(extra):
        number, day = f"INV-2026-{100 + n:04}", date(2026, 10, 1) + timedelta(n % 50)
        invoices.append(invoice(number, day, "85.00"))
        payments.append(payment(200 + n, day + timedelta(3), "85.00", "Cash", (number, "85.00")))
    statement = statement_for(CLIENT, invoices, payments, date(2026, 10, 1),
                              date(2026, 11, 30), date(2026, 12, 1), PRACTICE.minor_unit)
    return StatementDocument(practice=PRACTICE, client=CLIENT, statement=statement)
