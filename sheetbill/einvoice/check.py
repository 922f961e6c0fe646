"""`sheetbill check` for e-invoices: each client with an `E-Invoice` setting gets
the invoices the next run would make for them (else their latest invoice, or
before their first a sample one in their name) written in that format and
checked against EN 16931's business rules sheetbill knows (`rule_problem`)
and the format's schema (XSD)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ..core.document import document_for
from ..core.model import Client, Invoice
from .delivery import einvoice_format, schema_problem


def einvoice_findings(clients: tuple[Client, ...], invoices: tuple[Invoice, ...], practice,
                      terms_days: int, upcoming: tuple[Invoice, ...] = ()) -> list[str]:
    """One line per client whose e-invoice would not go out as it should."""
    from ..render.sample import sample_document

    latest: dict[str, Invoice] = {}
    for invoice in sorted((i for i in invoices if i.lines and i.issue_date), key=lambda i: i.issue_date or 0):
        latest[invoice.client_id] = invoice
    out = []
    for client in clients:
        where = f"workbook: Clients row {client.row} ({client.client_id or client.name})"
        try:
            fmt = einvoice_format(client.e_invoice)
        except ValueError as exc:
            out.append(f"{where}: {exc}")
            continue
        if not fmt:
            continue
        if fmt.startswith("xrechnung") and not client.buyer_reference.strip():
            out.append(f"{where}: XRechnung needs a Buyer Reference (the Leitweg-ID of a public body)")
        docs = [document_for(inv, client, practice, terms_days, today=inv.issue_date)
                for inv in upcoming if inv.client_id == client.client_id and inv.lines]
        inv = latest.get(client.client_id)
        if not docs and inv is not None:
            docs = [document_for(inv, client, practice, terms_days, today=inv.issue_date)]
        if not docs:
            sample = sample_document(previous_balance=Decimal(0))
            docs = [replace(sample, practice=practice, client=client)]
        for doc in docs:
            problem = schema_problem(doc)
            if problem:
                out.append(f"{where}: {problem}")
    return out
