"""The demo practice's VAT treatments (`make demo`): its therapy is exempt under
§ 4 Nr. 14 UStG with that note, gel and bandages are taxed at 19 %, compression
stockings sold at the desk are priced gross (VAT included), a missed
appointment fee is outside the scope of VAT, and a business client in Lyon
books a workshop under reverse charge."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

P14 = "VATEX-EU-132-1C"  # the code alone: printed as § 4 Nr. 14 UStG in each client's language
CONFIG = f"""
vat:                                    # therapy is exempt; a 0% service without a category is exempt too
  zero_rate: E
  exemption_reason: {P14}               # its legal wording in each client's language; a typed text stays as typed
"""
SERVICES = {  # code -> VAT Category, Exemption Reason
    "LD30": ("E", P14), "LD45": ("E", P14), "LD60": ("E", P14), "MLD15": ("E", P14),
    "BANDAGE": ("S", ""), "GEL": ("S", ""), "WORKSHOP": ("S", ""), "STOCKINGS": ("S", ""),
    "NOSHOW": ("O", "VATEX-EU-O"),  # a missed-appointment fee is damages, not a supply
}
WORKSHOP = ["WORKSHOP", "Workshop: lymph drainage for care staff (1 day)", "480.00", "19%", "day",
            date(2026, 1, 1).isoformat(), "Yes"]
# a retail price with the VAT in it (Services `Prices` = gross): its invoice prints "incl. VAT"
STOCKINGS = ["STOCKINGS", "Compression stockings, pair", "39.90", "19%", "pair", date(2026, 1, 1).isoformat(), "Yes"]
GROSS = {"STOCKINGS"}
BUSINESS = ["C-010", "Atelier Lumière SARL", "compta@atelier-lumiere.example", "3 rue Mercière\n69002 Lyon",
            None, 30, None, "FR40303265045"]


def apply(wb, tabs, today: date) -> None:
    """Add the VAT columns to Services and Clients, the workshop, the stockings, the client abroad
    and her session, and a session that sells stockings."""
    services = wb[tabs["services"].name]
    services.append(WORKSHOP)
    services.append(STOCKINGS)
    category, reason = _add(services, tabs["services"], "vat_category"), _add(services, tabs["services"],
                                                                              "exemption_reason")
    prices = _add(services, tabs["services"], "prices")
    for row in services.iter_rows(min_row=2):
        code = str(row[0].value or "").upper()
        found = SERVICES.get(code)
        if found:
            row[0].parent.cell(row=row[0].row, column=category, value=found[0])
            row[0].parent.cell(row=row[0].row, column=reason, value=found[1] or None)
        if code in GROSS:
            row[0].parent.cell(row=row[0].row, column=prices, value="gross")
    clients = wb[tabs["clients"].name]
    clients.append(BUSINESS)
    clients.cell(row=clients.max_row, column=_add(clients, tabs["clients"], "vat_category"), value="AE")
    sessions = wb[tabs["sessions"].name]
    day = today - timedelta(days=3)
    sessions.append(["S-08001", day, "C-010", "WORKSHOP", Decimal(1), "GEL x10", None, "Maria", "Completed", None])
    sessions.append(["S-08002", today, "C-006", "LD60", Decimal(1), "STOCKINGS", None, "Tom",
                     "Completed", None])


def _add(ws, tab, field: str) -> int:
    """The column of `field`'s header in row 1, added at the end where it is missing."""
    header = tab.column(field).header
    for cell in ws[1]:
        if cell.value == header:
            return cell.column
    column = ws.max_column + 1
    ws.cell(row=1, column=column, value=header)
    return column
