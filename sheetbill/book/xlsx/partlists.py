"""Edits of the package's lists of parts: `[Content_Types].xml` overrides
and `.rels` relationships. Each edit touches one element only."""

from __future__ import annotations

import re

from .errors import BrokenWorkbook
from .xmledit import attrs, find_elements
from .xmltext import escape_attr

CONTENT_TYPES = "[Content_Types].xml"


def _insert_before_close(text: str, root: str, element: str) -> str:
    closes = list(re.finditer(rf"</(?:[A-Za-z_][\w.-]*:)?{root}\s*>", text))
    if not closes:
        raise BrokenWorkbook(f"a <{root}> part is not closed")
    at = closes[-1].start()
    return text[:at] + element + text[at:]


def _prefix(text: str, root: str) -> str:
    match = re.search(rf"<([A-Za-z_][\w.-]*:)?{root}(?=[\s>])", text)
    return (match.group(1) or "") if match else ""


def drop_override(text: str, part: str) -> str:
    """Content types without the override for `part`."""
    for span in find_elements(text, "Override"):
        if attrs(text[span.start : span.open_end]).get("PartName", "").lower() == "/" + part.lower():
            return text[: span.start] + text[span.end :]
    return text


def add_override(text: str, part: str, content_type: str) -> str:
    """Content types with an override for a new part."""
    p = _prefix(text, "Types")
    element = f'<{p}Override PartName="/{escape_attr(part)}" ContentType="{escape_attr(content_type)}"/>'
    return _insert_before_close(text, "Types", element)


def drop_relationship(text: str, rel_id: str) -> str:
    """Relationships without the one with id `rel_id`."""
    for span in find_elements(text, "Relationship"):
        if attrs(text[span.start : span.open_end]).get("Id") == rel_id:
            return text[: span.start] + text[span.end :]
    return text


def add_relationship(text: str, rel_type: str, target: str) -> tuple[str, str]:
    """Relationships with a new one, and its fresh id."""
    taken = {attrs(text[s.start : s.open_end]).get("Id") for s in find_elements(text, "Relationship")}
    number = len(taken) + 1
    while f"rId{number}" in taken:
        number += 1
    rel_id = f"rId{number}"
    p = _prefix(text, "Relationships")
    element = f'<{p}Relationship Id="{rel_id}" Type="{escape_attr(rel_type)}" Target="{escape_attr(target)}"/>'
    return _insert_before_close(text, "Relationships", element), rel_id
