"""Reading only a sheet's header row and where it ends (the Changelog in every cycle)."""

from __future__ import annotations


import openpyxl
import pytest

from sheetbill.book.xlsx import read_sheets
from sheetbill.book.xlsx import cells_fast


@pytest.mark.parametrize("rows", [0, 1, 5, 3000])
def test_head_gives_the_header_and_the_last_row(tmp_path, monkeypatch, rows):
    monkeypatch.setattr(cells_fast, "CHUNK", 4096)  # many pieces even for a small sheet
    path = tmp_path / "w.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(["At", "Hash"])
    for i in range(rows):
        ws.append([f"2026-11-{i % 28 + 1:02d}", f"h{i}"])
    ws.cell(row=rows + 5, column=3).number_format = "0.00"  # formatted, empty: not a used row
    wb.save(path)
    full = read_sheets(path, ["Log"]).sheets["Log"]
    head = read_sheets(path, ["Log"], heads=["Log"]).sheets["Log"]
    assert head.rows == full.rows[:1] == [(1, ("At", "Hash"))]
    assert head.max_row == full.max_row == rows + 1


def test_head_of_an_empty_sheet(tmp_path):
    path = tmp_path / "w.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Log"
    wb.save(path)
    head = read_sheets(path, ["Log"], heads=["Log"]).sheets["Log"]
    assert (head.rows, head.max_row) == ([], 0)
