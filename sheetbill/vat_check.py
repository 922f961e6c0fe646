"""`sheetbill check`: VAT settings of Clients and Services that would hold a session."""

from __future__ import annotations

from .book import records
from .core import vatex
from .core.pricing import service_problem
from .core.vat import INTRA_COMMUNITY, REVERSE_CHARGE, parse_category, split_reason


def vat_findings(tables, day_first: bool) -> list[str]:
    """Unknown VAT Categories, exemption reasons naming a code not on the VATEX code list,
    reverse-charge or intra-EU clients without a valid VAT ID, and Services prices no invoice
    can carry (a negative Unit Price, a Tax Rate outside 0% to 100%)."""
    out = []
    clients = tables.get("clients")
    if clients is not None and clients.exists and "vat_category" in clients.columns:
        for client in records.clients(clients, day_first):
            where = f"workbook: Clients row {client.row} ({client.client_id or client.name})"
            category = parse_category(client.vat_category)
            if category is None:
                out.append(f"{where}: VAT Category '{client.vat_category}' is not one of S, Z, E, AE, K, O")
            elif category in (REVERSE_CHARGE, INTRA_COMMUNITY) and client.vat_id_problem:
                out.append(f"{where}: {category} needs the client's VAT ID in Tax ID: {client.vat_id_problem}")
    services = tables.get("services")
    if services is not None and services.exists:
        out += [f"workbook: {problem}" for service in records.services(services, day_first)
                if (problem := service_problem(service))]
    if services is not None and services.exists and {"vat_category", "exemption_reason"} & set(services.columns):
        for service in records.services(services, day_first):
            where = f"workbook: Services row {service.row} ({service.code})"
            if parse_category(service.vat_category) is None:
                out.append(f"{where}: VAT Category '{service.vat_category}' is not one of S, Z, E, AE, K, O")
            code = split_reason(service.exemption_reason)[0]
            if code and not vatex.known(code):
                out.append(f"{where}: Exemption Reason code '{code}' is not on the VATEX code list")
    return out
