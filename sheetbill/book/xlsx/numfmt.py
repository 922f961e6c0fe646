"""Which number formats show a date, which a date with a time, and which a percentage.

A format shows a date when its first section has date or time tokens
(d, m, y, h, s, AM/PM, elapsed [h]) outside quoted text, brackets such as
`[Red]` or `[$-409]`, and escaped characters (`\\x`, `_x`, `*x`). It shows
a percentage when it has a `%` outside those (the number is shown times 100):
built-in 9 (`0%`) and 10 (`0.00%`), or a code of the workbook's own like `0.0%`.
A code that has the sign only as text (`0"%"`, `0\\%`) shows the number itself
beside a percent sign.
"""

from __future__ import annotations

import re
from typing import Literal

DateKind = Literal["date", "datetime"]
NumberKind = Literal["date", "datetime", "percent", "percent_sign"]  # what a number under a format reads as

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
_PERCENT_IDS = frozenset({9, 10})

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


def code_percent(code: str) -> bool:
    """Whether a format code shows its number as a percentage (`0%`, `0.0%`, `#,##0.00 %`;
    not `0"%"` or `0\\%`, which only add the sign)."""
    return "%" in _NOISE.sub("", code)


def number_kind(num_fmt_id: int, custom: dict[int, str]) -> NumberKind | None:
    """What a number under a format id reads as: a date, a date-time, a percentage, the
    number beside a percent sign, or (None) the number it is."""
    kind = format_kind(num_fmt_id, custom)
    if kind is not None:
        return kind
    if num_fmt_id in custom:
        code = custom[num_fmt_id]
        if code_percent(code):
            return "percent"
        return "percent_sign" if "%" in code else None
    return "percent" if num_fmt_id in _PERCENT_IDS else None
