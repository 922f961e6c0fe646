"""The push as a step of the worker's cycle: read the ledger as committed, push what is
new, write the remote ids (and refusals) into the Accounting column in one commit."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Callable

from ..book import records
from ..book.cells import text as cell_text
from ..book.cycle_book import CycleBook
from ..core.changes import CellWrite, Changes
from ..core.plan import RowProblem
from .journal import journal
from .push import Cell, push
from .remote import RemoteBooks, RemoteFailure

log = logging.getLogger("sheetbill")


def push_to_books(book: CycleBook, config, remote: RemoteBooks, now: Callable[[], datetime],
                  problems: list[RowProblem], errors: list[str]) -> list[str]:
    """One push; returns what was pushed. Data problems go to `problems`, a remote that
    cannot be reached to `errors` (the next cycle tries again)."""
    snapshot = book.read()
    tables = snapshot.tables
    ledger = records.ledger(tables, config.day_first)
    books = journal(ledger, date.min, date.max, config.rules.credit_note_pattern, config.practice.currency)
    cells = {}
    for tab, key in (("invoices", "invoice_no"), ("payments", "payment_id")):
        table = tables[tab]
        for row, values in table.rows:
            number = cell_text(table.get(values, key))
            if number:
                value = table.get(values, "accounting") if "accounting" in table.columns else None
                cells[number] = Cell(tab, row, cell_text(value))
    try:
        outcome = push(books, cells, remote, config.accounting,
                       lambda: now().astimezone(UTC).strftime("%Y-%m-%d %H:%MZ"))
    except RemoteFailure as exc:
        errors.append(str(exc))
        log.warning("accounting: %s", exc)
        return []
    writes = tuple(CellWrite(cell.tab, cell.row, key, "accounting", cell.text or None, text)
                   for cell, key, text in outcome.cells if text != cell.text)
    problems += [RowProblem(cell.tab, cell.row, key, f"{remote.name}: {message}") for cell, key, message in outcome.problems]
    if writes:
        book.commit(snapshot, Changes(writes))
    if outcome.pushed:
        log.info("accounting: pushed %d document(s) to %s", len(outcome.pushed), remote.name)
    return outcome.pushed
