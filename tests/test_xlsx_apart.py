"""A big write patches its largest sheet in a helper process: the workbook written
is the same, byte for byte, as one patched in a single process, whatever the helper
does (needs a new cell style, dies, is not wanted any more)."""

from __future__ import annotations

import os
import signal
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sheetbill.book.xlsx import SheetEdit, UnsupportedEdit, lost_parts, patch_workbook, read_sheets
from sheetbill.book.xlsx import apart, writer


@pytest.fixture
def book(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sessions"
    ws.append(["Session ID", "Date", "Amount"])
    for n in range(1, 40):
        ws.append([f"S-{n}", date(2026, 1, 1 + n % 28), n])
    wb.create_sheet("Log").append(["At", "Tab", "Key", "After"])
    wb.create_sheet("Chart").merge_cells("A1:B1")  # an ordinary sheet no edit touches
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


@pytest.fixture(autouse=True)
def small_writes_go_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "APART_ROWS", 50)


class Counted(apart.Apart):
    results: list[object] = []

    def result(self):
        found = super().result()
        Counted.results.append(found)
        return found


def _edits(log_value: object = "x") -> dict[str, SheetEdit]:
    return {
        "Sessions": SheetEdit(updates={(n, 1): date(2026, 11, n % 28 + 1) for n in range(2, 30)}),  # a date style is added
        "Log": SheetEdit(appends=[["2026-11-21T09:00:00Z", "Invoices", f"INV-{n:05d}", log_value] for n in range(300)],
                         money_columns=frozenset({3})),
    }


def _write(src: Path, name: str, edits: dict[str, SheetEdit]) -> bytes:
    dst = src.with_name(name)
    patch_workbook(src, dst, edits)
    assert lost_parts(src, dst) == []
    return dst.read_bytes()


def _alone(src: Path, edits: dict[str, SheetEdit], monkeypatch: pytest.MonkeyPatch) -> bytes:
    with monkeypatch.context() as m:
        m.setattr(apart, "available", lambda: False)
        return _write(src, "alone.xlsx", edits)


def test_the_largest_sheet_patched_in_a_helper_gives_the_same_workbook(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "Apart", Counted)
    Counted.results = []
    together = _write(book, "together.xlsx", _edits())
    assert Counted.results and Counted.results[0] is not None  # the Log was patched in the helper
    assert together == _alone(book, _edits(), monkeypatch)
    log = read_sheets(book.with_name("together.xlsx"), ["Log"]).sheets["Log"]
    assert log.max_row == 301 and log.rows[-1][1][2] == "INV-00299"


def test_a_sheet_needing_a_new_style_in_the_helper_is_patched_here_after_all(
        book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "Apart", Counted)
    Counted.results = []
    edits = _edits()
    log = [list(row) for row in edits["Log"].appends]
    log[150][3] = Decimal("12.50")  # a money style the workbook does not have yet, in no row sampled
    edits["Log"] = SheetEdit(appends=log, money_columns=frozenset({3}))
    together = _write(book, "together.xlsx", edits)
    assert Counted.results == [None]
    assert together == _alone(book, edits, monkeypatch)
    wb = openpyxl.load_workbook(book.with_name("together.xlsx"))
    assert wb["Log"]["D152"].number_format == "#,##0.00" and wb["Log"]["D152"].value == 12.5


def test_a_helper_that_dies_leaves_the_work_to_this_process(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "_patched_apart", lambda *args: os.kill(os.getpid(), signal.SIGKILL))
    assert _write(book, "together.xlsx", _edits()) == _alone(book, _edits(), monkeypatch)


