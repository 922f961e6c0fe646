"""Sheets written in segments: a patch of a sheet's last rows keeps the rows
before them compressed as they were, and the workbook reads exactly as if
the whole sheet had been patched; a layout that does not describe the part
is never used."""

from __future__ import annotations

import os
import random
import zipfile
import zlib
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula

from sheetbill.book.xlsx import Layout, SheetEdit, lost_parts, patch_workbook
from sheetbill.book.xlsx import segments, writer
from sheetbill.book.xlsx.errors import UnsupportedEdit
from sheetbill.book.xlsx.crc import crc32_combine
from sheetbill.book.xlsx.features import sheet_features
from sheetbill.book.xlsx.package import Package

from .conftest import session

LOG = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize("first,second", [(0, 0), (0, 5), (5, 0), (1, 1), (1000, 3), (3, 70_000), (4096, 4096)])
def test_crc32_combine_is_the_crc32_of_the_joined_bytes(first: int, second: int) -> None:
    rng = random.Random(first * 7 + second)
    a, b = rng.randbytes(first), rng.randbytes(second)
    assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


@pytest.fixture
def log_book(tmp_path: Path) -> Path:
    """A Changelog-like sheet of 300 rows with a data validation and a merged cell outside its rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(["When", "What", "Row"])
    for n in range(2, 302):
        ws.append([date(2026, 11, 1 + n % 28), f"Invoice INV-2026-{n:04d} finalized by the worker", n])
    ws.merge_cells("E1:F1")
    check = DataValidation(type="list", formula1='"yes,no"')
    ws.add_data_validation(check)
    check.add("G2:G400")
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


@pytest.fixture(autouse=True)
def short_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segments, "SEGMENT", 2048)


def _rows(n: int, start: int) -> list[list]:
    return [[date(2026, 12, 1), f"appended {start + i}", start + i] for i in range(n)]


def _patch(src: Path, name: str, edit: SheetEdit, layouts: dict[str, Layout] | None = None) -> tuple[Path, dict]:
    dst = src.with_name(name)
    found = patch_workbook(src, dst, {"Log": edit}, layouts=layouts).layouts
    assert lost_parts(src, dst, layouts=found) == []
    with zipfile.ZipFile(dst) as zipped:
        assert zipped.testzip() is None  # every member's CRC-32 is right
    return dst, found


def _packed(path: Path) -> bytes:
    with Package(path) as package:
        info = package.info(LOG)
        return package.raw(LOG, 0, info.compress_size)


def _values(path: Path) -> list[tuple]:
    return [tuple(row) for row in openpyxl.load_workbook(path)["Log"].iter_rows(values_only=True)]


def test_appending_keeps_the_earlier_rows_compressed_as_they_were(log_book: Path) -> None:
    first, layouts = _patch(log_book, "first.xlsx", SheetEdit(appends=_rows(10, 1)))
    layout = layouts[LOG]
    assert len(layout.cuts) > 5
    second, again = _patch(first, "second.xlsx", SheetEdit(appends=_rows(10, 11)), layouts)

    kept = layout.cuts[-1].packed - layout.cuts[0].packed
    start = again[LOG].cuts[0].packed
    assert _packed(second)[start : start + kept] == _packed(first)[layout.cuts[0].packed : layout.cuts[-1].packed]
    values = _values(second)
    assert len(values) == 321
    assert values[-1][1:3] == ("appended 20", 20) and values[300][1:3] == ("Invoice INV-2026-0301 finalized by the worker", 301)

    whole = first.with_name("whole.xlsx")
    patch_workbook(first, whole, {"Log": SheetEdit(appends=_rows(10, 11))})
    assert zipfile.ZipFile(whole).read(LOG) == zipfile.ZipFile(second).read(LOG)  # the same sheet, byte for byte


def test_a_patch_of_the_newest_rows_keeps_the_rest(log_book: Path) -> None:
    first, layouts = _patch(log_book, "first.xlsx", SheetEdit(appends=_rows(10, 1)))
    second, again = _patch(first, "second.xlsx", SheetEdit(updates={(310, 1): "corrected"}), layouts)
    cut = layouts[LOG].cuts[1]
    assert _packed(second)[again[LOG].cuts[1].packed - 30 : again[LOG].cuts[1].packed] == \
        _packed(first)[cut.packed - 30 : cut.packed]
    assert _values(second)[309][1] == "corrected"


@pytest.mark.parametrize("edit", [
    SheetEdit(updates={(2, 1): "early row"}),  # before the last cut's rows: the whole sheet
    SheetEdit(updates={(2, 1): "early row"}, appends=_rows(3, 50)),
])
def test_an_edit_before_the_last_rows_patches_the_whole_sheet(log_book: Path, edit: SheetEdit) -> None:
    first, layouts = _patch(log_book, "first.xlsx", SheetEdit(appends=_rows(10, 1)))
    second, again = _patch(first, "second.xlsx", edit, layouts)
    whole = first.with_name("whole.xlsx")
    patch_workbook(first, whole, {"Log": edit})
    assert zipfile.ZipFile(whole).read(LOG) == zipfile.ZipFile(second).read(LOG)
    assert _values(second)[1][1] == "early row"
    assert len(again[LOG].cuts) > 5  # written in segments again


def test_a_layout_of_another_version_of_the_sheet_is_not_used(log_book: Path) -> None:
    first, layouts = _patch(log_book, "first.xlsx", SheetEdit(appends=_rows(10, 1)))
    wb = openpyxl.load_workbook(first)  # saved by another program in between
    wb["Log"]["B5"] = "changed elsewhere"
    wb.save(first)
    second, _ = _patch(first, "second.xlsx", SheetEdit(appends=_rows(1, 11)), layouts)
    values = _values(second)
    assert values[4][1] == "changed elsewhere" and values[-1][1] == "appended 11"


@pytest.mark.parametrize("damage", ["crc", "packed", "plain"])
def test_a_layout_that_does_not_agree_with_the_part_is_not_used(log_book: Path, damage: str) -> None:
    first, layouts = _patch(log_book, "first.xlsx", SheetEdit(appends=_rows(10, 1)))
    layout = layouts[LOG]
    cut = layout.cuts[-2]
    wrong = {"crc": segments.Cut(cut.plain, cut.packed, cut.crc ^ 1, cut.row),
             "packed": segments.Cut(cut.plain, cut.packed + 3, cut.crc, cut.row),
             "plain": segments.Cut(cut.plain + 1, cut.packed, cut.crc, cut.row)}[damage]
    broken = Layout(layout.crc, layout.size, layout.packed, layout.cuts[:-2] + (wrong,))
    with Package(first) as package:
        assert segments.window(package, LOG, broken, SheetEdit(appends=_rows(1, 11))) is None
    second, _ = _patch(first, "second.xlsx", SheetEdit(appends=_rows(1, 11)), {LOG: broken})
    assert _values(second)[-1][1] == "appended 11"


def test_a_sheet_with_array_formulas_gets_no_layout(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    for n in range(1, 300):
        ws.append([f"row {n} with some text to fill the segments", n])
    ws["C1"] = ArrayFormula("C1:C400", "=B1:B400*2")
    path = tmp_path / "arrays.xlsx"
    wb.save(path)
    dst = tmp_path / "out.xlsx"
    assert patch_workbook(path, dst, {"Log": SheetEdit(updates={(2, 0): "x"})}).layouts == {}


def test_the_ends_of_a_sheet_hold_all_it_holds_outside_its_rows(log_book: Path) -> None:
    first, layouts = _patch(log_book, "first.xlsx", SheetEdit(appends=_rows(10, 1)))
    with Package(first) as package:
        outside = segments.ends(package, LOG, layouts[LOG])
        assert outside is not None and len(outside) < len(package.read(LOG)) / 5
        assert sheet_features(outside) == sheet_features(package.read(LOG))
        assert sheet_features(outside)["data validations"] == 1


def test_layouts_survive_json() -> None:
    layout = Layout(1, 2, 3, (segments.Cut(10, 5, 0, 0), segments.Cut(2100, 900, 77, 12)))
    assert Layout.from_json(layout.to_json()) == layout
    for bad in (None, [], [1, 2, 3], [1, 2, 3, [[1, 2]]], "x", [1, 2, 3, [["a", 1, 2, 3]]]):
        assert Layout.from_json(bad) is None


def test_a_practice_cycle_after_a_cycle_writes_the_changelog_end_only(practice) -> None:
    """Cycles in a row, with only a row appended to Sessions between them (by a program
    that leaves the other sheets as they are, not by Excel, which rewrites every part):
    the second keeps the Changelog's earlier rows compressed as the first wrote them,
    and the workbook reads as it should."""
    practice.append("Sessions", *[session(f"S-{n:05d}", date(2026, 11, 1 + n % 20)) for n in range(1, 41)])
    practice.run()
    with Package(practice.workbook) as package:
        part = package.sheet("Changelog").part
        before = package.raw(part, 0, package.info(part).compress_size)
    appended = practice.workbook.with_name("appended.xlsx")
    patch_workbook(practice.workbook, appended, {"Sessions": SheetEdit(appends=[session("S-00041", date(2026, 11, 20))])})
    os.replace(appended, practice.workbook)
    practice.run()
    with Package(practice.workbook) as package:
        after = package.raw(part, 0, package.info(part).compress_size)
    assert before[len(before) // 8 : len(before) // 2] in after  # the earlier rows, compressed as they were
    assert [r["Invoice No"] for r in practice.rows("Sessions")][-1] == "INV-2026-0041"
    assert len(practice.rows("Changelog")) > 80


def _whole(src: Path, name: str, edit: SheetEdit, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The sheet as a patch of the whole part writes it."""
    with monkeypatch.context() as m:
        m.setattr(writer, "stream_window", lambda *a: None)
        dst = src.with_name(name)
        patch_workbook(src, dst, {"Log": edit})
    return zipfile.ZipFile(dst).read(LOG)


