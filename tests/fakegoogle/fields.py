"""Field masks: the ``fields`` query parameter and ``fields`` in update requests.

Google accepts ``a,b/c,files(id,name)`` (Drive style) and
``sheets.properties.title`` (FieldMask style); both parse to the same tree,
``{"a": {}, "b": {"c": {}}, "files": {"id": {}, "name": {}}}``, where an
empty subtree means "the whole field".
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import ApiError

Mask = dict[str, "Mask"]


def parse(text: str) -> Mask:
    """Parse a field mask; raises a 400 for unbalanced parentheses."""
    tree: Mask = {}
    pos = _parse_list(text.replace(" ", ""), 0, [tree])
    if pos != len(text.replace(" ", "")):
        raise ApiError(400, f"Invalid field selection {text}")
    return tree


def _parse_list(text: str, pos: int, targets: list[Mask]) -> int:
    """Parse comma-separated paths into every tree in ``targets``."""
    while pos < len(text):
        if text[pos] == ")":
            return pos
        if text[pos] == ",":
            pos += 1
            continue
        nodes = list(targets)
        name = ""
        while pos < len(text) and text[pos] not in ",()":
            char = text[pos]
            if char in "/.":
                nodes = [node.setdefault(name, {}) for node in nodes] if name else nodes
                name = ""
            else:
                name += char
            pos += 1
        if name:
            nodes = [node.setdefault(name, {}) for node in nodes]
        if pos < len(text) and text[pos] == "(":
            pos = _parse_list(text, pos + 1, nodes)
            if pos >= len(text) or text[pos] != ")":
                raise ApiError(400, f"Invalid field selection {text}")
            pos += 1
    return pos


def select(obj: Any, mask: Mask) -> Any:
    """Keep only the masked fields of a response object (lists map over items)."""
    if not mask or "*" in mask:
        return obj
    if isinstance(obj, list):
        return [select(item, mask) for item in obj]
    if not isinstance(obj, dict):
        return obj
    return {key: select(obj[key], sub) for key, sub in mask.items() if key in obj}


def apply(target: dict[str, Any], source: dict[str, Any] | None, mask: Mask) -> None:
    """Copy the masked fields of ``source`` onto ``target`` in place.

    A masked field absent (or null) in ``source`` is cleared in ``target``,
    which is how Google's update requests reset a field.
    """
    source = source or {}
    for key, sub in mask.items():
        if key == "*":
            target.clear()
            target.update(copy.deepcopy(prune(source)))
            continue
        value = source.get(key)
        if sub:
            child = target.get(key)
            child = child if isinstance(child, dict) else {}
            apply(child, value if isinstance(value, dict) else {}, sub)
            if child:
                target[key] = child
            else:
                target.pop(key, None)
            continue
        value = prune(value)
        if value is None or value == {}:
            target.pop(key, None)
        else:
            target[key] = copy.deepcopy(value)


def prune(value: Any) -> Any:
    """Drop nulls, empty objects and empty lists, recursively (how Google stores input)."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = prune(item)
            if item is None or item == {} or item == []:
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        return [prune(item) for item in value]
    return value


def top_names(mask: Mask) -> set[str]:
    """The first-level field names a mask touches."""
    return set(mask)
