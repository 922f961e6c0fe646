"""`sheetbill check`: every reason the next run could fail, one line each."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from . import config as config_mod
from .app import book_for, renderer_for, transport_for
from .book.excel import left_behind, office_locks, open_since
from .book.shape import ShapeError
from .errors import ConfigError, SheetbillError
from .vat_check import vat_findings


def findings(config_path: Path, connect: bool = True) -> list[str]:
    try:
        config = config_mod.load(config_path)
    except SheetbillError as exc:
        return [str(exc)]
    from .placeholders import placeholder_finding

    out: list[str] = [f for f in (placeholder_finding(config),) if f]
    out += _workbook(config)
    if config.google is not None:
        out += _google(config, connect)
    out += _templates(config, connect)
    out += _mail(config, connect)
    out += _output(config.render.output, "render.output")
    if config.email.transport == "outbox":
        out += _output(config.email.outbox, "email.outbox")
    return out


def _workbook(config) -> list[str]:
    out = []
    try:
        book = book_for(config)
        snapshot = book.read()
    except ShapeError as exc:  # a tab or column lost since the last run: what a run refuses
        return [f"workbook: {finding}" for finding in exc.findings]
    except SheetbillError as exc:
        return [str(exc)]
    for key, table in snapshot.tables.items():
        tab = table.tab
        if not table.exists:
            if not tab.worker and key not in ("payments", "cash", "bank"):
                out.append(f"workbook: tab '{tab.name}' is missing")
            continue
        for fld in table.missing:
            column = tab.column(fld)
            if not (column.worker or tab.worker or column.optional):
                out.append(f"workbook: tab '{tab.name}' has no column '{column.header}'")
    out += _clients(snapshot.tables, config.day_first)
    out += vat_findings(snapshot.tables, config.day_first)
    out += _einvoices(config, snapshot.tables)
    if config.workbook is not None:
        folder = config.workbook.parent
        if not os.access(folder, os.W_OK):
            out.append(f"workbook: {folder} is not writable: sheetbill saves {config.workbook.name}, its backups "
                       "and its own small files there; give the user it runs as the right to write in it")
        now = datetime.now(UTC)
        for lock in office_locks(config.workbook):
            out.append(f"workbook: {open_since(config.workbook, lock, now, config.timezone)}; runs will wait "
                       f"until it is closed ({left_behind(lock)})")
    return out


def _clients(tables, day_first: bool) -> list[str]:
    """Clients rows a run cannot bill (their sessions get a Problem, not an invoice): a cell that
    does not read (Terms, Discount, Invoice Mode...), an Email that cannot be mailed to, a Client
    ID on several rows."""
    from .book import records
    from .core.billing import mode_problem
    from .core.clients import ClientBook, email_problem

    table = tables.get("clients")
    if table is None or not table.exists:
        return []
    clients = records.clients(table, day_first)
    out = []
    for client in clients:
        where = f"workbook: Clients row {client.row} ({client.client_id or client.name})"
        out += [f"{where}: {error}" for error in client.errors]
        problem = email_problem(client.email) if client.email else ""
        if problem:
            out.append(f"{where}: Email {problem}")
        mode = mode_problem(client)
        if mode:
            out.append(f"{where}: {mode}")
    for client_id, rows in ClientBook(clients).shared.items():
        out.append(f"workbook: Client ID {client_id} is on rows {', '.join(map(str, rows))} of Clients; "
                   "give each client an ID of its own")
    return out


def _einvoices(config, tables) -> list[str]:
    """Clients with an E-Invoice setting: their e-invoice passes its schema (sheetbill.einvoice)."""
    from .book import records
    from .einvoice.check import einvoice_findings

    table = tables.get("clients")
    if table is None or not table.exists or "e_invoice" not in table.columns:
        return []
    lines = records.lines(tables["lines"]) if tables.get("lines") is not None and tables["lines"].exists else ()
    invoices = (records.invoices(tables["invoices"], lines)
                if tables.get("invoices") is not None and tables["invoices"].exists else ())
    return einvoice_findings(records.clients(table, config.day_first), invoices, config.practice,
                             config.rules.default_terms_days, _next_invoices(config, tables))


def _next_invoices(config, tables) -> tuple:
    """The invoices the next run would create today (the billing plan, nothing written)."""
    from .book import records
    from .core.billing import plan_billing

    if not all(key in tables and tables[key].exists for key in ("sessions", "clients", "services")):
        return ()
    ledger = records.ledger(tables, config.day_first)
    return plan_billing(ledger, config.rules, datetime.now(config.timezone).date()).new_invoices


def _google(config, connect: bool) -> list[str]:
    """The credentials file, and the Drive folder the PDFs go to."""
    from .app import drive_folder_for
    from .google.auth import owner_only

    out = []
    credentials = config.google.credentials
    if credentials.exists() and not owner_only(credentials):
        out.append(f"google.credentials: {credentials} can be read by other users of this machine; "
                   f"run `chmod 600 {credentials}`")
    if not config.google.drive_folder:
        out.append("google.drive_folder: not set, so PDFs stay in render.output on this machine and the PDF "
                   "column cannot link to them; `sheetbill init --google ID` creates a Drive folder")
    elif connect:
        try:
            drive_folder_for(config).check()
        except SheetbillError as exc:
            out.append(f"google.drive_folder: {exc}")
    return out


def _templates(config, connect: bool = True) -> list[str]:
    out = []
    try:
        renderer = renderer_for(config)
        if connect:  # a template kept elsewhere (Google Docs) is looked up
            renderer.check()
    except ConfigError as exc:  # names its key
        out.append(str(exc).removeprefix(f"{config.path.name}: "))
    except Exception as exc:  # RenderError, missing file, syntax error
        key = "google.docs_template" if config.render.engine == "gdocs" else "render.template"
        out.append(f"{key}: {exc}")
    from .render.template import load_template

    for key, path in (("email.subject_template", config.email.subject_template),
                      ("email.body_template", config.email.body_template)):
        if config.email.transport == "none":
            break
        try:
            load_template(path, autoescape=False)
        except Exception as exc:
            out.append(f"{key}: {exc}")
    return out


def _mail(config, connect: bool) -> list[str]:
    try:
        transport = transport_for(config)
    except SheetbillError as exc:
        return [str(exc)]
    if connect and transport is not None:
        try:
            transport.check()
        except Exception as exc:
            if config.email.smtp is None:
                return [f"email.transport: {config.email.transport}: {exc}"]
            return [f"email.smtp: {exc}"]  # names the server, and what it said or why it could not be reached
    return []


def _output(folder: Path, key: str) -> list[str]:
    probe = folder if folder.exists() else folder.parent
    if not os.access(probe, os.W_OK):
        return [f"{key}: {folder} is not writable"]
    return []