@pytest.mark.parametrize("edit, whole", [
    (SheetEdit(appends=_rows(10, 1)), False),
    (SheetEdit(updates={(300, 2): "corrected"}), False),
    (SheetEdit(updates={(301, 2): "corrected"}, appends=_rows(2, 1)), False),
    (SheetEdit(updates={(3, 2): "corrected"}), True),  # near the start: no rows to pass on
    (SheetEdit(updates={(3, 2): "corrected"}, appends=_rows(2, 1)), True),
])
def test_a_sheet_without_a_layout_is_unpacked_once_and_its_rows_before_the_edit_passed_on(
        log_book: Path, monkeypatch: pytest.MonkeyPatch, edit: SheetEdit, whole: bool) -> None:
    expected = _whole(log_book, "whole.xlsx", edit, monkeypatch)
    read_whole = []
    original = Package.read_in_place
    with monkeypatch.context() as m:
        m.setattr(Package, "read_in_place", lambda self, part: read_whole.append(part) or original(self, part))
        written = patch_workbook(log_book, log_book.with_name("patched.xlsx"), {"Log": edit})
    assert read_whole == ([LOG] if whole else [])
    patched, layouts = _patch(log_book, "patched.xlsx", edit)  # and again, checked as every patch here
    assert written.layouts == layouts
    assert zipfile.ZipFile(patched).read(LOG) == expected  # the same sheet, byte for byte
    assert len(layouts[LOG].cuts) > 5  # and the next commit can keep its rows compressed
    again, _ = _patch(patched, "again.xlsx", SheetEdit(appends=_rows(1, 99)), layouts)
    assert _values(again)[-1][1] == "appended 99"


