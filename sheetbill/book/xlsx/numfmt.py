"""Which number formats show a date, and which a date with a time.

A format shows a date when its first section has date or time tokens
(d, m, y, h, s, AM/PM, elapsed [h]) outside quoted text, brackets such as
`[Red]` or `[$-409]`, and escaped characters (`\\x`, `_x`, `*x`).
"""

from __future__ import annotations

import re
from typing import Literal

DateKind = Literal["date", "datetime"]

DATE = 14
DATETIME = 22
MONEY = 4
GENERAL = 0
TEXT = 49

_BUILTIN: dict[int, DateKind] = {
    **{n: "date" for n in range(14, 18)},
    **{n: "datetime" for n in range(18, 23)},
    45: "datetime",
    46: "datetime",
    47: "datetime",
}

_NOISE = re.compile(r'"[^"]*"|\\.|_.|\*.|\[(?![hms]+\])[^\]]*\]', re.IGNORECASE)
_TIME = re.compile(r"[hs]|am/pm|a/p", re.IGNORECASE)
_DATE = re.compile(r"[dmy]", re.IGNORECASE)


def code_kind(code: str) -> DateKind | None:
    """`"datetime"` for a format with a time of day, `"date"` for a date
    format without one, None for any other format."""
    first = _NOISE.sub("", code).split(";", 1)[0]
    if _TIME.search(first):
        return "datetime"
    if _DATE.search(first):
        return "date"
    return None


def format_kind(num_fmt_id: int, custom: dict[int, str]) -> DateKind | None:
    """The date kind of a format id, built-in or defined in styles.xml."""
    if num_fmt_id in custom:
        return code_kind(custom[num_fmt_id])
    return _BUILTIN.get(num_fmt_id)
