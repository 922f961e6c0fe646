"""Small, surgical edits of XML text: find an element, read or change one
attribute, insert before a closing tag. Everything not edited keeps its
exact bytes, which re-serialising through a parser would not guarantee.

Element names are matched with any namespace prefix (`x:row` as well as
`row`); `prefix_of` tells which one a part uses so new elements match it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .errors import BrokenWorkbook
from .xmltext import escape_attr, parse_chars

_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
PREFIX = r"(?:[A-Za-z_][\w.-]*:)?"


@dataclass(frozen=True)
class Span:
    """Where an element sits in a text: `start`..`end` for the whole element,
    `open_end` just after its start tag, `inner_end` at its end tag (equal
    to `end` for a self-closing `<x/>`)."""

    start: int
    open_end: int
    inner_end: int
    end: int
    prefix: str

    @property
    def self_closing(self) -> bool:
        return self.inner_end == self.end


@cache
def _open_tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"<({PREFIX}){re.escape(name)}(?=[\s/>])[^>]*?(/?)>", re.S)


def find_element(text: str, name: str, start: int = 0, end: int | None = None) -> Span | None:
    """The first `name` element (any prefix) in `text[start:end]`; elements
    of that name must not nest."""
    match = _open_tag(name).search(text, start, len(text) if end is None else end)
    if match is None:
        return None
    prefix, slash = match.group(1), match.group(2)
    if slash:
        return Span(match.start(), match.end(), match.end(), match.end(), prefix)
    close = f"</{prefix}{name}>"
    stop = text.find(close, match.end())
    if stop < 0:
        raise BrokenWorkbook(f"<{prefix}{name}> is not closed")
    return Span(match.start(), match.end(), stop, stop + len(close), prefix)


def find_elements(text: str, name: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Every `name` element in `text[start:end]`, in order."""
    found = []
    stop = len(text) if end is None else end
    while (span := find_element(text, name, start, stop)) is not None:
        found.append(span)
        start = span.end
    return found


def attrs(start_tag: str) -> dict[str, str]:
    """The attributes of a start tag, values unescaped, in document order."""
    return {
        m.group(1): parse_chars(m.group(2) if m.group(2) is not None else m.group(3))
        for m in _ATTR.finditer(start_tag)
    }


def set_attr(start_tag: str, name: str, value: str) -> str:
    """`start_tag` with attribute `name` set to `value` (added at the end if absent)."""
    quoted = f'{name}="{escape_attr(value)}"'
    pattern = re.compile(rf"""(?<=\s){re.escape(name)}\s*=\s*(?:"[^"]*"|'[^']*')""")
    if pattern.search(start_tag):
        return pattern.sub(lambda _: quoted, start_tag, count=1)
    closing = "/>" if start_tag.endswith("/>") else ">"
    return f"{start_tag[: -len(closing)].rstrip()} {quoted}{closing}"


def remove_attr(start_tag: str, name: str) -> str:
    """`start_tag` without attribute `name`."""
    return re.sub(rf"""\s+{re.escape(name)}\s*=\s*(?:"[^"]*"|'[^']*')""", "", start_tag, count=1)