def test_rows_that_cannot_be_passed_on_unread_make_the_whole_part_patched(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws["C2"] = ArrayFormula("C2:C3", "=B2:B3*2")
    for n in range(4, 400):
        ws.append([date(2026, 11, 1), f"row {n}", n])
    path = tmp_path / "arrays.xlsx"
    wb.save(path)
    edit = SheetEdit(appends=_rows(3, 1))
    assert writer.stream_window(Package(path), LOG, edit) is None
    patched, layouts = _patch(path, "patched.xlsx", edit)
    assert zipfile.ZipFile(patched).read(LOG) == _whole(path, "whole.xlsx", edit, monkeypatch)
    assert LOG not in layouts

    with zipfile.ZipFile(path) as zipped:
        parts = {i.filename: zipped.read(i) for i in zipped.infolist()}
    parts[LOG] = parts[LOG].replace(b"<row r=\"5\"", b"<!-- a note --><row r=\"5\"", 1)
    commented = tmp_path / "commented.xlsx"
    with zipfile.ZipFile(commented, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in parts.items():
            zipped.writestr(name, data)
    assert writer.stream_window(Package(commented), LOG, edit) is None
    with pytest.raises(UnsupportedEdit, match="comments"):
        patch_workbook(commented, tmp_path / "out.xlsx", {"Log": edit})
