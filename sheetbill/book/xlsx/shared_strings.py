"""The shared string table: one regex pass for the usual serialisation,
lxml for anything else. Rich text runs are joined; phonetic runs dropped."""

from __future__ import annotations

import re

from lxml import etree

from .opc import local
from .package import Package
from .xmltext import decode_ooxml, parse_chars

_ITEM = re.compile(r"<si>(.*?)</si>|<si/>", re.S)
_PHONETIC = re.compile(r"<rPh\b.*?</rPh>|<rPh\b[^>]*/>", re.S)
_TEXT = re.compile(r"<t(?:\s[^>]*)?>(.*?)</t>|<t(?:\s[^>]*)?/>", re.S)


def read_shared_strings(package: Package) -> list[str]:
    """The workbook's shared strings, by index (empty if it has none)."""
    rel = next(package.related(package.workbook_part, "/sharedStrings"), None)
    if rel is None or not package.has(rel.part):
        return []
    text = package.read(rel.part).decode("utf-8", errors="replace")
    fast = _fast(text)
    if fast is not None:
        return fast
    with package.open(rel.part) as stream:
        return _slow(stream)


def _fast(text: str) -> list[str] | None:
    head = text[:512]
    if "<sst" not in head or "<si " in text or "encoding=\"UTF-16" in head.upper():
        return None
    items = _ITEM.findall(text)
    if len(items) != text.count("<si>") + text.count("<si/>"):
        return None
    strings = []
    for item in items:
        if item.startswith("<t>") and item.endswith("</t>") and item.count("<") == 2:
            raw = item[3:-4]
        else:
            if "<rPh" in item:
                item = _PHONETIC.sub("", item)
            raw = "".join(_TEXT.findall(item))
        strings.append(decode_ooxml(parse_chars(raw)) if raw else "")
    return strings


def _slow(stream: object) -> list[str]:
    strings = []
    for _, node in etree.iterparse(stream, tag="{*}si", resolve_entities=False, huge_tree=True):
        parts = [
            t.text or ""
            for t in node.iter("{*}t")
            if local(t.getparent().tag) != "rPh"
        ]
        strings.append(decode_ooxml("".join(parts)))
        node.clear()
    return strings
