"""A commit's changes applied to the tables in memory, so the rest of the cycle
(and the next snapshot) sees the workbook as it now is without reading it again.
The snapshot committed on is left as it was: the tables a commit touches are copied."""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from . import cells
from ..core.changes import Changes
from .table import Table


def copies(tables: Mapping[str, Table], changes: Changes, also: tuple[str, ...] = ()) -> dict[str, Table]:
    """`tables`, with each table `changes` touch (and those named in `also`) copied (to change;
    the others are shared)."""
    touched = {w.tab for w in changes.cells} | {a.tab for a in changes.rows} | set(also)
    return {key: replace(t, columns=dict(t.columns), rows=list(t.rows)) if key in touched else t
            for key, t in tables.items()}


def state_after(state: Mapping[str, str], changes: Changes) -> dict[str, str]:
    """The worker state once `changes` (with their state as rows: see base.with_state) are written."""
    out = dict(state)
    out.update({cells.text(a.values["key"]): cells.text(a.values["value"]) for a in changes.rows if a.tab == "state"})
    out.update({w.key: cells.text(w.after) for w in changes.cells if w.tab == "state"})
    return out


def apply_edits(tables: dict[str, Table], changes: Changes, appended: Mapping[tuple[str, str], int]) -> None:
    """Apply `changes` to `tables` in place (the tables they touch: see `copies`)."""
    index: dict[str, dict[int, int]] = {}
    opened: dict[tuple[str, int], list[object]] = {}  # the rows written to, as lists until all their cells are
    for w in changes.cells:
        table = tables[w.tab]
        rows = index.get(w.tab)
        if rows is None:
            rows = index[w.tab] = {r: i for i, (r, _) in enumerate(table.rows)}
        col = table.columns[w.field]
        at = rows.get(w.row)
        if at is None:
            table.rows.append((w.row, ()))
            at = rows[w.row] = len(table.rows) - 1
        filled = opened.get((w.tab, at))
        if filled is None:
            filled = opened[(w.tab, at)] = list(table.rows[at][1])
        if col >= len(filled):
            filled.extend([None] * (col + 1 - len(filled)))
        filled[col] = w.after
    for (tab, at), filled in opened.items():
        table = tables[tab]
        table.rows[at] = (table.rows[at][0], tuple(filled))
    for a in changes.rows:
        found = tables.get(a.tab)
        if found is None or (a.tab, a.key) not in appended:
            continue
        table = found
        row = appended[(a.tab, a.key)]
        table.last_row = max(table.last_row, row)
        if table.head:
            continue  # its rows were not read: none are kept
        new: list[object] = [None] * (max(table.columns.values(), default=-1) + 1)
        for fld, value in a.values.items():
            new[table.columns[fld]] = value
        table.rows.append((row, tuple(new)))
