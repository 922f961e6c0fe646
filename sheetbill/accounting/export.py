"""The export formats by name: the period's journal -> files (name, bytes).

`files()` is pure; `write()` puts them on disk. Nothing in a file depends on
the moment of export, so exporting a period twice gives identical bytes.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..errors import SheetbillError

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
    file at that path and any more beside it as out-2, out-3... Only regular files are written or
    replaced (a link to one writes the file it names); SheetbillError, before anything is written,
    where a path cannot take its file, and where writing fails, saying what is wrong and what to do."""
    if out is not None and out.is_dir():
        folder, out = out, None
    targets = []
    for n, (name, data) in enumerate(export.files, start=1):
        if out is None:
            path = folder / name
        else:
            path = out if n == 1 else out.with_name(f"{out.stem}-{n}{out.suffix}")
        refusal = _refusal(path)
        if refusal:
            raise SheetbillError(f"cannot write {path}: {refusal}")
        targets.append((path, data))
    for path, data in targets:
        real = Path(os.path.realpath(path)) if path.is_symlink() else path
        tmp = real.with_name(real.name + ".tmp")
        try:
            real.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            tmp.replace(real)
        except OSError as exc:
            tmp.unlink(missing_ok=True)  # no half-written file left beside the export
            raise SheetbillError(f"cannot write {path}: {_explain(exc)}") from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return [path for path, _ in targets]


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
_ELSEWHERE = "give --out a file name or a folder to write into"


def _refusal(path: Path) -> str:
    """Why `path` (or its .tmp beside it) cannot take an export file; "" when it can."""
    above = path.parent
    while not above.exists() and above != above.parent:
        above = above.parent
    if above.exists() and not above.is_dir():
        return f"{above} is a file, not a folder; move it away, or {_ELSEWHERE}"
    for each in (path, path.with_name(path.name + ".tmp")):
        try:
            mode = each.stat().st_mode  # through a link: the file it names
        except FileNotFoundError:
            continue
        except OSError as exc:
            return _explain(exc)
        if not stat.S_ISREG(mode):
            kind = next((what for test, what in _KINDS if test(mode)), "not a regular file")
            return (f"{each} is {kind}, not a regular file, and an export replaces only regular files; "
                    f"{_ELSEWHERE}")
    return ""


def _explain(exc: OSError) -> str:
    what = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{what}; free some space, or {_ELSEWHERE} on another disk"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"{what}; {_ELSEWHERE} where you may write, or get write permission there"
    if exc.errno == errno.EROFS:
        return f"{what}; {_ELSEWHERE} on a writable disk"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return f"{what} (a file stands where a folder is needed); {_ELSEWHERE}"
    if exc.errno == errno.ENAMETOOLONG:
        return f"{what}; give --out a shorter path"
    return f"{what}; {_ELSEWHERE}"
