"""QuickBooks Online's invoice import CSV (Sales > Invoices > Import invoices).

One row per invoice line; rows of one invoice share its number. The item is
the service's `accounting.services.<CODE>.item`, else its Code (an item of
that name must exist in QuickBooks, which books it to the item's income
account). QuickBooks Online imports no credit notes or payments this way:
the export lists the credit notes to enter as credit memos (or use the IIF
file, or the sync).
"""

from __future__ import annotations

from decimal import Decimal

from .journal import CREDIT_NOTE, Journal, unit_and_quantity
from .mapping import Mapper
from .settings import AccountingSettings
from .text import amount, csv_bytes, one_line

COLUMNS = ("Invoice no", "Customer", "Invoice date", "Due date", "Terms", "Memo", "Item(Product/Service)",
           "Item Description", "Item Quantity", "Item Rate", "Item Amount", "Item Tax Code", "Item Tax Amount",
           "Currency", "Service Date")


def file_name(journal: Journal) -> str:
    return f"quickbooks-invoices-{journal.date_from:%Y-%m-%d}_{journal.date_to:%Y-%m-%d}.csv"


def export(journal: Journal, settings: AccountingSettings, day_first: bool, minor: Decimal) -> tuple[bytes, list[str]]:
    pattern = "%d/%m/%Y" if day_first else "%m/%d/%Y"
    mapper = Mapper(settings)
    rows, left_out = [], []
    for sale in journal.sales:
        if sale.kind == CREDIT_NOTE:
            left_out.append(sale.number)
            continue
        terms = (sale.due_date - sale.date).days
        for line in sale.lines:
            booking = mapper.line(line)
            quantity, rate = unit_and_quantity(line, minor)
            rows.append([sale.number, sale.customer.name, sale.date.strftime(pattern),
                         sale.due_date.strftime(pattern), f"Net {terms}" if terms else "Due on receipt",
                         f"Client {sale.customer.client_id}" if sale.customer.client_id else "",
                         booking.item, one_line(line.description or line.code), f"{quantity.normalize():f}",
                         amount(rate, minor), amount(line.net, minor), booking.tax_code, amount(line.tax, minor),
                         journal.currency, line.date.strftime(pattern) if line.date else ""])
    mapper.check()
    notes = [("credit notes are not imported by QuickBooks Online's invoice import; enter them as credit "
              f"memos: {', '.join(left_out)}")] if left_out else []
    return csv_bytes(COLUMNS, rows), notes
