"""The admin edits the sheet while a cycle runs: rows inserted, deleted or
sorted between the worker's read and each of its writes. No row may ever
get another row's invoice number (or status); what cannot be placed safely
is not written, and the next run finishes it."""

from __future__ import annotations

import pytest

from sheetbill.errors import WorkbookBusy
from tests.fakegoogle import humans

from .conftest import session
from .google_practice import GooglePractice, google_practice  # noqa: F401  (fixture)

pytest_plugins = ["tests.conftest_google"]

BATCH = "sheets.spreadsheets.batchUpdate"
TAGGING, PLAN, MARKS, RECORD = 1, 2, 3, 4  # the batchUpdates of a first cycle, in order
SESSIONS = 6


def sessions(p: GooglePractice) -> None:
    p.append("Sessions", *[session(f"S-{n:05d}", f"2026-11-{n:02d}", client=f"C-00{1 + n % 2}")
                           for n in range(1, SESSIONS + 1)])


def strike(p: GooglePractice, nth: int, action) -> None:
    """`action(state, spreadsheet id)` right before the nth batchUpdate."""
    p.fake.faults.before(lambda state: action(state, p.spreadsheet_id), nth=nth, match=BATCH)


def assert_consistent(p: GooglePractice, billed: set[str], invoiced: set[str] | None = None) -> None:
    """Each session row shows the invoice that bills exactly that session, each
    invoice number is used once, and the invoices bill `invoiced` (default: `billed`)."""
    invoices = {i["Invoice No"]: i for i in p.rows("Invoices")}
    assert len(invoices) == len(p.rows("Invoices"))
    shown = {}
    for row in p.rows("Sessions"):
        if row["Invoice No"]:
            assert invoices[row["Invoice No"]]["Sessions"] == row["Session ID"], row
            shown[row["Session ID"]] = row["Invoice No"]
        elif row["Status"] == "Completed":
            assert row["Session ID"] not in billed, row
    assert set(shown) == billed
    assert {i["Sessions"] for i in invoices.values()} == (billed if invoiced is None else invoiced)
    for row in p.rows("Sessions"):
        if row["Billing Status"] == "Sent":
            assert invoices[row["Invoice No"]]["Sent At"]


def everyone() -> set[str]:
    return {f"S-{n:05d}" for n in range(1, SESSIONS + 1)}


def insert_at_top(state, sheet_id):
    humans.insert_rows(state, sheet_id, "Sessions", 1, 1, [["S-00099", "2026-11-20", "C-001", "LD60", "", "", "",
                                                             "Maria", "Scheduled"]])


def sort_descending(state, sheet_id):
    humans.sort_rows(state, sheet_id, "Sessions", 0, descending=True)


@pytest.mark.parametrize("nth", [PLAN, MARKS, RECORD])
@pytest.mark.parametrize("edit", [insert_at_top, sort_descending], ids=["insert", "sort"])
def test_rows_moved_before_a_write_are_followed(google_practice: GooglePractice, nth, edit):
    p = google_practice
    sessions(p)
    strike(p, nth, edit)
    report = p.run()
    assert len(report.created) == SESSIONS and report.errors == []
    assert_consistent(p, everyone())
    assert {r["Billing Status"] for r in p.rows("Sessions") if r["Session ID"] != "S-00099"} == {"Sent"}
    assert p.fake.count(method="sheets.spreadsheets.getByDataFilter") == 2  # the read, and one to follow the rows
    assert p.run().created == []


def test_a_row_deleted_above_is_followed(google_practice: GooglePractice):
    p = google_practice
    p.append("Sessions", session("S-00000", "2026-11-01", status="Scheduled"))
    sessions(p)
    strike(p, PLAN, lambda state, sid: humans.delete_rows(state, sid, "Sessions", 1))
    report = p.run()
    assert len(report.created) == SESSIONS
    assert_consistent(p, everyone())


@pytest.mark.parametrize("edit", [insert_at_top, sort_descending], ids=["insert", "sort"])
def test_rows_moved_before_tagging_stop_the_cycle(google_practice: GooglePractice, edit):
    p = google_practice
    sessions(p)
    strike(p, TAGGING, edit)
    with pytest.raises(WorkbookBusy, match="moved"):
        p.run()
    assert p.rows("Invoices") == []
    assert all(not r["Invoice No"] for r in p.rows("Sessions"))
    report = p.run(p.later(1))
    assert len(report.created) == SESSIONS
    assert_consistent(p, everyone())


def test_a_billed_row_deleted_before_the_plan_is_written_stops_the_cycle(google_practice: GooglePractice):
    p = google_practice
    sessions(p)
    strike(p, PLAN, lambda state, sid: humans.delete_rows(state, sid, "Sessions", 3))  # S-00003
    with pytest.raises(WorkbookBusy, match="deleted"):
        p.run()
    assert p.rows("Invoices") == []
    report = p.run(p.later(1))
    assert len(report.created) == SESSIONS - 1
    assert_consistent(p, everyone() - {"S-00003"})


def test_a_billed_row_deleted_before_it_is_recorded_leaves_the_others_right(google_practice: GooglePractice):
    p = google_practice
    sessions(p)
    strike(p, RECORD, lambda state, sid: humans.delete_rows(state, sid, "Sessions", 2))  # S-00002
    with pytest.raises(WorkbookBusy):
        p.run()
    report = p.run(p.later(1))
    assert report.created == []
    assert len(p.emails()) == SESSIONS  # found in the mailbox and recorded, not sent again
    assert all(i["Sent At"] for i in p.rows("Invoices"))
    assert_consistent(p, everyone() - {"S-00002"}, everyone())
