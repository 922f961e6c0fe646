"""Cell styles for written values: keep the cell's own style where it already
shows the value right, otherwise find or add a copy of it (same font, fill,
border, alignment) with the number format the value needs.

| value                       | kept when the cell's format is | else numFmtId |
|-----------------------------|--------------------------------|---------------|
| date                        | a date format without time     | 14            |
| datetime                    | a date format with time        | 22            |
| number in a money column    | a number format (not General/Text/date) | 4 `#,##0.00` |
| other number                | anything but a date format     | 0 General     |
| text, bool                  | anything                       | (kept)        |

New cell styles are appended to `cellXfs` in xl/styles.xml; nothing else
in that part changes.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from .errors import BrokenWorkbook
from .numfmt import DATE, DATETIME, GENERAL, MONEY, TEXT
from .styles import NumberFormats, parse_number_formats
from .values import WriteValue
from .xmledit import attrs, find_element, find_elements, set_attr

MINIMAL_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


Item = tuple[str, str]
"""A style element as (start tag, the rest): `('<xf numFmtId="0" .../>', '')`."""


def _key(item: Item) -> tuple[tuple[tuple[str, str], ...], str]:
    """A style element's identity: its sorted attributes and its children."""
    return tuple(sorted(attrs(item[0]).items())), item[1]


class _List:
    """One list of style elements (`cellXfs` of `xf`, `fonts` of `font`)."""

    def __init__(self, text: str, container: str, item: str) -> None:
        span = find_element(text, container)
        if span is None or span.self_closing:
            raise BrokenWorkbook(f"the styles part has no {container}")
        self.container, self.prefix = container, span.prefix
        self.items: list[Item] = [
            (text[s.start : s.open_end], text[s.open_end : s.end])
            for s in find_elements(text, item, span.open_end, span.inner_end)
        ]
        self.known = {_key(item): index for index, item in enumerate(self.items)}
        self.added: list[Item] = []

    def variant(self, index: int, changes: dict[str, str]) -> int:
        """The index of item `index` with attributes changed, added if new."""
        open_tag, rest = self.items[index]
        for name, value in changes.items():
            open_tag = set_attr(open_tag, name, value)
        return self.find_or_add((open_tag, rest))

    def find_or_add(self, item: Item) -> int:
        key = _key(item)
        if key not in self.known:
            self.known[key] = len(self.items) + len(self.added)
            self.added.append(item)
        return self.known[key]

    def apply(self, text: str) -> str:
        """`text` with the added items appended and the count updated."""
        if not self.added:
            return text
        span = find_element(text, self.container)
        assert span is not None
        open_tag = set_attr(text[span.start : span.open_end], "count", str(len(self.items) + len(self.added)))
        body = text[span.open_end : span.inner_end] + "".join(a + b for a, b in self.added)
        return text[: span.start] + open_tag + body + text[span.inner_end :]


class StyleBook:
    """The styles part being edited; `style_for` picks each written cell's style."""

    def __init__(self, data: bytes | None, part: str) -> None:
        self.created = data is None
        self.text = MINIMAL_STYLES if data is None else data.decode("utf-8")
        self.formats: NumberFormats = parse_number_formats(self.text.encode("utf-8"), part)
        self._lists: dict[str, _List] = {}
        self._cache: dict[tuple[int, str], int] = {}

    def _list(self, container: str, item: str) -> _List:
        """A list of style elements, parsed when first needed."""
        if container not in self._lists:
            self._lists[container] = _List(self.text, container, item)
        return self._lists[container]

    def added(self) -> int:
        """How many style elements were added so far."""
        return sum(len(found.added) for found in self._lists.values())

    @property
    def changed(self) -> bool:
        return self.created or any(found.added for found in self._lists.values())

    def style_for(self, style: int, value: WriteValue, money: bool) -> int:
        """The style for `value` written over a cell of style `style`."""
        if isinstance(value, datetime):
            need = "datetime"
        elif isinstance(value, date):
            need = "date"
        elif isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            need = "money" if money else "number"
        else:
            return style
        cached = self._cache.get((style, need))
        if cached is None:
            cached = self._cache[(style, need)] = self._pick(style, need)
        return cached

    def _pick(self, style: int, need: str) -> int:
        style = style if 0 <= style < len(self.formats.xf_formats) else 0
        kind = self.formats.kind(style)
        fmt = self.formats.format_id(style)
        if need == "date":
            return style if kind == "date" else self._with_format(style, DATE)
        if need == "datetime":
            return style if kind == "datetime" else self._with_format(style, DATETIME)
        if need == "money":
            return style if kind is None and fmt not in (GENERAL, TEXT) else self._with_format(style, MONEY)
        return style if kind is None else self._with_format(style, GENERAL)

    def _with_format(self, style: int, num_fmt: int) -> int:
        return self._list("cellXfs", "xf").variant(style, {"numFmtId": str(num_fmt), "applyNumberFormat": "1"})

    def bold(self) -> int:
        """A style like the default one, in bold."""
        fonts = self._list("fonts", "font")
        open_tag, rest = fonts.items[0]
        bold = f"<{fonts.prefix}b/>"
        if bold not in rest:
            if open_tag.endswith("/>"):
                open_tag, rest = open_tag[:-2] + ">", f"</{fonts.prefix}font>"
            rest = bold + rest
        font = fonts.find_or_add((open_tag, rest))
        return self._list("cellXfs", "xf").variant(0, {"fontId": str(font), "applyFont": "1"})

    def xml(self) -> bytes:
        """The edited styles part."""
        text = self.text
        for found in self._lists.values():
            text = found.apply(text)
        return text.encode("utf-8")
