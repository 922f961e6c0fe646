"""Apply a commit's edits to the tables in memory, so the rest of the cycle
(and the next snapshot) sees the workbook as it now is without reading it again."""

from __future__ import annotations

from typing import Mapping

from .base import Edits
from .table import Table


def apply_edits(tables: dict[str, Table], edits: Edits, appended: Mapping[tuple[str, str], int]) -> None:
    index: dict[str, dict[int, int]] = {}
    for w in edits.writes:
        table = tables[w.tab]
        rows = index.get(w.tab)
        if rows is None:
            rows = index[w.tab] = {r: i for i, (r, _) in enumerate(table.rows)}
        col = table.columns[w.field]
        at = rows.get(w.row)
        if at is None:
            table.rows.append((w.row, ()))
            at = rows[w.row] = len(table.rows) - 1
        row, cells = table.rows[at]
        filled: list[object] = list(cells) + [None] * (col + 1 - len(cells))
        filled[col] = w.after
        table.rows[at] = (row, tuple(filled))
    for a in edits.appends:
        found = tables.get(a.tab)
        if found is None or (a.tab, a.key) not in appended:
            continue
        table = found
        values: list[object] = [None] * (max(table.columns.values(), default=-1) + 1)
        for fld, value in a.values.items():
            values[table.columns[fld]] = value
        row = appended[(a.tab, a.key)]
        table.rows.append((row, tuple(values)))
        table.last_row = max(table.last_row, row)
