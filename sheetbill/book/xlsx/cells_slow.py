"""The general sheet reader: lxml iterparse, for any well-formed sheet
(namespace prefixes, cells or rows without `r`, any attribute order)."""

from __future__ import annotations

from typing import IO

from lxml import etree

from .decode import CellDecoder
from .errors import BrokenWorkbook
from .opc import local
from .refs import cell_ref, parse_ref
from .values import SheetValues, Value


def _inline_text(node: etree._Element) -> str:
    return "".join(t.text or "" for t in node.iter("{*}t")
                   if (parent := t.getparent()) is None or local(parent.tag) != "rPh")


def read_slow(stream: IO[bytes], decoder: CellDecoder) -> SheetValues:
    """The values of any well-formed sheet."""
    grid: dict[int, dict[int, Value]] = {}
    max_row = row = 0
    col = -1
    events = etree.iterparse(
        stream, events=("start", "end"), tag=("{*}row", "{*}c"), resolve_entities=False, huge_tree=True
    )
    try:
        for event, node in events:
            if local(node.tag) == "row":
                if event == "start":
                    row = int(node.get("r") or row + 1)
                    col = -1
                else:
                    node.clear()
                    while node.getprevious() is not None:
                        del node.getparent()[0]
                continue
            if event == "start" or local(node.getparent().tag) != "row":
                continue
            ref = node.get("r")
            if ref:
                row, col = parse_ref(ref)
            else:
                col += 1
            v = formula = inline = None
            for child in node:
                name = local(child.tag)
                if name == "v":
                    v = child.text or ""
                elif name == "f":
                    formula = child.text or ""
                elif name == "is":
                    inline = _inline_text(child)
            value = decoder.decode(ref or cell_ref(row, col), node.get("t"), node.get("s"), v, formula, inline)
            if v or formula is not None or inline is not None:
                max_row = max(max_row, row)
            if value is not None:
                grid.setdefault(row, {})[col] = value
    except etree.XMLSyntaxError as exc:
        raise BrokenWorkbook(f"the sheet {decoder.sheet!r} is not well-formed XML ({exc})") from exc
    return SheetValues([(number, _values(grid[number])) for number in sorted(grid)], max_row)


def _values(cells: dict[int, Value]) -> tuple[Value, ...]:
    values: list[Value] = [None] * (max(cells) + 1)
    for col, value in cells.items():
        values[col] = value
    return tuple(values)
