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
from typing import NamedTuple

from .cellxml import render_cell, style_attr
from .errors import BrokenWorkbook
from .formulas import SharedMaster, has_formula, unshare
from .refs import LETTERS, cell_ref, column_index, parse_ref
from .stylebook import StyleBook
from .values import WriteValue
from .xmledit import attrs, remove_attr, set_attr


class Cell(NamedTuple):
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


_SPANS = re.compile(r"""\s+spans\s*=\s*(?:"[^"]*"|'[^']*')""")


@cache
def _cell_patterns(prefix: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Cells in their usual form (`r` first, then maybe `s`), and in any form."""
    p = re.escape(prefix)
    usual = re.compile(rf'(<{p}c r="([A-Z]{{1,3}})([0-9]+)"(?: s="([0-9]+)")?([^>]*?)(?:/>|>.*?</{p}c>))', re.S)
    general = re.compile(rf"\s*(<{p}c(?=[\s/>])([^>]*?)(?:/>|>.*?</{p}c>))", re.S)
    return usual, general


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def _usual_cells(text: str, prefix: str, start: int, end: int) -> list[tuple[str, str, str, str, str]] | None:
    """The cells of a row in one regex pass, if all are in the usual form
    (every `<c` is matched) and the row has no extension list."""
    if f"<{prefix}extLst" in text:
        return None
    found = _cell_patterns(prefix)[0].findall(text, start, end)
    opener = f"<{prefix}c"
    openers = text.count(opener, start, end)
    if openers != len(found):
        openers -= text.count(opener + "o", start, end) + text.count(opener + "h", start, end)
    return found if openers == len(found) else None


def parse_row(text: str, prefix: str, row: int, sheet: str) -> ParsedRow:
    """Split the text of a `<row>` element into its parts."""
    open_end = text.index(">") + 1
    open_tag = text[:open_end]
    if open_tag.endswith("/>"):
        return ParsedRow(open_tag, [], "")
    inner_end = text.rindex("</")
    usual = _usual_cells(text, prefix, open_end, inner_end)
    if usual is None:
        return _parse_any_row(text, prefix, row, sheet, open_end, inner_end)
    cells: list[Cell] = []
    number, last = str(row), -1
    for cell, letters, digits, style, rest in usual:
        if "s=" in rest:
            style = attrs(rest).get("s", style)
        col = column_index(letters)
        if digits != number or col <= last:
            raise BrokenWorkbook(f"{sheet}: cell {letters}{digits} is out of place in row {row}")
        cells.append(Cell(col, cell, _int(style)))
        last = col
    return ParsedRow(open_tag, cells, "")


def _parse_any_row(text: str, prefix: str, row: int, sheet: str, open_end: int, inner_end: int) -> ParsedRow:
    """`parse_row` for any form: cells without `r`, attributes in any order,
    whitespace between cells, an extension list after them."""
    general = _cell_patterns(prefix)[1]
    cells: list[Cell] = []
    pos, col = open_end, -1
    while (match := general.match(text, pos, inner_end)) is not None:
        cell = match.group(1)
        found = attrs(match.group(2))
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
    return ParsedRow(open_tag=text[:open_end], cells=cells, tail=tail)


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


def _row_open_tag(open_tag: str, prefix: str, row: int) -> str:
    """The start tag of a rewritten row: `spans` dropped, `r` made explicit."""
    usual = f'<{prefix}row r="{row}"'
    if open_tag.startswith(usual) and open_tag[len(usual)] in " />":
        return _SPANS.sub("", open_tag, count=1)
    return set_attr(remove_attr(open_tag, "spans"), "r", str(row))


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
    formula = f"<{p}f"
    for col, value in changes.items():
        old = cells.pop(col, None)
        if old is not None and formula in old and has_formula(old, p):
            ctx.formulas_changed = True
        if is_blank(value):
            continue
        if col in styles:
            base = styles[col]
        else:
            base = row_style if row_style is not None else ctx.column_styles.get(col, 0)
        cells[col] = ctx.cell(cell_ref(row, col), col, value, base)
    if not cells and not parsed.tail.strip() and set(row_attrs) <= {"r", "spans"}:
        return ""
    open_tag = _row_open_tag(parsed.open_tag, p, row)
    if open_tag.endswith("/>"):
        open_tag = open_tag[:-2].rstrip() + ">"
    body = "".join(cells[col] for col in sorted(cells))
    return f"{open_tag}{body}{parsed.tail}</{p}row>"
