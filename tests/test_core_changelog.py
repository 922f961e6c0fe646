"""core.changelog: the rows a commit logs, their hash chain, and the row a change is written as."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from sheetbill.core import changelog
from sheetbill.core.changelog import FIELDS, GENESIS, Change, broken_links, chain, of_changes, row as log_row
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
    logged = of_changes(CHANGES, AT, "sheetbill", header, action)
    assert [c.fields()[2:] for c in logged] == expected
    assert {(c.at, c.actor, c.hash) for c in logged} == {("2026-11-21T07:00:00Z", "sheetbill", "")}


def test_each_hash_covers_its_row_and_the_one_before():
    logged = of_changes(CHANGES, AT, "sheetbill", header)
    chained = chain(logged, GENESIS)
    assert [c.fields() for c in chained] == [c.fields() for c in logged]
    assert chained[0].hash == changelog.row_hash(logged[0], GENESIS)
    assert chained[1].hash == changelog.row_hash(logged[1], chained[0].hash)
    assert chain(logged, "f" * 16)[0].hash != chained[0].hash
    assert broken_links(chained) == []
    edited = [chained[0], Change(*chained[1].fields()[:7], "Paid", chained[1].hash)]
    assert broken_links(edited) and "entry 2" in broken_links(edited)[0]


def test_a_chained_change_reads_as_its_changelog_row():
    change = chain([Change("2026-11-21T07:00:00Z", "ana", "edit", "Sessions", "S-1", "Status", "Completed", "")],
                   GENESIS)[0]
    row = log_row(change)
    expected = dict(zip(FIELDS, change.fields() + (change.hash,)))
    assert dict(row.items()) == expected and list(row) == list(FIELDS) and len(row) == 9
    assert row == expected and RowAppend("changelog", change.hash, row) == RowAppend("changelog", change.hash, expected)
    assert (row["field"], row["hash"], row.get("after"), row.get("nope", "-")) == ("Status", change.hash, "", "-")
    with pytest.raises(KeyError):
        row["nope"]
