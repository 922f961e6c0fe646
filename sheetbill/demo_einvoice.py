"""The demo practice's e-invoice clients (`make demo`): the business client in
Lyon receives Factur-X (the PDF with its XML inside), a Berlin district office
(a public body) receives XRechnung CII with its Leitweg-ID as Buyer Reference."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from .demo_vat import BUSINESS, _add

PUBLIC_BODY = ["C-011", "Bezirksamt Mitte von Berlin, Gesundheitsamt", "rechnungen@ba-mitte.example",
               "Mathilde-Jacob-Platz 1\n10551 Berlin", None, 30, None, None]
LEITWEG_ID = "11001000-00123-45"
SETTINGS = {BUSINESS[0]: ("facturx", None), PUBLIC_BODY[0]: ("xrechnung-cii", LEITWEG_ID)}


def apply(wb, tabs, today: date) -> None:
    """Add the E-Invoice and Buyer Reference columns, the public body and its workshop day."""
    clients = wb[tabs["clients"].name]
    clients.append(PUBLIC_BODY)
    setting, reference = _add(clients, tabs["clients"], "e_invoice"), _add(clients, tabs["clients"],
                                                                           "buyer_reference")
    for row in clients.iter_rows(min_row=2):
        found = SETTINGS.get(str(row[0].value or ""))
        if found:
            clients.cell(row=row[0].row, column=setting, value=found[0])
            clients.cell(row=row[0].row, column=reference, value=found[1])
    wb[tabs["sessions"].name].append(["S-08101", today - timedelta(days=4), PUBLIC_BODY[0], "WORKSHOP", Decimal(1),
                                      None, None, "Tom", "Completed", None])
