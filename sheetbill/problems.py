"""The rows that show a Problem after a cycle, as `run` reports them.

A cycle's plan names the problems it found; a row can also keep a Problem
the plan does not rewrite (a tab the plan leaves alone), and an idle cycle
plans nothing at all. The admin is told about every row that still shows
one, so "0 problem(s)" means the workbook shows none (but words a row keeps for
the record: a dispute the practice won, core.payments.for_the_record).
"""

from __future__ import annotations

from typing import Iterable, Mapping

from .book.cells import text
from .book.table import Table
from .core.payments import for_the_record
from .core.plan import CellWrite, RowProblem


def still_shown(tables: Mapping[str, Table], planned: Iterable[RowProblem],
                writes: Iterable[CellWrite]) -> list[RowProblem]:
    """`planned`, and every other row whose Problem cell the cycle leaves non-empty."""
    out = list(planned)
    settled = {(p.tab, p.row) for p in out} | {(w.tab, w.row) for w in writes if w.field == "problem"}
    for key, table in tables.items():
        if not table.exists or "problem" not in table.columns:
            continue
        for row, values in table.rows:
            message = text(table.get(values, "problem"))
            if message and (key, row) not in settled and not for_the_record(message):
                name = table.tab.key_field
                out.append(RowProblem(key, row, text(table.get(values, name)) if name in table.columns else "",
                                      message))
    return sorted(out, key=lambda p: (p.tab, p.row))


def to_cache(problems: Iterable[RowProblem]) -> list[list]:
    return [[p.tab, p.row, p.key, p.message] for p in problems]


def from_cache(data: object) -> list[RowProblem]:
    """What an idle cycle reports: the problems its last busy cycle left (nothing changed since)."""
    if not isinstance(data, list):
        return []
    try:
        return [RowProblem(str(t), int(r), str(k), str(m)) for t, r, k, m in data]
    except (TypeError, ValueError):
        return []
