"""IIF for QuickBooks Desktop (File > Utilities > Import > IIF Files).

Customers first (a !CUST list), then one transaction each: INVOICE and
CREDIT MEMO (receivable against income per line and sales tax per rate) and
PAYMENT (the payment account against receivable, per invoice paid); a
refund, which QuickBooks Desktop cannot record as a negative PAYMENT, is a
CHECK from the bank account to receivable in the customer's name (a
chargeback, money the client's bank took back, too, its memo saying so).
Tab-separated, Windows-1252, CRLF, dates MM/DD/YYYY as QuickBooks Desktop
reads them.
"""

from __future__ import annotations

from decimal import Decimal

from ..core.number import ZERO
from .journal import CREDIT_NOTE, Customer, Journal, Received, unit_and_quantity
from .mapping import Mapper, rate_text
from .settings import AccountingSettings
from .text import amount, fit, one_line

ENCODING = "cp1252"
RECEIVABLE = "Accounts Receivable"
TAX = "Sales Tax Payable"
UNDEPOSITED = "Undeposited Funds"
CHECKING = "Checking"  # QuickBooks Desktop's usual bank account, where a refund's Method names none

HEADERS = (
    ("!CUST", "NAME", "BADDR1", "BADDR2", "BADDR3", "BADDR4", "EMAIL", "TAXID"),
    ("!TRNS", "TRNSID", "TRNSTYPE", "DATE", "ACCNT", "NAME", "AMOUNT", "DOCNUM", "MEMO", "DUEDATE"),
    ("!SPL", "SPLID", "TRNSTYPE", "DATE", "ACCNT", "NAME", "AMOUNT", "DOCNUM", "MEMO", "PRICE", "QNTY",
     "INVITEM", "TAXABLE"),
    ("!ENDTRNS",),
)


def file_name(journal: Journal) -> str:
    return f"quickbooks-desktop-{journal.date_from:%Y-%m-%d}_{journal.date_to:%Y-%m-%d}.iif"


def export(journal: Journal, settings: AccountingSettings, minor: Decimal) -> bytes:
    mapper = Mapper(settings)
    receivable = settings.receivable_account or RECEIVABLE
    rows: list[tuple[str, ...]] = list(HEADERS)
    customers: dict[str, Customer] = {}
    for c in [s.customer for s in journal.sales] + [p.customer for p in journal.payments]:
        customers.setdefault(c.name, c)
    for name in sorted(customers):
        c = customers[name]
        address = [one_line(a) for a in c.address.splitlines() if a.strip()][:4]
        rows.append(("CUST", name, *(address + [""] * (4 - len(address))), c.email, c.tax_id))
    for sale in journal.sales:
        kind = "CREDIT MEMO" if sale.kind == CREDIT_NOTE else "INVOICE"
        day = f"{sale.date:%m/%d/%Y}"
        memo = f"Credit note for {sale.credits}" if sale.credits else ""
        rows.append(("TRNS", "", kind, day, receivable, sale.customer.name, amount(sale.total, minor), sale.number,
                     memo, f"{sale.due_date:%m/%d/%Y}"))
        for line in sale.lines:
            booking = mapper.line(line, need_account=True)
            quantity, price = unit_and_quantity(line, minor)
            rows.append(("SPL", "", kind, day, booking.account, sale.customer.name, amount(-line.net, minor),
                         sale.number, one_line(line.description or line.code), amount(price, minor),
                         f"{-quantity.normalize():f}", booking.item, "Y" if line.tax_rate else "N"))
        for rate in sale.rates:
            if rate.tax != ZERO:
                code = settings.rates.get(rate.rate)
                rows.append(("SPL", "", kind, day, settings.tax_account or TAX, sale.customer.name,
                             amount(-rate.tax, minor), sale.number, f"Tax {rate_text(rate.rate)}", "", "",
                             code.tax_code if code else "", "N"))
        rows.append(("ENDTRNS",))
    for p in journal.payments:
        day = f"{p.date:%m/%d/%Y}"
        if p.amount < 0:
            rows += _refund(p, settings, receivable, minor)
            continue
        account = settings.payment_accounts.get(p.method) or UNDEPOSITED
        rows.append(("TRNS", "", "PAYMENT", day, account, p.customer.name, amount(p.amount, minor), p.payment_id,
                     one_line(f"{p.method} {p.reference}".strip()), ""))
        for invoice_no, part in p.parts():
            rows.append(("SPL", "", "PAYMENT", day, receivable, p.customer.name, amount(-part, minor),
                         invoice_no or p.payment_id, "", "", "", "", ""))
        rows.append(("ENDTRNS",))
    mapper.check()
    text = "".join("\t".join(v.replace("\t", " ") for v in row) + "\r\n" for row in rows)
    return fit(text, ENCODING).encode(ENCODING)


def _refund(p: Received, settings: AccountingSettings, receivable: str, minor: Decimal) -> list[tuple[str, ...]]:
    """Money paid back out of the customer's credit: QuickBooks Desktop records no negative PAYMENT,
    so it is a CHECK from the bank account to Accounts Receivable in the customer's name; in
    QuickBooks the customer's unused credit is then applied to it (Receive Payments), which closes both."""
    day = f"{p.date:%m/%d/%Y}"
    bank = settings.payment_accounts.get(p.method) or CHECKING
    sources = [a.invoice_no for a in p.repaid if a.invoice_no]
    word = "Chargeback (reversed by the bank)" if p.chargeback else "Refund"
    memo = f"{word} of credit from {', '.join(sources)}" if sources else f"{word} of credit"
    return [("TRNS", "", "CHECK", day, bank, p.customer.name, amount(p.amount, minor), p.payment_id,
             one_line(f"{memo}: {p.method} {p.reference}".strip()), ""),
            ("SPL", "", "CHECK", day, receivable, p.customer.name, amount(-p.amount, minor), p.payment_id,
             one_line(memo), "", "", "", ""),
            ("ENDTRNS",)]
