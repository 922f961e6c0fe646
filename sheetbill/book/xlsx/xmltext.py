"""Cell text <-> XML character data.

Beyond XML's own escapes, OOXML text escapes characters as `_xHHHH_`
(Excel writes a carriage return as `_x000D_`, and a literal `_x0041_` as
`_x005F_x0041_`). Both directions honour that, so text survives Excel.
"""

from __future__ import annotations

import re

_MARKUP = frozenset("&<>_")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LOOKS_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def escape_text(text: str) -> str:
    """Character data for `text`: illegal XML characters dropped, markup and
    carriage returns escaped, and OOXML-looking escapes protected."""
    if text.isprintable() and _MARKUP.isdisjoint(text):
        return text
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    if "_x" in text:
        text = _LOOKS_ESCAPED.sub(r"_x005F_\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;")


def escape_attr(text: str) -> str:
    """An attribute value (double-quoted) for `text`."""
    return escape_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name[0] == "#":
        return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
    return _NAMED[name]


def parse_chars(raw: str) -> str:
    """The text of raw character data as an XML parser reads it: line ends
    normalised, character and entity references resolved."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in raw:
        raw = _ENTITY.sub(_entity, raw)
    return raw


def decode_ooxml(text: str) -> str:
    """Undo OOXML `_xHHHH_` escapes in text an XML parser already read."""
    if "_x" in text:
        return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text
