"""Formulas in cells that an edit overwrites.

* Shared formulas: Excel stores a filled-down formula once, in its master
  cell (`<f t="shared" ref="C2:C9" si="0">A2*B2</f>`); the other cells
  only say `<f t="shared" si="0"/>`. When the master is overwritten, every
  dependent gets its own formula, translated to its position, so nothing
  the admin sees changes.
* Array formulas and data tables (`t="array"` / `t="dataTable"` with a
  `ref`): overwriting the master drops the formula (the other cells keep
  their last values); writing into any other cell of the range is refused,
  as Excel itself refuses to change part of an array.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from openpyxl.formula.translate import Translator, TranslatorError

from .errors import BrokenWorkbook, UnsupportedEdit
from .refs import cell_ref, parse_range
from .xmledit import attrs
from .xmltext import escape_text, parse_chars

Area = tuple[int, int, int, int]


@dataclass(frozen=True)
class SharedMaster:
    """The master cell of a shared formula, and the area it may fill."""

    si: str
    row: int
    col: int
    formula: str
    area: Area


@cache
def _formula(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"<{re.escape(prefix)}f(?=[\s/>])([^>]*?)(?:/>|>(.*?)</{re.escape(prefix)}f>)", re.S)


def has_formula(cell: str, prefix: str) -> bool:
    return _formula(prefix).search(cell) is not None


def shared_master(cell: str, prefix: str, row: int, col: int) -> SharedMaster | None:
    """The shared formula a cell is the master of, if any."""
    match = _formula(prefix).search(cell)
    if match is None:
        return None
    found = attrs(match.group(1))
    if found.get("t") != "shared" or "ref" not in found:
        return None
    return SharedMaster(found.get("si", ""), row, col, parse_chars(match.group(2) or ""), parse_range(found["ref"]))


def unshare(cell: str, prefix: str, masters: dict[str, SharedMaster], row: int, col: int) -> str:
    """A dependent cell of one of `masters` with the formula written out."""
    match = _formula(prefix).search(cell)
    if match is None:
        return cell
    found = attrs(match.group(1))
    master = masters.get(found.get("si", "")) if found.get("t") == "shared" and "ref" not in found else None
    if master is None:
        return cell
    try:
        text = Translator("=" + master.formula, origin=cell_ref(master.row, master.col)).translate_formula(
            cell_ref(row, col)
        )
    except TranslatorError as exc:
        origin = cell_ref(master.row, master.col)
        raise BrokenWorkbook(f"the shared formula of {origin} cannot be copied ({exc})") from exc
    element = f"<{prefix}f>{escape_text(text[1:])}</{prefix}f>"
    return cell[: match.start()] + element + cell[match.end() :]


_ARRAY = re.compile(rb'<(?:[\w.-]+:)?f\b[^>]*?\bt="(?:array|dataTable)"[^>]*>')
_REF = re.compile(rb'\bref="([^"]+)"')


def array_areas(sheet: bytes | bytearray, start: int, end: int) -> list[Area]:
    """The areas of the array formulas and data tables in `sheet[start:end]`."""
    if sheet.find(b'"array"', start, end) < 0 and sheet.find(b'"dataTable"', start, end) < 0:
        return []
    areas = []
    for match in _ARRAY.finditer(sheet, start, end):
        ref = _REF.search(match.group(0))
        if ref:
            areas.append(parse_range(ref.group(1).decode("ascii")))
    return areas


def check_arrays(areas: list[Area], cells: list[tuple[int, int]], sheet: str) -> None:
    """Refuse a write into an array area other than at its master cell."""
    for top, left, bottom, right in areas:
        for row, col in cells:
            if top <= row <= bottom and left <= col <= right and (row, col) != (top, left):
                raise UnsupportedEdit(
                    f"{sheet}!{cell_ref(row, col)} is part of the array formula in "
                    f"{cell_ref(top, left)}; clear that formula before sheetbill writes there"
                )
