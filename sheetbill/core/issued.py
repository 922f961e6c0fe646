"""The receipt series' high-water mark, kept in the worker's state.

Invoice numbers are taken from the ledger, which is never deleted from. A
receipt's number lives on its Payments row, which a person can delete or
clear; so the highest receipt number of each series ever issued is kept too
(state key RECEIPTS, written with the commit that issues it), and the next
receipt is numbered on from it, never from what the Payments tab shows now.
"""

from __future__ import annotations

from typing import Mapping

from .changes import Changes
from .numbering import NumberPattern, highest

RECEIPTS = "series/receipt"


def receipts_issued(state: Mapping[str, str]) -> tuple[str, ...]:
    """The highest receipt number of each series, as the state holds them."""
    return tuple(n for n in state.get(RECEIPTS, "").split(",") if n.strip())


def after_commit(pattern: NumberPattern, state: Mapping[str, str], changes: Changes) -> dict[str, str]:
    """The state entry to write with `changes` when they issue a receipt past the mark (else none)."""
    written = [str(w.after) for w in changes.cells if w.tab == "payments" and w.field == "receipt_no" and w.after]
    written += [str(a.values["receipt_no"]) for a in changes.rows
                if a.tab == "payments" and a.values.get("receipt_no")]
    if not written:
        return {}
    was = receipts_issued(state)
    now = highest(pattern, list(was) + written)
    return {RECEIPTS: ",".join(now)} if now != was else {}
