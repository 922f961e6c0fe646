"""A tab as read: its header mapping and its rows of raw values."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice
from typing import Callable, Mapping, Sequence

from ..errors import WorkbookError
from .schema import Tab

Row = tuple[int, tuple[object, ...]]  # (1-based sheet row, raw values by 0-based column)


@dataclass
class Table:
    tab: Tab
    columns: dict[str, int]  # field -> 0-based column index
    rows: list[Row]
    width: int  # number of header cells in use (first free column index)
    missing: tuple[str, ...] = field(default=())  # fields whose header is absent
    last_row: int = 1  # the last used row; appends go below it
    exists: bool = True  # False: the tab is not in the workbook yet
    head: bool = False  # only the header row was read (the Changelog, which a cycle only appends to)

    def get(self, values: tuple[object, ...], name: str) -> object:
        idx = self.columns.get(name)
        if idx is None or idx >= len(values):
            return None
        return values[idx]

    def header(self, name: str) -> str:
        return self.tab.column(name).header

    @property
    def headers(self) -> dict[str, str]:
        """field -> the header the admin sees (computed once)."""
        cached = self.__dict__.get("_headers")
        if cached is None:
            cached = self.__dict__["_headers"] = {c.field: c.header for c in self.tab.columns}
        return cached


def map_headers(tab: Tab, header_row: Sequence[object]) -> tuple[dict[str, int], tuple[str, ...], int]:
    """Find each column of `tab` by its header (case and spaces ignored)."""
    seen: dict[str, int] = {}
    width = 0
    for idx, cell in enumerate(header_row):
        name = " ".join(str(cell).split()).lower() if cell is not None else ""
        if not name:
            continue
        width = idx + 1
        if name in seen:
            raise WorkbookError(f"Tab '{tab.name}' has two columns headed '{cell}' (columns {_letter(seen[name])} and {_letter(idx)}); rename one")
        seen[name] = idx
    columns: dict[str, int] = {}
    missing: list[str] = []
    for col in tab.columns:
        at = seen.get(" ".join(col.header.split()).lower())
        if at is None:
            missing.append(col.field)
        else:
            columns[col.field] = at
    return columns, tuple(missing), width


def _letter(idx: int) -> str:
    out, n = "", idx + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def build(tab: Tab, rows: Sequence[Row]) -> Table:
    """A Table from a sheet's rows; the first row holding anything is the header."""
    if not rows:
        return Table(tab, {}, [], 0, tuple(c.field for c in tab.columns))
    header_at, header = rows[0]
    if header_at != 1:
        raise WorkbookError(f"Tab '{tab.name}' must have its headers on row 1 (found them on row {header_at})")
    columns, missing, width = map_headers(tab, header)
    return Table(tab, columns, list(islice(rows, 1, None)), width, missing)


column_letter = _letter


REQUIRED_TABS = ("sessions", "clients", "services")
ESSENTIAL = {"sessions": {"date", "client", "service", "status"}, "clients": {"client_id", "name"},
             "services": {"code", "unit_price", "tax_rate"}}


def tables_of(tabs: Mapping[str, Tab], sheets: Mapping[str, tuple[Sequence[Row], int]], no_tab: str,
              prepare: Callable[[Table], None] = lambda table: None,
              restore: str = "restore the workbook from a backup") -> dict[str, Table]:
    """Every tab as a Table from its sheet's (rows, last used row). A missing worker
    tab is `exists=False` (the first write adds it); a missing admin tab or
    essential column is a WorkbookError (`no_tab` is formatted with `tab`), and so is
    a tab or column the workbook had at the last run and lost (see shape.py; `restore`
    says where a backup is)."""
    from . import shape

    tables: dict[str, Table] = {}
    for key, tab in tabs.items():
        sheet = sheets.get(tab.name)
        if sheet is None:
            if key in REQUIRED_TABS:
                raise WorkbookError(no_tab.format(tab=tab.name))
            tables[key] = build(tab, [])
            tables[key].exists = False
            continue
        rows, last_row = sheet
        tables[key] = table = build(tab, rows)
        prepare(table)
        table.last_row = max(last_row, 1)
        lacking = [tab.column(f).header for f in table.missing if f in ESSENTIAL.get(key, ())]
        if lacking:
            raise WorkbookError(f"Tab '{tab.name}' has no column {', '.join(repr(h) for h in lacking)} "
                                f"(headers are read from row 1; found: {table.width} columns)")
    if "state" in tables:
        shape.check(tables, state_of(tables), restore)
    return tables


def state_of(tables: Mapping[str, Table]) -> dict[str, str]:
    """The hidden _sheetbill tab's Key -> Value."""
    from . import cells

    table = tables["state"]
    return {cells.text(table.get(v, "key")): cells.text(table.get(v, "value")) for _, v in table.rows}
