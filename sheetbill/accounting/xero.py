"""Xero's sales invoice import CSV (Business > Invoices > Import).

One row per invoice line, the columns of Xero's template (`*` marks what
Xero requires). A credit note is imported as one with negative quantities;
at most 500 invoices go in one file, so a longer period makes several.
Payments are not part of this import: Xero takes them from the bank feed.
Dates follow `billing.day_first` (dd/mm/yyyy, else mm/dd/yyyy), as Xero reads
them by the organisation's region. Amounts exclude tax (choose "Tax
exclusive" when importing).
"""

from __future__ import annotations

from decimal import Decimal

from .journal import CREDIT_NOTE, Journal, Sale, unit_and_quantity
from .mapping import Mapper
from .settings import AccountingSettings
from .text import amount, csv_bytes, one_line

MAX_INVOICES = 500

COLUMNS = ("*ContactName", "EmailAddress", "POAddressLine1", "POAddressLine2", "POAddressLine3", "POAddressLine4",
           "POCity", "PORegion", "POPostalCode", "POCountry", "*InvoiceNumber", "Reference", "*InvoiceDate",
           "*DueDate", "Total", "InventoryItemCode", "*Description", "*Quantity", "*UnitAmount", "Discount",
           "*AccountCode", "*TaxType", "TaxAmount", "TrackingName1", "TrackingOption1", "TrackingName2",
           "TrackingOption2", "Currency", "BrandingTheme")


def file_names(journal: Journal, count: int) -> list[str]:
    base = f"xero-invoices-{journal.date_from:%Y-%m-%d}_{journal.date_to:%Y-%m-%d}"
    return [f"{base}.csv"] if count <= 1 else [f"{base}-{n}.csv" for n in range(1, count + 1)]


def export(journal: Journal, settings: AccountingSettings, day_first: bool, minor: Decimal) -> list[bytes]:
    mapper = Mapper(settings)
    per_sale = [_rows(sale, mapper, day_first, minor, journal.currency) for sale in journal.sales]
    mapper.check()
    chunks = [per_sale[i:i + MAX_INVOICES] for i in range(0, len(per_sale), MAX_INVOICES)] or [[]]
    return [csv_bytes(COLUMNS, (row for rows in chunk for row in rows)) for chunk in chunks]


def _rows(sale: Sale, mapper: Mapper, day_first: bool, minor: Decimal, currency: str) -> list[list[str]]:
    pattern = "%d/%m/%Y" if day_first else "%m/%d/%Y"
    address = [one_line(a) for a in sale.customer.address.splitlines() if a.strip()][:4]
    address += [""] * (4 - len(address))
    reference = f"Credit note for {sale.credits}" if sale.kind == CREDIT_NOTE and sale.credits else ""
    out = []
    for line in sale.lines:
        booking = mapper.line(line, need_account=True, need_tax_code=True)
        quantity, unit = unit_and_quantity(line, minor)
        if sale.kind == CREDIT_NOTE and quantity > 0 and unit < 0:  # Xero: negative quantity, positive price
            quantity, unit = -quantity, -unit
        out.append([
            sale.customer.name, sale.customer.email, *address, "", "", "", "", sale.number, reference,
            sale.date.strftime(pattern), sale.due_date.strftime(pattern), amount(sale.total, minor),
            "", one_line(line.description or line.code), f"{quantity.normalize():f}", amount(unit, minor), "",
            booking.account, booking.tax_code, amount(line.tax, minor), "", "", "", "", currency, ""])
    return out
