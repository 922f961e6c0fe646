"""core.changelog: the rows a commit logs, their hash chain, and the row a change is written as."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from sheetbill.core import changelog
from sheetbill.core.changelog import FIELDS, GENESIS, Change, broken_links, chained_rows, entries
from sheetbill.core.changes import CellWrite, Changes, RowAppend

AT = datetime(2026, 11, 21, 7, 0, tzinfo=timezone.utc)
HEADERS = {("invoices", ""): "Invoices", ("sessions", ""): "Sessions", ("sessions", "status"): "Status"}
CHANGES = Changes((CellWrite("sessions", 5, "S-1", "status", "Completed", "Invoiced"),),
                  (RowAppend("invoices", "INV-2026-0001", {"invoice_no": "INV-2026-0001"}),))


def header(tab: str, fld: str) -> str:
    return HEADERS[(tab, fld)]


@pytest.mark.parametrize("action, expected", [
    (None, [("create", "Invoices", "INV-2026-0001", "", "", ""),
            ("update", "Sessions", "S-1", "Status", "Completed", "Invoiced")]),
    ("restore", [("restore", "Invoices", "INV-2026-0001", "", "", ""),
                 ("restore", "Sessions", "S-1", "Status", "Completed", "Invoiced")]),
])
def test_a_commit_logs_a_row_per_row_created_and_per_cell_written(action, expected):
    logged = list(entries(CHANGES, AT, "sheetbill", header, action))
    assert [e[2:] for e in logged] == expected
    assert {e[:2] for e in logged} == {("2026-11-21T07:00:00Z", "sheetbill")}


def test_each_hash_covers_its_row_and_the_one_before():
    logged = list(entries(CHANGES, AT, "sheetbill", header))
    chained = [Change(*row.values()) for _, row in chained_rows(logged, GENESIS)]
    assert [c.fields() for c in chained] == logged
    assert chained[0].hash == changelog.row_hash(Change(*logged[0]), GENESIS)
    assert chained[1].hash == changelog.row_hash(Change(*logged[1]), chained[0].hash)
    assert chained_rows(logged, "f" * 16)[0][0] != chained[0].hash
    assert broken_links(chained) == []
    edited = [chained[0], Change(*chained[1].fields()[:7], "Paid", chained[1].hash)]
    assert broken_links(edited) and "entry 2" in broken_links(edited)[0]


def test_a_chained_entry_reads_as_its_changelog_row():
    entry = ("2026-11-21T07:00:00Z", "ana", "edit", "Sessions", "S-1", "Status", "Completed", "")
    ((hashed, row),) = chained_rows([entry], GENESIS)
    expected = dict(zip(FIELDS, entry + (hashed,)))
    assert hashed == changelog.row_hash(Change(*entry), GENESIS)
    assert dict(row.items()) == expected and list(row) == list(FIELDS) and len(row) == 9
    assert row == expected and RowAppend("changelog", hashed, row) == RowAppend("changelog", hashed, expected)
    assert (row["field"], row["hash"], row.get("after"), row.get("nope", "-")) == ("Status", hashed, "", "-")
    with pytest.raises(KeyError):
        row["nope"]
