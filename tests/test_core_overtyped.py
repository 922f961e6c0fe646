"""core.overtyped: a finalized invoice whose number was typed over is known by what else its row holds."""

from __future__ import annotations

import pytest

from sheetbill.core.overtyped import identities
from sheetbill.core.protect import MAINTAINED, restore_finalized


def row(no: str, client: str, sessions: str, total: str, paid: str = "0") -> dict[str, str]:
    return {"invoice_no": no, "client_id": client, "sessions": sessions, "total": total, "paid": paid,
            "status": "Finalized"}


A = row("INV-2026-0020", "C-005", "S-00018", "52.00")
B = row("INV-2026-0021", "C-001", "S-00020", "30.00")
C = row("INV-2026-0044", "C-006", "S-08002", "102.90")
BEFORE = {r["invoice_no"]: r for r in (A, B, C)}


def typed(r: dict[str, str], no: str) -> dict[str, str]:
    return {**r, "invoice_no": no}


@pytest.mark.parametrize("now, expected", [
    (BEFORE, {}),  # nothing typed over
    ({**BEFORE, "INV-2026-0021": {**B, "total": "1"}}, {}),  # an amount edited: the same invoice
    ({"INV-2026-0020": A, "INV-2026-0021": B, "INV-2026-0099": typed(C, "INV-2026-0099")},
     {"INV-2026-0099": "INV-2026-0044"}),  # a new number
    ({"INV-2026-0021": typed(A, "INV-2026-0021"), "INV-2026-0021 #2": B, "INV-2026-0044": C},
     {"INV-2026-0021": "INV-2026-0020", "INV-2026-0021 #2": "INV-2026-0021"}),  # a number that exists
    ({"INV-2026-0020": A, "INV-2026-0021": B, "INV-2026-0099": {**typed(C, "INV-2026-0099"), "paid": "102.90"}},
     {"INV-2026-0099": "INV-2026-0044"}),  # what the worker maintains may differ
    ({"INV-2026-0020": A, "INV-2026-0021": B, "INV-2026-0099": {**typed(C, "INV-2026-0099"), "total": "1"}},
     {}),  # number and amount typed over: not known for sure (put back as deleted)
    ({"INV-2026-0020": A, "INV-2026-0021": B, "INV-2026-0098": typed(C, "INV-2026-0098"),
      "INV-2026-0099": typed(C, "INV-2026-0099")}, {}),  # copied twice: neither is it for sure
])
def test_a_row_is_known_by_what_it_holds(now: dict, expected: dict) -> None:
    assert identities(BEFORE, now, set(BEFORE), "invoice_no", MAINTAINED) == expected


@pytest.mark.parametrize("now, writes", [
    ({"INV-2026-0020": A, "INV-2026-0021": B, "INV-2026-0099": typed(C, "INV-2026-0099")},
     [(4, "INV-2026-0044", "invoice_no", "INV-2026-0099", "INV-2026-0044")]),
    ({"INV-2026-0021": typed(A, "INV-2026-0021"), "INV-2026-0021 #2": B, "INV-2026-0044": C},
     [(2, "INV-2026-0020", "invoice_no", "INV-2026-0021", "INV-2026-0020")]),
])
def test_an_overtyped_number_is_set_back_in_its_own_row(now: dict, writes: list) -> None:
    row_of = {("invoices", k): n for n, k in enumerate(now, start=2)}
    out = restore_finalized({"invoices": BEFORE}, {"invoices": now}, row_of, ())
    assert [(w.row, w.key, w.field, w.before, w.after) for w in out.writes] == writes
    assert out.appends == [] and out.flags == []


def test_an_overtyped_number_whose_row_holds_something_else_too_is_put_back_as_deleted() -> None:
    """Its row is cleared (it passes for no invoice sheetbill issued) and the invoice put back whole."""
    now = {"INV-2026-0020": A, "INV-2026-0021": B, "INV-2026-0099": {**typed(C, "INV-2026-0099"), "total": "1"}}
    row_of = {("invoices", k): n for n, k in enumerate(now, start=2)}
    out = restore_finalized({"invoices": BEFORE}, {"invoices": now}, row_of, ())
    assert [a.key for a in out.appends] == ["INV-2026-0044"] and out.writes == []
    assert {(w.row, w.field, w.after) for w in out.cleared} == {(4, f, "") for f in C}
    assert out.flags == ["Invoices row INV-2026-0099 was not issued by sheetbill (added by hand, or a finalized "
                         "invoice's number typed over together with other cells): it is not an invoice and was not "
                         "sent; sheetbill cleared the row (what it held is in the Changelog). To bill a client, "
                         "add a session"]
