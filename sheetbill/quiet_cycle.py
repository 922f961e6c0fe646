"""Quiet cycles: when nothing a cycle depends on changed since one that left nothing to do
(the workbook's fingerprint, the day, the config, sheetbill's own code; see core/quiet.py),
the next is skipped without reading the workbook, and the problems it showed stand."""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import date
from functools import cache
from pathlib import Path
from typing import Callable

from .book.base import Book
from .core.quiet import quiet_key
from .cycle_report import CycleReport
from .problems import from_cache, to_cache


PACKAGE = Path(__file__).parent
SOURCES = (".py", ".po")  # the code, and the translations its messages come from


@cache
def code_version() -> str:
    """A digest of the source files of the sheetbill that runs, read once per process (some
    10 ms). It changes with every change to the code, where `__version__` stays the same
    between releases and a `git pull` does not touch it; and it is the same for the same
    code in any folder or clone, as it hashes paths within the package and contents only.
    Where the sources cannot be read, a value of this process alone: no stored key matches."""
    digest = hashlib.sha256()
    sources: list[tuple[str, str]] = []
    try:
        for folder, subfolders, files in os.walk(PACKAGE, onerror=_raise):
            subfolders[:] = [name for name in subfolders if name != "__pycache__"]
            inside = Path(folder).relative_to(PACKAGE).as_posix()
            sources += [(f"{inside}/{name}", os.path.join(folder, name)) for name in files if name.endswith(SOURCES)]
        for name, path in sorted(sources):
            with open(path, "rb") as source:
                data = source.read()
            digest.update(f"{name}\0{len(data)}\0".encode())
            digest.update(data)
    except OSError:
        sources = []
    return digest.hexdigest()[:16] if sources else f"process-{secrets.token_hex(8)}"


def _raise(error: OSError) -> None:
    raise error


class QuietCycles:
    def __init__(self, book: Book, config_path: Path, today: Callable[[], date],
                 looks_each_cycle: Callable[[], bool], code: Callable[[], str] = code_version) -> None:
        """`looks_each_cycle()`: something outside the workbook is looked at every cycle
        (card payments, a folder of bank statements), so no cycle is quiet. `code()`: the
        version of the code that reads the workbook (`code_version`)."""
        self.book, self.config_path, self.today, self.looks_each_cycle = book, config_path, today, looks_each_cycle
        self.code = code

    def skip(self, report: CycleReport) -> bool:
        """Whether this cycle may be skipped; if so `report` shows the problems that stand."""
        key = self.key()
        if key is None or self.book.cache.get("quiet") != key:
            return False
        report.problems = from_cache(self.book.cache.get("quiet_problems"))
        return True

    def remember(self, report: CycleReport) -> None:
        """A cycle that ended without errors, flags or warnings: the next may be quiet."""
        if not (report.errors or report.flags or report.warnings):
            self.book.cache.put(quiet=self.key(), quiet_problems=to_cache(report.problems))

    def key(self) -> str | None:
        looks = self.looks_each_cycle()
        content = None if looks else self.book.fingerprint()
        digest = "" if content is None else hashlib.sha256(self.config_path.read_bytes()).hexdigest()[:16]
        return quiet_key(content, self.today(), digest, self.code() if content is not None else "", looks)
