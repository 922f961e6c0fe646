"""Sheets read before: an unchanged sheet is not parsed again, and a sheet
that grew or changed near its end is parsed only from its first changed
block of rows on.

A sheet's `Known` entry holds its part's fingerprint (CRC-32 and size), the
context its cells were decoded in (shared strings, styles, date system), its
values, and its sheetData cut into blocks of whole rows, each with the digest
of its text. A new version of the part is read block by block: while a
block's text has the same digest, its rows are the entry's rows; from the
first block that differs on, the rows are parsed. The fast reader's rows
depend only on the text of their own rows and on the context, so the result
is the same as a full read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .values import SheetValues

BLOCK = 256 << 10  # characters of sheetData per block (rows are never cut)


@dataclass(frozen=True, slots=True)
class Block:
    """A run of whole rows: its length in characters, the digest of its text,
    and the reader's position after it."""

    size: int
    digest: bytes
    rows: int  # rows read up to the end of this block
    row: int  # the last row number seen
    max_row: int  # the last row holding a value


@dataclass(frozen=True, slots=True)
class Known:
    fingerprint: str
    context: str
    head: bool  # only the first row and max_row were kept (a sheet the cycle only appends to)
    values: SheetValues
    blocks: tuple[Block, ...]


def digest(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass"), usedforsecurity=False).digest()
