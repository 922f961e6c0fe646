"""A1-style cell references: `B7` is row 7 (1-based), column 1 (0-based)."""

from __future__ import annotations

import re
from functools import cache

from .errors import BrokenWorkbook

MAX_COLUMNS = 16384
MAX_ROWS = 1_048_576
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+)")


@cache
def column_index(letters: str) -> int:
    """`A` -> 0, `Z` -> 25, `AA` -> 26."""
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index - 1


def column_letters(index: int) -> str:
    """0 -> `A`, 26 -> `AA`."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


LETTERS = tuple(column_letters(index) for index in range(MAX_COLUMNS))
"""Column letters by 0-based index."""


def cell_ref(row: int, col: int) -> str:
    """(7, 1) -> `B7`."""
    return f"{LETTERS[col]}{row}"


def parse_ref(ref: str) -> tuple[int, int]:
    """`B7` -> (7, 1)."""
    match = _REF.fullmatch(ref)
    if not match:
        raise BrokenWorkbook(f"{ref!r} is not a cell reference")
    return int(match.group(2)), column_index(match.group(1))


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """`A1:M100` -> (first row, first col, last row, last col); `B7` is a one-cell range."""
    first, _, last = ref.partition(":")
    top, left = parse_ref(first)
    bottom, right = parse_ref(last) if last else (top, left)
    return top, left, bottom, right


def range_ref(top: int, left: int, bottom: int, right: int) -> str:
    """(1, 0, 100, 12) -> `A1:M100`; a single cell as `A1`."""
    if (top, left) == (bottom, right):
        return cell_ref(top, left)
    return f"{cell_ref(top, left)}:{cell_ref(bottom, right)}"