def test_a_write_that_fails_meanwhile_stops_the_helper(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edits = {**_edits(), "Chart": SheetEdit(updates={(1, 0): "x"})}
    started: list[int] = []

    class Watched(apart.Apart):
        def __init__(self, work) -> None:
            super().__init__(work)
            started.append(self._pid or 0)

    monkeypatch.setattr(writer, "Apart", Watched)
    monkeypatch.setattr(writer, "_patch_one", _failing(writer._patch_one))
    with pytest.raises(UnsupportedEdit):
        patch_workbook(book, book.with_name("out.xlsx"), edits)
    assert started and started[0] > 0
    with pytest.raises(ChildProcessError):  # reaped, not left a zombie
        os.waitpid(started[0], os.WNOHANG)
    assert not book.with_name("out.xlsx").exists()


def _failing(patch_one):
    def failing(package, part, name, *args):
        if name == "Chart":
            raise UnsupportedEdit("Chart: refused")
        return patch_one(package, part, name, *args)
    return failing


def test_without_a_second_core_nothing_goes_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert not apart.available()


def test_a_helper_that_gives_no_answer_in_time_is_stopped() -> None:
    with apart.Apart(signal.pause) as helper:
        pid = helper._pid
        assert helper.result(patience=0) is None
    assert pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_a_helper_gives_back_what_its_work_returns() -> None:
    with apart.Apart(lambda: {"rows": [Decimal("1.10"), date(2026, 11, 30)], "pid": os.getpid()}) as helper:
        found = helper.result()
    assert found is not None and found["rows"] == [Decimal("1.10"), date(2026, 11, 30)]
    assert found["pid"] != os.getpid()


def test_a_helper_answers_through_a_descriptor_above_1024() -> None:
    """A long-lived run (watch) may hold many files open; select() could not wait on those."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip(f"this machine allows {hard} open files")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    spare = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        with apart.Apart(lambda: "done") as helper:
            assert helper._fd > 1024
            assert helper.result() == "done"
    finally:
        for fd in spare:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _rows(n: int, width: int) -> list[list[object]]:
    return [[f"r{i}"] * width for i in range(n)]


@pytest.mark.parametrize("edits, aside", [
    ({"Log": SheetEdit(appends=_rows(300, 4))}, ()),  # nothing to patch meanwhile
    ({"Log": SheetEdit(appends=_rows(40, 4)), "Sessions": SheetEdit(appends=_rows(40, 4))}, ()),  # small
    ({"Log": SheetEdit(appends=_rows(300, 4)), "Sessions": SheetEdit(updates={(2, 0): "x"})}, ("Log",)),
    ({"Log": SheetEdit(appends=_rows(300, 4)), "Sessions": SheetEdit(updates={(r, 0): "x" for r in range(999)})},
     ("Log",)),  # only sheets appended to go aside: their styles are known from a sample
    ({"Log": SheetEdit(appends=_rows(300, 4)), "Sessions": SheetEdit(appends=_rows(1, 4))}, ("Log",)),
    # a first cycle's shape: the Changelog and one of the ledger tabs there, the others here
    ({"Changelog": SheetEdit(appends=_rows(426, 9)), "Sessions": SheetEdit(updates={(r, 10): "x" for r in range(100)}),
      "Invoices": SheetEdit(appends=_rows(100, 16)), "Lines": SheetEdit(appends=_rows(100, 16)),
      "_sheetbill": SheetEdit(updates={(2, 1): "y"})}, ("Changelog", "Lines")),
])
def test_about_half_the_work_goes_aside(edits: dict[str, SheetEdit], aside: tuple[str, ...]) -> None:
    assert writer._aside(edits) == aside


def test_two_sheets_patched_in_the_helper_give_the_same_workbook(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One of them needs a money style the workbook lacks: it is made here first, from a sample."""
    monkeypatch.setattr(writer, "Apart", Counted)
    Counted.results = []
    edits = {"Log": SheetEdit(appends=_rows(300, 4)), "Chart": SheetEdit(appends=_rows(300, 4)),
             "Sessions": SheetEdit(appends=[[f"S-{n}", date(2026, 12, 1), Decimal(n) / 4] for n in range(200)],
                                   money_columns=frozenset({2}))}
    assert writer._aside(edits) == ("Log", "Sessions")
    together = _write(book, "together.xlsx", edits)
    found = Counted.results[0]
    assert isinstance(found, list) and len(found) == 2  # both patched in the helper
    assert together == _alone(book, edits, monkeypatch)
    cell = openpyxl.load_workbook(book.with_name("together.xlsx"))["Sessions"]["C240"]
    assert (cell.value, cell.number_format) == (49.75, "#,##0.00")
