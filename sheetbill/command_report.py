"""What `sheetbill statement`, `superbill` and `invoice` print: the PDF, the emails, the errors."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .render.store import StoredPdf
    from .cycle_report import CycleReport


def print_document(title: str, stored: StoredPdf | None, report: CycleReport, email: bool, not_emailed: str,
                   also: tuple[tuple[str, list[str]], ...] = ()) -> int:
    """`title: <where the PDF is>`, each of `also` (a title and its lines), what was emailed, and
    `not_emailed` when `email` was asked for and nothing went; the warnings and errors on stderr. The exit code."""
    if stored is not None:
        print(f"{title}: {stored.where}")
    for heading, lines in also:
        for line in lines:
            print(f"{heading}: {line}")
    for label in report.sent:
        print(f"Emailed: {label}")
    if email and not report.sent and not report.errors:
        print(f"Not emailed: {not_emailed}")
    for warning in report.warnings:
        print(f"  warning: {warning}", file=sys.stderr)
    for error in report.errors:
        print(f"  error: {error}", file=sys.stderr)
    return 2 if report.errors else 0
