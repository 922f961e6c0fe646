"""Rewriting one `<row>` of a sheet: its untouched cells keep their exact
text, written cells are replaced or inserted in column order, cleared
cells are removed. The row's attributes stay, except `spans` (an optional
hint, dropped since it may no longer hold); rows and cells that relied on
their position get an explicit `r`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from .cellxml import render_cell, style_attr
from .errors import BrokenWorkbook
from .formulas import SharedMaster, has_formula, unshare
from .refs import LETTERS, cell_ref, parse_ref
from .stylebook import StyleBook
from .values import WriteValue
from .xmledit import attrs, remove_attr, set_attr


@dataclass(frozen=True)
class Cell:
    """An existing cell: its column, exact text and style."""

    col: int
    text: str
    style: int


@dataclass(frozen=True)
class ParsedRow:
    """An existing row: start tag, cells in order, and what follows them (extLst)."""

    open_tag: str
    cells: list[Cell]
    tail: str


@dataclass
class SheetContext:
    """What every row of one sheet needs to be rewritten."""

    name: str
    prefix: str
    styles: StyleBook
    date1904: bool
    money_columns: frozenset[int] = frozenset()
    column_styles: Mapping[int, int] = field(default_factory=dict)
    masters: dict[str, SharedMaster] = field(default_factory=dict)
    formulas_changed: bool = False
    style_attrs: dict[tuple[int, type, bool], str] = field(default_factory=dict)

    def s_attr(self, base: int, value: WriteValue, col: int) -> str:
        """The `s` attribute for `value` written over a cell of style `base`."""
        key = (base, type(value), col in self.money_columns)
        found = self.style_attrs.get(key)
        if found is None:
            found = self.style_attrs[key] = style_attr(self.styles.style_for(base, value, key[2]))
        return found

    def cell(self, ref: str, col: int, value: WriteValue, base: int) -> str:
        """The element for `value` written over a cell of style `base`."""
        return render_cell(self.prefix, ref, value, self.s_attr(base, value, col), self.date1904)


@cache
def _patterns(prefix: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    p = re.escape(prefix)
    cell = re.compile(rf"\s*(<{p}c(?=[\s/>])[^>]*?(?:/>|>.*?</{p}c>))", re.S)
    open_tag = re.compile(rf"<{p}c(?=[\s/>])[^>]*?/?>", re.S)
    return cell, open_tag


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def parse_row(text: str, prefix: str, row: int, sheet: str) -> ParsedRow:
    """Split the text of a `<row>` element into its parts."""
    cell_re, open_re = _patterns(prefix)
    open_end = text.index(">") + 1
    open_tag = text[:open_end]
    if open_tag.endswith("/>"):
        return ParsedRow(open_tag, [], "")
    inner_end = text.rindex("</")
    cells: list[Cell] = []
    pos, col = open_end, -1
    while (match := cell_re.match(text, pos, inner_end)) is not None:
        cell = match.group(1)
        tag = open_re.match(cell)
        assert tag is not None
        found = attrs(tag.group(0))
        if "r" in found:
            cell_row, col = parse_ref(found["r"])
            if cell_row != row:
                raise BrokenWorkbook(f"{sheet}: cell {found['r']} sits in row {row}")
        else:
            col += 1
            cell = cell[: len(prefix) + 2] + f' r="{cell_ref(row, col)}"' + cell[len(prefix) + 2 :]
        if cells and col <= cells[-1].col:
            raise BrokenWorkbook(f"{sheet}: the cells of row {row} are out of order")
        cells.append(Cell(col, cell, _int(found.get("s"))))
        pos = match.end()
    tail = text[pos:inner_end]
    if tail.strip() and not tail.lstrip().startswith(f"<{prefix}extLst"):
        raise BrokenWorkbook(f"{sheet}: row {row} holds something other than cells")
    return ParsedRow(open_tag, cells, tail)


def _row_style(row_attrs: dict[str, str]) -> int | None:
    """The style a row gives its new cells, if it has one of its own."""
    return _int(row_attrs.get("s")) if row_attrs.get("customFormat") in ("1", "true") else None


def is_blank(value: WriteValue) -> bool:
    """None and the empty string both clear a cell."""
    return value is None or (isinstance(value, str) and not value)


def new_row(ctx: SheetContext, row: int, changes: Mapping[int, WriteValue]) -> str:
    """The text of a row that does not exist yet (empty if all values are).
    The hot loop when thousands of rows are appended, hence spelled out."""
    number = str(row)
    column_styles, s_attrs, money = ctx.column_styles, ctx.style_attrs, ctx.money_columns
    prefix, date1904 = ctx.prefix, ctx.date1904
    cells = []
    for col, value in sorted(changes.items()):
        if value is None or (type(value) is str and not value):
            continue
        base = column_styles.get(col, 0)
        s_attr = s_attrs.get((base, type(value), col in money))
        if s_attr is None:
            s_attr = ctx.s_attr(base, value, col)
        cells.append(render_cell(prefix, LETTERS[col] + number, value, s_attr, date1904))
    return f'<{ctx.prefix}row r="{number}">{"".join(cells)}</{ctx.prefix}row>' if cells else ""


def patch_row(ctx: SheetContext, row: int, parsed: ParsedRow, changes: Mapping[int, WriteValue]) -> str:
    """The new text of existing row `row` (empty when nothing is left of it)."""
    p = ctx.prefix
    row_attrs = attrs(parsed.open_tag)
    row_style = _row_style(row_attrs)
    cells = {cell.col: cell.text for cell in parsed.cells}
    styles = {cell.col: cell.style for cell in parsed.cells}
    if ctx.masters:
        for col, text in cells.items():
            if col not in changes:
                cells[col] = unshare(text, p, ctx.masters, row, col)
    for col, value in changes.items():
        old = cells.pop(col, None)
        if old is not None and has_formula(old, p):
            ctx.formulas_changed = True
        if is_blank(value):
            continue
        if col in styles:
            base = styles[col]
        else:
            base = row_style if row_style is not None else ctx.column_styles.get(col, 0)
        cells[col] = ctx.cell(cell_ref(row, col), col, value, base)
    open_tag = set_attr(remove_attr(parsed.open_tag, "spans"), "r", str(row))
    if not cells and not parsed.tail.strip() and set(row_attrs) <= {"r", "spans"}:
        return ""
    if open_tag.endswith("/>"):
        open_tag = open_tag[:-2].rstrip() + ">"
    body = "".join(cells[col] for col in sorted(cells))
    return f"{open_tag}{body}{parsed.tail}</{p}row>"
