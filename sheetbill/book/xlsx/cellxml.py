"""One written value -> its `<c>` element.

Text is always an inline string (`t="inlineStr"`, with `xml:space="preserve"`
where its whitespace needs it),
so `=1+1` stays text and the shared string table is never touched. Numbers
are written from their own text; dates as serials under a date style.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from .errors import UnsupportedEdit
from .serial import from_date, from_datetime
from .values import WriteValue
from .xmltext import escape_text

MAX_TEXT = 32767
_PRESERVE = ' xml:space="preserve"'


def _spaced(text: str) -> bool:
    """Whether `text` needs `xml:space="preserve"` to keep its whitespace in every reader:
    at either end, a line break, a tab or a run of spaces (as Excel writes it: most cells
    need none, and the attribute is a fifth of a typical row's bytes)."""
    return text != text.strip() or "\n" in text or "\t" in text or "  " in text


def style_attr(style: int) -> str:
    """The `s` attribute for a style number (none for the default style 0)."""
    return f' s="{style}"' if style else ""


def render_cell(prefix: str, ref: str, value: WriteValue, s_attr: str, date1904: bool) -> str:
    """The element for a non-empty value; `s_attr` from `style_attr`."""
    p = prefix
    if type(value) is Decimal and value.is_finite():
        return f'<{p}c r="{ref}"{s_attr}><{p}v>{value}</{p}v></{p}c>'
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise UnsupportedEdit(f"{ref}: text of {len(value)} characters is longer than Excel's {MAX_TEXT}")
        text = escape_text(value)
        space = _PRESERVE if _spaced(value) else ""
        return f'<{p}c r="{ref}"{s_attr} t="inlineStr"><{p}is><{p}t{space}>{text}</{p}t></{p}is></{p}c>'
    if isinstance(value, bool):
        return f'<{p}c r="{ref}"{s_attr} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
    return f'<{p}c r="{ref}"{s_attr}><{p}v>{number_text(ref, value, date1904)}</{p}v></{p}c>'


def number_text(ref: str, value: WriteValue, date1904: bool) -> str:
    """The `<v>` text of a number, date or datetime."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise UnsupportedEdit(f"{ref}: {value} is not a number Excel can hold")
        return str(value)
    if isinstance(value, datetime):
        return from_datetime(value, date1904)
    if isinstance(value, date):
        return from_date(value, date1904)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"{ref}: cannot write a {type(value).__name__}; write str, Decimal, int, date, datetime or bool")
