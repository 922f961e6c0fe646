"""What people changed since the last cycle: rows compared with the snapshot.

Both sides are `Rows`: per tab, row key -> field -> the cell's text. The
snapshot is what the workbook held after the worker's last write, so every
difference is a person's edit.
"""

from __future__ import annotations

from typing import Mapping

from .changelog import Change

Rows = Mapping[str, Mapping[str, Mapping[str, str]]]  # tab -> key -> field -> text


def human_edits(before: Rows, now: Rows, at: str, actor: str, tab_name, header) -> list[Change]:
    """Changelog rows for every inserted, deleted and edited row of every tab
    present in both `before` and `now`. `tab_name(tab)` and `header(tab, field)`
    give the names the admin sees."""
    out: list[Change] = []
    for tab in now:
        if tab not in before:
            continue
        old, new = before[tab], now[tab]
        name = tab_name(tab)
        for key, fields in new.items():
            previous = old.get(key)
            if previous is None:
                out.append(Change(at, actor, "insert", name, key, "", "", _summary(tab, fields, header)))
                continue
            if fields == previous:  # most rows: compared at once
                continue
            for field in fields.keys() | previous.keys():
                a, b = previous.get(field, ""), fields.get(field, "")
                if a != b:
                    out.append(Change(at, actor, "edit", name, key, header(tab, field), a, b))
        for key, fields in old.items():
            if key not in new:
                out.append(Change(at, actor, "delete", name, key, "", _summary(tab, fields, header), ""))
    return out


def _summary(tab: str, fields: Mapping[str, str], header) -> str:
    """A deleted or inserted row in one cell: its non-empty values."""
    return "; ".join(f"{header(tab, k)}={v}" for k, v in fields.items() if v)
