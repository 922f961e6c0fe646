"""A1 notation: parse ranges such as ``'My Sheet'!A1:C``, print them as Google does.

Indices are 0-based with exclusive ends; ``None`` marks an open side
(``A:A`` has no row bounds, ``A1:C`` no last row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ApiError

_CELL = re.compile(r"^([A-Za-z]{0,3})(\d*)$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CELL_LIKE = re.compile(r"^[A-Za-z]{1,3}\d+$|^[Rr]\d*[Cc]\d*$")


@dataclass(frozen=True)
class A1:
    """A parsed range: optional sheet title plus optional bounds."""

    sheet: str | None
    r0: int | None = None
    r1: int | None = None
    c0: int | None = None
    c1: int | None = None

    @property
    def whole_sheet(self) -> bool:
        return self.r0 is None and self.r1 is None and self.c0 is None and self.c1 is None

    @property
    def single_cell(self) -> bool:
        return (
            self.r0 is not None
            and self.c0 is not None
            and self.r1 == self.r0 + 1
            and self.c1 == self.c0 + 1
        )


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, AA -> 26."""
    value = 0
    for char in letters.upper():
        value = value * 26 + (ord(char) - 64)
    return value - 1


def quote_title(title: str) -> str:
    """Quote a sheet title the way Google prints it in ranges."""
    if _PLAIN_TITLE.match(title) and not _CELL_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def split_sheet(text: str) -> tuple[str | None, str | None]:
    """Split ``'Sheet'!A1`` into (title, cells); either part may be absent."""
    text = text.strip()
    if text.startswith("'"):
        pos, title = 1, ""
        while pos < len(text):
            if text[pos] == "'":
                if pos + 1 < len(text) and text[pos + 1] == "'":
                    title += "'"
                    pos += 2
                    continue
                break
            title += text[pos]
            pos += 1
        rest = text[pos + 1 :]
        if not rest:
            return title, None
        if not rest.startswith("!"):
            raise unable_to_parse(text)
        return title, rest[1:]
    if "!" in text:
        title, _, cells = text.rpartition("!")
        return title, cells
    return None, text


def parse_cells(cells: str) -> tuple[int | None, int | None, int | None, int | None] | None:
    """Parse ``A1:B2``-style bounds; None when the text is not a cell range."""
    parts = cells.split(":")
    if len(parts) > 2 or not all(parts):
        return None
    points = []
    for part in parts:
        match = _CELL.match(part.replace("$", ""))
        if not match or not (match.group(1) or match.group(2)):
            return None
        col = column_index(match.group(1)) if match.group(1) else None
        row = int(match.group(2)) - 1 if match.group(2) else None
        if row is not None and row < 0:
            return None
        points.append((row, col))
    (ra, ca) = points[0]
    (rb, cb) = points[-1]
    if len(points) == 1:
        if ra is None or ca is None:
            return None
        return ra, ra + 1, ca, ca + 1
    rows = _bounds(ra, rb)
    cols = _bounds(ca, cb)
    return rows[0], rows[1], cols[0], cols[1]


def _bounds(a: int | None, b: int | None) -> tuple[int | None, int | None]:
    if a is not None and b is not None:
        return min(a, b), max(a, b) + 1
    if a is not None:
        return a, None
    if b is not None:
        return None, b + 1
    return None, None


def parse(text: str) -> A1:
    """Parse a range; a bare word that is not a cell range is a sheet title."""
    title, cells = split_sheet(text)
    if cells is None:
        return A1(title)
    bounds = parse_cells(cells)
    if bounds is None:
        if title is None:
            return A1(cells)
        raise unable_to_parse(text)
    r0, r1, c0, c1 = bounds
    return A1(title, r0, r1, c0, c1)


def format_range(title: str, r0: int, r1: int, c0: int, c1: int) -> str:
    """Print a bounded range: ``Sheet1!A1:B2``, or ``Sheet1!A1`` for one cell."""
    start = f"{column_letters(c0)}{r0 + 1}"
    end = f"{column_letters(c1 - 1)}{r1}"
    cells = start if (r1 - r0 == 1 and c1 - c0 == 1) else f"{start}:{end}"
    return f"{quote_title(title)}!{cells}"


def unable_to_parse(text: str) -> ApiError:
    return ApiError(400, f"Unable to parse range: {text}")
