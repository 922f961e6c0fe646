"""Quiet cycles: when nothing a cycle depends on changed since one that left nothing to do
(the workbook's fingerprint, the day, the config, sheetbill's own code; see core/quiet.py),
the next is skipped without reading the workbook, and the problems it showed stand."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Callable

from .book.base import Book
from .code_version import code_version
from .core.quiet import quiet_key
from .cycle_report import CycleReport
from .problems import from_cache, to_cache


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
