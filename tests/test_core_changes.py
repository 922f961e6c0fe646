"""core.changes: one commit's changes, combined with `+`."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sheetbill.core.changelog import Change
from sheetbill.core.changes import CellWrite, Changes, Fields, RowAppend
from sheetbill.core.plan import Plan

A = CellWrite("invoices", 2, "INV-2026-0001", "sent_at", "", "2026-11-21")
B = CellWrite("payments", 3, "P-1", "receipt_sent_at", "", "2026-11-21")
APPEND = RowAppend("invoices", "INV-2026-0002", {"invoice_no": "INV-2026-0002"})
LOG = Change("2026-11-21T07:00:00Z", "sheetbill", "remind", "Invoices", "INV-2026-0001", "Reminder", "", "1")


@pytest.mark.parametrize("first, second, cells, rows, state, log", [
    (Changes(), Changes(), (), (), {}, ()),
    (Changes((A,)), Changes((B,)), (A, B), (), {}, ()),
    (Changes(rows=(APPEND,)), Changes((A,)), (A,), (APPEND,), {}, ()),
    (Changes(state={"k": "mark"}), Changes(state={"k": "record"}), (), (), {"k": "record"}, ()),  # the later wins
    (Changes(state={"k": "1"}), Changes(state={"j": "2"}, log=(LOG,)), (), (), {"k": "1", "j": "2"}, (LOG,)),
])
def test_changes_combined(first, second, cells, rows, state, log):
    both = first + second
    assert (both.cells, both.rows, dict(both.state), both.log) == (cells, rows, state, log)
    assert both.empty is not (cells or rows or state or log)


def test_combining_leaves_both_as_they_were():
    first, second = Changes(state={"k": "1"}), Changes(state={"k": "2"})
    first + second
    assert first.state == {"k": "1"} and second.state == {"k": "2"}


@pytest.mark.parametrize("made, expected", [
    (Changes.of([A], [APPEND], None, [LOG]), Changes((A,), (APPEND,), {}, (LOG,))),
    (Changes.of(state={"k": "v"}), Changes(state={"k": "v"})),
    (Changes.of(), Changes()),
])
def test_changes_of_any_iterables(made, expected):
    assert made == expected


@pytest.mark.parametrize("plan, changes", [
    (Plan(), Changes()),
    (Plan(appends=(APPEND,), writes=(A, B)), Changes((A, B), (APPEND,))),
])
def test_a_plan_writes_its_changes(plan, changes):
    assert plan.changes == changes
    assert plan.empty is changes.empty


ROW = Fields.of("invoice_no", "net", "status")


@pytest.mark.parametrize("row, expected", [
    (ROW("INV-2026-0001", Decimal("58.50"), "Open"), {"invoice_no": "INV-2026-0001", "net": Decimal("58.50"), "status": "Open"}),
    (ROW("", None, ""), {"invoice_no": "", "net": None, "status": ""}),
])
def test_a_rows_fields_read_as_the_dict_of_them(row, expected):
    assert row == expected and dict(row.items()) == expected and list(row) == list(expected)
    assert len(row) == 3 and row["net"] == expected["net"] and row.get("pdf", "-") == "-" and "pdf" not in row
    with pytest.raises(KeyError):
        row["pdf"]
    assert RowAppend("invoices", "k", row) == RowAppend("invoices", "k", expected)
