"""A workbook that lost a tab or a column it had is refused, untouched, until it is fixed
(a renamed Payments tab must not read as "no payments", a retyped Quantity header not as
quantity 1); once the admin puts it back, the next run goes on as if nothing happened."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from sheetbill import cli, demo

from .conftest import CLIENTS, session


@pytest.fixture(scope="module")
def billed(tmp_path_factory) -> Path:
    """The demo practice after its cycles (some forty invoices, as many as the month's sessions;
    8 payments with receipts)."""
    folder = tmp_path_factory.mktemp("shape") / "demo"
    demo.main([str(folder)])
    return folder


@pytest.fixture
def copy(billed, tmp_path) -> Path:
    folder = tmp_path / "practice"
    shutil.copytree(billed, folder)
    return folder


def edit(folder: Path, change) -> None:
    wb = openpyxl.load_workbook(folder / "practice.xlsx")
    change(wb)
    wb.save(folder / "practice.xlsx")


def header(tab: str, old: str, new: str):
    def change(wb) -> None:
        cell = next(c for c in wb[tab][1] if c.value == old)
        cell.value = new
    return change


def run(capsys, folder: Path, command: str = "run") -> tuple[int, str]:
    code = cli.main([command, "--config", str(folder / "sheetbill.yaml")])
    out = capsys.readouterr()
    return code, out.out + out.err


def refused(capsys, folder: Path, message: str) -> None:
    """`run` (and `preview`) exit 1 with `message`, and the workbook keeps every byte."""
    before = (folder / "practice.xlsx").read_bytes()
    outbox = sorted(p.name for p in (folder / "outbox").iterdir())
    for command in ("run", "preview", "run"):
        code, out = run(capsys, folder, command)
        assert code == 1, out
        assert message in out and "Nothing was written" in out and "Traceback" not in out
    assert (folder / "practice.xlsx").read_bytes() == before
    assert sorted(p.name for p in (folder / "outbox").iterdir()) == outbox


def changelog(folder: Path) -> list[tuple]:
    wb = openpyxl.load_workbook(folder / "practice.xlsx")
    return [r[1:6] for r in wb["Changelog"].iter_rows(min_row=2, values_only=True)]


def clean_after(capsys, folder: Path, baseline: Path) -> None:
    """A run after the fix does what it does on a workbook never broken: no 'changed' problems,
    no Changelog edits nobody made."""
    edit(baseline, lambda wb: None)  # saved by openpyxl as the fixed one was
    logged = len(changelog(folder)), len(changelog(baseline))
    code, out = run(capsys, folder)
    base_code, base_out = run(capsys, baseline)
    assert code == base_code == 0, out
    assert "changed" not in out and "still shows" not in out
    assert out.splitlines()[1:] == base_out.splitlines()[1:]  # the same problems (the first line has the time)
    assert changelog(folder)[logged[0]:] == changelog(baseline)[logged[1]:]
    assert not [r for r in changelog(folder)[logged[0]:] if r[1] == "edit"]


def test_a_renamed_payments_tab_is_refused_until_it_is_renamed_back(copy, capsys, tmp_path):
    baseline = tmp_path / "baseline"
    shutil.copytree(copy, baseline)
    edit(copy, lambda wb: setattr(wb["Payments"], "title", "Payment"))
    refused(capsys, copy, "tab 'Payments' is missing, but it held 8 rows at the last run (renamed or deleted?): "
                          "rename it back to 'Payments', or restore practice.xlsx from the backups/ folder")
    code, out = run(capsys, copy, "check")
    assert code == 1 and "workbook: tab 'Payments' is missing, but it held 8 rows" in out
    edit(copy, lambda wb: setattr(wb["Payment"], "title", "Payments"))
    clean_after(capsys, copy, baseline)
    receipts = [r[8] for r in openpyxl.load_workbook(copy / "practice.xlsx")["Payments"].iter_rows(
        min_row=2, values_only=True)]
    assert len(receipts) == len(set(receipts)) == 8  # no receipt number given twice


def test_a_deleted_payments_tab_is_refused(copy, capsys):
    edit(copy, lambda wb: wb.remove(wb["Payments"]))
    refused(capsys, copy, "tab 'Payments' is missing, but it held 8 rows at the last run")
    code, out = run(capsys, copy, "audit")
    assert code == 1 and "tab 'Payments' is missing" in out  # not "OK"


def test_a_deleted_invoices_tab_is_refused(copy, capsys):
    rows = openpyxl.load_workbook(copy / "practice.xlsx", read_only=True)["Invoices"].iter_rows(min_row=2, values_only=True)
    held = sum(1 for row in rows if row[0])
    assert held > 40
    edit(copy, lambda wb: wb.remove(wb["Invoices"]))
    refused(capsys, copy, f"tab 'Invoices' is missing, but it held {held} rows at the last run")


def test_a_renamed_quantity_header_bills_nothing_until_it_is_put_back(copy, capsys, tmp_path):
    new_session = ["S-76001", date.today() - timedelta(days=1), "C-002", "MLD15", 4, None, None, "Maria", "Completed"]
    shutil.copytree(copy, tmp_path / "baseline")
    for folder in (copy, tmp_path / "baseline"):
        edit(folder, lambda wb: wb["Sessions"].append(new_session))
    edit(copy, header("Sessions", "Quantity", "Qty"))
    refused(capsys, copy, "tab 'Sessions' has no column 'Quantity' (it had one at the last run: renamed or "
                          "deleted?); put the header back")
    code, out = run(capsys, copy, "check")
    assert code == 1 and "workbook: tab 'Sessions' has no column 'Quantity' (it had one" in out
    edit(copy, header("Sessions", "Qty", "Quantity"))
    clean_after(capsys, copy, tmp_path / "baseline")
    wb = openpyxl.load_workbook(copy / "practice.xlsx")
    invoice = next(r[10] for r in wb["Sessions"].iter_rows(min_row=2, values_only=True) if r[0] == "S-76001")
    total = next(r[8] for r in wb["Invoices"].iter_rows(min_row=2, values_only=True) if r[0] == invoice)
    assert str(total) == "59.4"  # 4 x 16.50 less the client's 10 %, not 1 x


@pytest.mark.parametrize("tab, name, typo", [
    ("Clients", "Discount", "Rabatt"),  # a renamed client discount header is refused
    ("Payments", "Amount", "Amout"),  # a payments amount header typo blames no payment
])
def test_a_money_header_renamed_is_refused_and_put_back_goes_on(copy, capsys, tmp_path, tab, name, typo):
    baseline = tmp_path / "baseline"
    shutil.copytree(copy, baseline)
    edit(copy, header(tab, name, typo))
    refused(capsys, copy, f"tab '{tab}' has no column '{name}' (it had one at the last run")
    edit(copy, header(tab, typo, name))
    clean_after(capsys, copy, baseline)


def test_a_new_workbook_without_a_money_column_is_refused_and_new_tabs_are_still_made(tmp_path, capsys):
    from sheetbill import app
    from sheetbill.placeholders import fill_example

    workbook, config = app.init_practice(tmp_path / "p")
    config.write_text(fill_example(config.read_text(encoding="utf-8")), encoding="utf-8")
    wb = openpyxl.load_workbook(workbook)
    wb.remove(wb["Payments"])
    wb.remove(wb["Invoices"])
    for row in CLIENTS:
        wb["Clients"].append(row)
    wb["Sessions"].append(session("S-00001", date.today() - timedelta(days=1)))
    wb.save(workbook)
    edit(tmp_path / "p", header("Sessions", "Extras", "Extra"))
    code, out = run(capsys, tmp_path / "p")
    assert code == 1 and "tab 'Sessions' has no column 'Extras' (amounts are read from it); add the column" in out
    edit(tmp_path / "p", header("Sessions", "Extra", "Extras"))
    code, out = run(capsys, tmp_path / "p")
    assert code == 0, out  # no run before: the worker's tabs are made as they are needed
    made = openpyxl.load_workbook(workbook)
    assert [r[0] for r in made["Invoices"].iter_rows(min_row=2, values_only=True)] == ["INV-2026-0001"]
