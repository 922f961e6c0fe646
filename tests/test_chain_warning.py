"""`run` warns when the Changelog's hash chain is broken, and so does the Dashboard."""

from __future__ import annotations

from datetime import date

import openpyxl

from sheetbill import cli
from sheetbill.core.dashboard import CHAIN_ITEM

from .conftest import session


def test_run_and_the_dashboard_warn_of_a_broken_chain(practice, capsys):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    first = practice.run()
    assert first.created and first.warnings == []
    board = {r["Item"]: r for r in practice.rows("Dashboard")}
    assert board[CHAIN_ITEM]["Count"] == 0
    wb = openpyxl.load_workbook(practice.workbook)
    ws = wb["Changelog"]
    after = [c.value for c in ws[1]].index("After") + 1
    ws.cell(row=3, column=after).value = "something else"  # an entry rewritten by hand
    wb.save(practice.workbook)
    practice.append("Sessions", session("S-00002", date(2026, 11, 4)))
    code = cli.main(["run", "--config", str(practice.config_path)])
    out = capsys.readouterr()
    assert code == 0 and "1 warning(s)" in out.out
    assert "warning: Changelog: Changelog entry 2" in out.err and "sheetbill audit" in out.err
    board = {r["Item"]: r for r in practice.rows("Dashboard")}
    assert board[CHAIN_ITEM]["Count"] == 1
    again = practice.run()  # it keeps saying so, idle or not
    assert len(again.warnings) == 1
