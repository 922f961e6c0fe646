"""The workbook's shape: which tabs held rows and which columns each tab had at the
last run, and the check that refuses a workbook that lost some of it.

A tab renamed or deleted, or a header retyped, must not read as "no payments" or
"quantity 1": the run would forget payments, renumber receipts, bill the wrong
amounts and log edits nobody made. So every commit records each tab's shape in
the state (`shape/<tab>`: its row count and its columns), and every read compares
the workbook with it. Sheets that never had a shape recorded (a new workbook)
are created as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Mapping

from ..core.changes import Changes, names_and_values
from ..errors import WorkbookError
from .base import Placed

if TYPE_CHECKING:
    from .table import Table

UNTRACKED = frozenset({"state", "dashboard"})  # the worker's own and regenerated: never refused
FREE = {"sessions": frozenset({"notes", "provider"}), "clients": frozenset({"address"}),
        "services": frozenset({"description", "unit"})}  # read for no amount: may be dropped
NEEDED = {"sessions": ("quantity", "extras", "discount"), "clients": ("discount",),
          "services": ("unit_price",), "payments": ("amount",)}  # without them amounts read wrong


class ShapeError(WorkbookError):
    """The workbook lost a tab or column it had: nothing is read on, nothing written."""

    def __init__(self, findings: list[str]) -> None:
        self.findings = findings
        lines = findings if len(findings) == 1 else [f"  {f}" for f in findings]
        head = [] if len(findings) == 1 else ["the workbook lost what it had at the last run:"]
        super().__init__("\n".join(head + lines + ["Nothing was written; once it is fixed the next run goes on."]))


def recorded(state: Mapping[str, str], key: str) -> tuple[int, frozenset[str]] | None:
    """(rows, columns) of `key`'s tab at the last commit, or None if none was recorded."""
    raw = state.get(f"shape/{key}")
    if not raw:
        return None
    count, _, fields = raw.partition(";")
    try:
        return int(count), frozenset(f for f in fields.split(",") if f)
    except ValueError:
        return None


def _encode(rows: int, fields: Iterable[str]) -> str:
    return f"{rows};{','.join(sorted(fields))}"


def lost(tables: Mapping[str, Table], state: Mapping[str, str], restore: str) -> list[str]:
    """One message per tab that held rows and is gone, and per column a tab had (or
    needs for amounts) and no longer has. `restore` says where a backup is."""
    out = []
    for key, table in tables.items():
        if key in UNTRACKED:
            continue
        tab = table.tab
        if not table.exists:
            held = _rows_held(key, state)
            if held:
                out.append(f"tab '{tab.name}' is missing, but it held {held} row{'s' if held != 1 else ''} at the "
                           f"last run (renamed or deleted?): rename it back to '{tab.name}', or {restore}")
            continue
        out += [f"tab '{tab.name}' has no column '{tab.column(f).header}' ({why}"
                for f, why in missing_columns(key, table, state)]
    return out


def missing_columns(key: str, table: Table, state: Mapping[str, str]) -> list[tuple[str, str]]:
    """(field, why) for each column `table` lacks that it had at the last run or needs for amounts."""
    shape = recorded(state, key)
    had = shape[1] if shape is not None else frozenset()
    out = []
    for fld in table.missing:
        if fld in had and fld not in FREE.get(key, ()):
            out.append((fld, "it had one at the last run: renamed or deleted?); put the header back"))
        elif fld in NEEDED.get(key, ()):
            out.append((fld, "amounts are read from it); add the column"))
    return out


def _rows_held(key: str, state: Mapping[str, str]) -> int:
    """How many rows the tab held at the last run (0: none, or never recorded)."""
    shape = recorded(state, key)
    if shape is not None:
        return shape[0]
    if key == "changelog":  # a workbook from before shapes were recorded: its chain says it had rows
        return 1 if state.get("changelog_hash") else 0
    from .state import decode  # the same, from the stored snapshot of the rows

    stored = decode(key, state) if state.get(f"snapshot/{key}/digest") else None
    return len(stored[0]) if stored is not None else 0


def _by_tab(appended: Mapping[tuple[str, str], int]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for (tab, key), row in appended.items():
        out.setdefault(tab, {})[key] = row
    return out


def check(tables: Mapping[str, Table], state: Mapping[str, str], restore: str) -> None:
    """ShapeError when the workbook lost a tab or column it had (see `lost`)."""
    found = lost(tables, state, restore)
    if found:
        raise ShapeError(found)


def updates(tables: Mapping[str, Table], edits: Changes, appended: Mapping[tuple[str, str], int],
            state: Mapping[str, str]) -> dict[str, str]:
    """The `shape/<tab>` state entries that change once `edits` are written (rows at
    `appended`): each tab's row count and the columns it has then."""
    written: dict[str, set[str]] = {}
    for w in edits.cells:
        written.setdefault(w.tab, set()).add(w.field)
    shapes: set[tuple[str, tuple[str, ...]]] = set()  # rows of the same fields are looked at once
    for a in edits.rows:
        names = names_and_values(a.values)[0]
        if (a.tab, names) not in shapes:
            shapes.add((a.tab, names))
            written.setdefault(a.tab, set()).update(names)
    by_tab = appended.by_tab if isinstance(appended, Placed) else _by_tab(appended)
    last = {tab: max(rows.values(), default=1) for tab, rows in by_tab.items()}
    added = {tab: len(rows) for tab, rows in by_tab.items()}
    out = {}
    for key, table in tables.items():
        if key in UNTRACKED or not (table.exists or key in written):
            continue
        fields = set(table.columns) if table.exists else {c.field for c in table.tab.columns if not c.optional}
        fields |= written.get(key, set())
        if table.head:  # only its header was read: its last row says how many it holds
            rows = max(table.last_row, last.get(key, 1)) - 1
        else:  # the rows holding something (a sheet formatted far down is not counted)
            rows = len(table.rows) + added.get(key, 0)
        value = _encode(rows, fields)
        if state.get(f"shape/{key}") != value:
            out[f"shape/{key}"] = value
    return out
