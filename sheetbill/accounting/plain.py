"""A plain journal CSV for every other accounting system.

One row per invoice or credit note line and one per payment, UTF-8, comma,
ISO dates, amounts with a dot and no thousands separator. Unit Price is net
(a gross price with its VAT taken out), so that Quantity × Unit Price −
Discount = Net, as in the Xero, QuickBooks and IIF files. The columns are
named plainly so that any importer's column mapping can take them; the
README's Accounting section lists which columns Wave, Zoho Books,
FreshBooks, Sage and MYOB ask for.
"""

from __future__ import annotations

from decimal import Decimal

from ..core.payments import format_applied
from .journal import CREDIT_NOTE, Journal, priced
from .mapping import Mapper
from .settings import AccountingSettings
from .text import amount, csv_bytes, one_line

COLUMNS = ("Type", "Number", "Date", "Due Date", "Client ID", "Client Name", "Client Email", "Client Tax ID",
           "Credits", "Session ID", "Service", "Description", "Quantity", "Unit Price", "Discount", "Net",
           "Tax Rate", "Tax", "Total", "Account", "Tax Code", "Currency", "Method", "Reference", "Applied To")


def file_name(journal: Journal) -> str:
    return f"journal-{journal.date_from:%Y-%m-%d}_{journal.date_to:%Y-%m-%d}.csv"


def export(journal: Journal, settings: AccountingSettings, minor: Decimal) -> bytes:
    mapper = Mapper(settings)
    rows = []
    for sale in journal.sales:
        kind = "Credit note" if sale.kind == CREDIT_NOTE else "Invoice"
        c = sale.customer
        for line in sale.lines:
            booking = mapper.line(line)
            quantity, unit, discount = priced(line, minor)
            rows.append([kind, sale.number, sale.date.isoformat(), sale.due_date.isoformat(), c.client_id, c.name,
                         c.email, c.tax_id, sale.credits, line.session_id, line.code,
                         one_line(line.description), f"{quantity.normalize():f}", amount(unit, minor),
                         amount(discount, minor), amount(line.net, minor), f"{line.tax_rate.normalize():f}",
                         amount(line.tax, minor), amount(line.total, minor), booking.account, booking.tax_code,
                         journal.currency, "", "", ""])
    for p in journal.payments:
        c = p.customer
        kind = "Payment" if p.amount >= 0 else "Chargeback" if p.chargeback else "Refund"
        rows.append([kind, p.payment_id, p.date.isoformat(), "", c.client_id,
                     c.name, c.email, c.tax_id, "", "", "", "", "", "", "", "", "", "", amount(p.amount, minor),
                     settings.payment_accounts.get(p.method, ""), "", journal.currency, p.method,
                     one_line(p.reference), format_applied(p.allocations, minor)])
    return csv_bytes(COLUMNS, rows)
