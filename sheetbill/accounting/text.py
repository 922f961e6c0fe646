"""Small text helpers the file formats share: CSV into bytes, code pages, amounts."""

from __future__ import annotations

import csv
import io
import unicodedata
from decimal import Decimal
from typing import Iterable, Sequence

from ..core.number import CENT, money

# Letters a code page lacks that have a plain look-alike (decomposition does the accents).
_LOOKALIKE = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O",
                            "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŀ": "l", "Ŀ": "L", "\u2009": " ",
                            "\u00a0": " "})


def fit(text: str, encoding: str) -> str:
    """`text` with every character the encoding lacks replaced by its nearest plain letter."""
    out = []
    for ch in text:
        try:
            ch.encode(encoding)
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        plain = ch.translate(_LOOKALIKE)
        if plain == ch:
            plain = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        try:
            plain.encode(encoding)
            out.append(plain or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


def one_line(text: str) -> str:
    return " ".join(text.split())


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]], encoding: str = "utf-8",
              delimiter: str = ",", bom: bool = False) -> bytes:
    """Rows as CSV (CRLF, quoted where needed), encoded; text the encoding lacks is made plain."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    data = fit(buf.getvalue(), encoding).encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def amount(value: Decimal, minor: Decimal = CENT) -> str:
    """1234.5 -> '1234.50' (no thousands separator)."""
    return f"{money(value, minor):f}"
