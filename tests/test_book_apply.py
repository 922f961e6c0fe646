"""book.apply: a commit's changes applied to the tables in memory, as the workbook now reads."""

from __future__ import annotations

import pytest

from sheetbill.book.apply import apply_edits, copies
from sheetbill.book.base import next_rows
from sheetbill.book.schema import DEFAULT_TABS
from sheetbill.book.table import build
from sheetbill.core.changes import CellWrite, Changes, RowAppend

TABS = {t.key: t for t in DEFAULT_TABS}
SESSIONS = [(1, ("Session ID", "Date", "Client", "Service", "Status", "Invoice No")),
            (2, ("S-1", "2026-11-03", "C-1", "LD60", "Completed", None))]
LOG = [(1, ("At", "Actor", "Action", "Tab", "Key", "Field", "Before", "After", "Hash"))]


def _tables(head: bool) -> dict:
    changelog = build(TABS["changelog"], LOG)
    changelog.last_row, changelog.head = 40, head
    sessions = build(TABS["sessions"], SESSIONS)
    sessions.last_row = 2
    return {"sessions": sessions, "changelog": changelog}


EDITS = Changes.of(cells=[CellWrite("sessions", 2, "S-1", "invoice_no", None, "INV-1")],
                   rows=[RowAppend("sessions", "S-2", {"session_id": "S-2", "status": "Completed"}),
                         RowAppend("changelog", "h1", {"at": "2026-11-21T07:00:00Z", "hash": "h1"})])


@pytest.mark.parametrize("head, changelog_rows", [
    (True, []),  # only its header was read: the rows written are not kept, its end moves down
    (False, [41]),
])
def test_a_commit_reads_back_as_written(head, changelog_rows):
    before = _tables(head)
    tables = copies(before, EDITS)
    apply_edits(tables, EDITS, next_rows(before, EDITS))
    sessions = tables["sessions"]
    assert sessions.rows == [(2, ("S-1", "2026-11-03", "C-1", "LD60", "Completed", "INV-1")),
                             (3, ("S-2", None, None, None, "Completed", None))]
    assert sessions.last_row == 3 and tables["changelog"].last_row == 41
    assert [r for r, _ in tables["changelog"].rows] == changelog_rows
    assert before["sessions"].rows == SESSIONS[1:] and before["changelog"].last_row == 40  # left as they were
