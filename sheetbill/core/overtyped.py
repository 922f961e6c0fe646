"""Which snapshot row a ledger row is, when a person overtyped its number.

Rows are keyed by their number (Invoice No), so a number typed over makes a
finalized invoice look deleted and a new one added; typed over with a number
that exists, the row looks like an edit of that other invoice. A row is
matched to the snapshot by everything else it holds (client, sessions,
amounts, dates, checksum): a row that is no longer what its key was in the
snapshot, and holds exactly what one other finalized row held, is that row
with its number changed.
"""

from __future__ import annotations

from typing import AbstractSet, Mapping

Row = Mapping[str, str]


def identities(before: Mapping[str, Row], now: Mapping[str, Row], protected: AbstractSet[str],
               number: str, ignored: AbstractSet[str]) -> dict[str, str]:
    """now key -> snapshot key, for the rows whose `number` field was typed over (only
    those: a row that is what its key was is left out). `ignored` are the fields a
    row may change without ceasing to be itself (the worker's own, like Paid)."""

    def held(row: Row) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((f, v) for f, v in row.items() if f != number and f not in ignored))

    def itself(key: str) -> bool:
        old = before.get(key)
        return old is not None and held(old) == held(now[key])

    settled = {key for key in now if itself(key)}
    unaccounted = [k for k in protected if k in before and k not in settled]
    by_content: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for key in unaccounted:
        by_content.setdefault(held(before[key]), []).append(key)
    out: dict[str, str] = {}
    for key in now.keys() - settled:
        found = by_content.get(held(now[key]), [])
        if len(found) == 1 and found[0] != key:
            out[key] = found[0]
    claimed: dict[str, list[str]] = {}
    for key, old in out.items():
        claimed.setdefault(old, []).append(key)
    return {key: old for key, old in out.items() if len(claimed[old]) == 1}
