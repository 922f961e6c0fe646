"""The Changelog tab: one row per row created and per cell changed, hash-chained.

Each row's Hash covers its own fields and the previous row's Hash, so an
edited, inserted or deleted changelog row breaks the chain at that point.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Callable, Iterable, Iterator, Sequence

from .changes import Changes, Fields
from .record import record

GENESIS = "0" * 16
FIELDS = ("at", "actor", "action", "tab", "key", "field", "before", "after", "hash")  # the tab's columns
Entry = tuple[str, str, str, str, str, str, str, str]  # a Change's fields, unchained (`Change.fields`)
_ROW = Fields.of(*FIELDS)


@record
class Change:
    at: str
    actor: str
    action: str
    tab: str
    key: str
    field: str
    before: str
    after: str
    hash: str = ""

    def fields(self) -> Entry:
        return (self.at, self.actor, self.action, self.tab, self.key, self.field, self.before, self.after)



def text(value: object) -> str:
    """How a value reads in the Changelog: dates ISO, amounts as written."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Enum):  # a status: its text
        return str(value.value)
    return str(value)


def row_hash(change: Change, previous: str) -> str:
    return _hash(change.fields(), previous)


def _hash(fields: tuple[str, ...], previous: str) -> str:
    return hashlib.sha256("\x1f".join((previous,) + fields).encode("utf-8")).hexdigest()[:16]


def entries(changes: Changes, at: datetime, actor: str, header: Callable[[str, str], str],
            action: str | None = None) -> Iterator[Entry]:
    """The rows and cells of `changes`, as unchained changelog entries (plain tuples: a first
    cycle makes hundreds of thousands). `header(tab, field)` gives the names the admin sees
    (`header(tab, "")` is the tab's name); `action`, where given, stands for "create" and "update"."""
    stamp = utc_stamp(at)
    create, update = action or "create", action or "update"
    names: dict[tuple[str, str], str] = {}  # header's answers, asked once each

    def named(tab: str, field: str) -> str:
        found = names.get((tab, field))
        return found if found is not None else names.setdefault((tab, field), header(tab, field))

    for a in changes.rows:
        yield (stamp, actor, create, named(a.tab, ""), a.key, "", "", "")
    for w in changes.cells:
        key = w.key or (text(w.after) if w.field == "session_id" else f"row {w.row}")
        yield (stamp, actor, update, named(w.tab, ""), key, named(w.tab, w.field), text(w.before), text(w.after))


def chained_rows(fields: Iterable[Entry], previous: str) -> list[tuple[str, Mapping[str, object]]]:
    """Each of `fields` hash-chained from `previous` (each hash covers its entry and the hash
    before): its hash and the Changelog row written for it, by column (`FIELDS`)."""
    out: list[tuple[str, Mapping[str, object]]] = []
    for f in fields:
        previous = _hash(f, previous)
        out.append((previous, _ROW(*f, previous)))
    return out


def utc_stamp(at: datetime) -> str:
    """`2026-11-21T07:00:00Z`: the At column, UTC ISO 8601."""
    return at.isoformat(timespec="seconds").replace("+00:00", "Z")


def broken_links(rows: Sequence[Change]) -> list[str]:
    """Findings where the chain does not hold (row numbers 1-based in the list)."""
    findings, previous = [], GENESIS
    for i, row in enumerate(rows, start=1):
        if row.hash != row_hash(row, previous):
            findings.append(f"Changelog entry {i} ({row.at} {row.action} {row.tab} {row.key}) does not match its hash: edited, inserted or a row before it deleted")
            # carry on from the stored hash so one edit is one finding
        previous = row.hash
    return findings

