"""The export formats by name: the period's journal -> files (name, bytes).

`files()` is pure; `write()` puts them on disk. Nothing in a file depends on
the moment of export, so exporting a period twice gives identical bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from . import datev, iif, plain, quickbooks, xero
from .journal import Journal
from .settings import AccountingSettings

FORMATS: dict[str, str] = {
    "datev": "DATEV Buchungsstapel (EXTF, cp1252) for the tax adviser: one booking per invoice, credit note "
             "and tax code (accounting.rates) and per payment; needs accounting.datev",
    "xero": "Xero sales invoice import CSV (invoices and credit notes, 500 invoices a file; "
            "accounts and tax types from accounting.rates/services)",
    "quickbooks": "QuickBooks Online invoice import CSV (invoices; items from accounting.services, else the "
                  "service Code)",
    "iif": "QuickBooks Desktop IIF: customers, invoices, credit memos and payments",
    "csv": "a plain journal CSV, one row per invoice line and per payment, for Wave, Zoho Books, FreshBooks, "
           "Sage, MYOB and others",
}


@dataclass
class Export:
    files: list[tuple[str, bytes]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader must know (what a format cannot take)


def files(fmt: str, journal: Journal, settings: AccountingSettings, day_first: bool, minor: Decimal) -> Export:
    """MappingProblem where the config lacks an account or code the format needs."""
    if fmt == "datev":
        return Export([(datev.file_name(journal), datev.export(journal, settings))])
    if fmt == "xero":
        parts = xero.export(journal, settings, day_first, minor)
        out = Export(list(zip(xero.file_names(journal, len(parts)), parts)))
        if journal.payments:
            out.notes.append(f"{len(journal.payments)} payment(s) are not in the Xero file: Xero takes them "
                             "from the bank feed")
        return out
    if fmt == "quickbooks":
        data, notes = quickbooks.export(journal, settings, day_first, minor)
        if journal.payments:
            notes.append(f"{len(journal.payments)} payment(s) are not in the QuickBooks Online file: "
                         "record them with Receive payment, or use the iif format")
        return Export([(quickbooks.file_name(journal), data)], notes)
    if fmt == "iif":
        return Export([(iif.file_name(journal), iif.export(journal, settings, minor))])
    if fmt == "csv":
        return Export([(plain.file_name(journal), plain.export(journal, settings, minor))])
    raise ValueError(f"unknown export format '{fmt}' (one of {', '.join(FORMATS)})")


def write(export: Export, folder: Path, out: Path | None = None) -> list[Path]:
    """Each file into `folder`; with `out` a folder, into that one; with `out` a file, the (first)
    file at that path and any more beside it as out-2, out-3..."""
    if out is not None and out.is_dir():
        folder, out = out, None
    paths = []
    for n, (name, data) in enumerate(export.files, start=1):
        if out is None:
            path = folder / name
        else:
            path = out if n == 1 else out.with_name(f"{out.stem}-{n}{out.suffix}")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        try:
            tmp.write_bytes(data)
            tmp.replace(path)
        except BaseException:
            tmp.unlink(missing_ok=True)  # no half-written file left beside the export
            raise
        paths.append(path)
    return paths
