"""A realistic sample invoice, to preview a template and to benchmark renderers.

`sample_document()` is a physiotherapy practice's invoice with two tax rates,
a discount and a long client address; `lines=40` makes a multi-page one.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from ..core.document import InvoiceDocument, Practice, TaxSummary
from ..core.model import Client, Invoice, Line
from ..core.number import money

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
    discount=None, terms_days=14, invoice_mode="daily", tax_id="DE 987 654 321",
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
        status="Draft" if draft else "Finalized", checksum="5e0c1f2a", lines=tuple(items),
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
