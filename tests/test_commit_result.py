"""A commit hands back what it did, and leaves the snapshot it was given as it was."""

from __future__ import annotations

import random

from sheetbill.book.cycle_book import CycleBook
from sheetbill.book.google import GoogleBook
from sheetbill.core.changes import Changes, RowAppend

from .conftest import FixedClock, Practice, session
from .google_practice import GooglePractice, google_practice  # noqa: F401  (fixture)

pytest_plugins = ["tests.conftest_google"]


def _sessions_row(sid: str) -> RowAppend:
    return RowAppend("sessions", sid, {"session_id": sid, "client": "C-001", "service": "LD60",
                                       "status": "Completed"})


def _check(book, config) -> None:
    io = CycleBook(config, book, FixedClock().now)
    with book.lease():
        before = io.read()
        state, rows, version = dict(before.state), list(before.tables["sessions"].rows), before.version
        texts = before.texts
        assert texts is not None
        sessions = dict(texts.rows.get("sessions", {}))  # an unchanged sheet's rows are made text when written
        done = io.commit(before, Changes(rows=(_sessions_row("S-00009"),), state={"probe": "1"}))
        # the snapshot given is as it was
        assert before.state == state and before.tables["sessions"].rows == rows and before.version == version
        assert before.texts is texts and texts.rows.get("sessions", {}) == sessions
        # the one handed back is the workbook as the commit left it
        after = done.snapshot
        row = done.rows[("sessions", "S-00009")]
        assert row == max(r for r, _ in rows) + 1
        assert after.state["probe"] == "1" and after.state["changelog_hash"] != state.get("changelog_hash")
        assert (row, "S-00009") in [(r, after.tables["sessions"].get(v, "session_id")) for r, v in
                                    after.tables["sessions"].rows]
        assert after.texts is not None and "S-00009" in after.texts.rows["sessions"]
        # and a second commit goes on from it
        again = io.commit(after, Changes(state={"probe": "2"}))
        assert again.snapshot.state["probe"] == "2" and after.state["probe"] == "1"
    fresh = io.read()
    assert fresh.state["probe"] == "2"
    assert fresh.state["changelog_hash"] == again.snapshot.state["changelog_hash"]
    assert "S-00009" in [fresh.tables["sessions"].get(v, "session_id") for _, v in fresh.tables["sessions"].rows]


def test_an_excel_commit_returns_the_snapshot_after_it(practice: Practice):
    practice.append("Sessions", session("S-00001", "2026-11-02"))
    practice.run()
    from sheetbill.book.excel import ExcelBook

    config = practice.config
    _check(ExcelBook(config.workbook, config.tabs), config)


def test_a_google_commit_returns_the_snapshot_after_it(google_practice: GooglePractice):  # noqa: F811
    p = google_practice
    p.append("Sessions", session("S-00001", "2026-11-02"))
    p.run()
    book = GoogleBook(p.google(), p.spreadsheet_id, p.config.tabs, now=p.later(0).now, holder="probe",
                      rng=random.Random(1))
    _check(book, p.config)
    assert "S-00009" in {r["Session ID"] for r in p.rows("Sessions")}


def test_an_excel_commit_asks_for_its_state_once_the_other_tabs_are_its_own_edits(practice: Practice):
    """A big commit's state is still being made (its snapshot, in a helper process) while the
    book turns the rest into sheet edits: the Excel book reads the state after those, once."""
    from sheetbill.book.cycle_book import Later
    from sheetbill.book.excel import ExcelBook

    config = practice.config
    book = ExcelBook(config.workbook, config.tabs)
    order: list[str] = []
    edits_of = book._sheet_edits

    def sheet_edits(tables, edits):
        order.append("edits of " + ",".join(sorted({a.tab for a in edits.rows} | {w.tab for w in edits.cells})))
        return edits_of(tables, edits)

    book._sheet_edits = sheet_edits  # type: ignore[method-assign]
    state = Later(lambda: order.append("state made") or {"probe": "1"})
    with book.lease():
        done = book.commit(book.read(), Changes(rows=(_sessions_row("S-00009"),), state=state))
    assert order == ["edits of sessions", "state made", "edits of state"]
    assert done.snapshot.state["probe"] == "1" and book.read().state["probe"] == "1"


def test_a_snapshot_helper_that_dies_leaves_the_same_snapshot_made_here(tmp_path, monkeypatch):
    """The helper that makes a big commit's snapshot is only a shortcut: killed, the run makes
    it itself, and the snapshot stored is the one a helper would have given."""
    import os
    import signal

    import openpyxl

    from sheetbill import app
    from sheetbill.book import cycle_book
    from sheetbill.book.state import decode
    from sheetbill.placeholders import fill_example

    from .conftest import CLIENTS

    def snapshots(folder, kill: bool) -> dict:
        workbook, config_path = app.init_practice(folder)
        config_path.write_text(fill_example(config_path.read_text(encoding="utf-8")), encoding="utf-8")
        p = Practice(folder, workbook, config_path)
        p.append("Clients", *CLIENTS)
        p.append("Sessions", *[session(f"S-{n:05d}", f"2026-11-{n:02d}") for n in range(1, 21)])
        with monkeypatch.context() as m:
            if kill:
                m.setattr(cycle_book, "_snapshot_updates", lambda *args: os.kill(os.getpid(), signal.SIGKILL))
            report = p.run()
        assert len(report.created) == 20 and report.errors == []
        again = p.run()
        assert (again.created, again.actions, again.flags) == ([], [], [])
        ws = openpyxl.load_workbook(workbook)["_sheetbill"]
        stored = {str(k): str(v or "") for k, v in ws.iter_rows(min_row=2, values_only=True)}
        rows = {tab: decode(tab, stored) for tab in ("sessions", "invoices", "lines", "clients")}
        for invoice in rows["invoices"][0].values():  # each workbook's own id is in its Message-IDs
            invoice["message_id"] = invoice["message_id"].split(".")[0]
        return rows

    assert snapshots(tmp_path / "killed", kill=True) == snapshots(tmp_path / "helped", kill=False)
