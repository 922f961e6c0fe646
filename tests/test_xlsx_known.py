"""Sheets read before (xlsx/known.py, book/sheet_cache.py): a read that reuses the rows
of an earlier version gives exactly what a full read gives."""

from __future__ import annotations

import os
import signal
import struct
from pathlib import Path
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest

from sheetbill.book import sheet_cache
from sheetbill.book.sheet_cache import VERSION, Grown, SheetCache
from sheetbill.book.xlsx import SheetEdit, cells_fast, known, patch_workbook, read_sheets, reader


def _workbook(path, rows: int) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Id", "Day", "Amount", "Note"])
    for i in range(rows):
        ws.append([f"S-{i:05d}", date(2026, 1, 1 + i % 28), D(f"{i}.50"), "ünïcode" if i % 7 == 0 else None])
    log = wb.create_sheet("Log")
    log.append(["At", "Hash"])
    for i in range(rows):
        log.append([f"2026-11-{i % 28 + 1:02d}", f"h{i}"])
    wb.save(path)


def _patch(path, edit: dict) -> None:
    tmp = path.with_suffix(".tmp.xlsx")
    patch_workbook(path, tmp, edit)
    os.replace(tmp, path)


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(cells_fast, "CHUNK", 4096)
    monkeypatch.setattr(cells_fast, "BLOCK", 1024)  # many blocks even for a small sheet


@pytest.mark.parametrize("change", ["none", "append", "last row", "middle row", "first row", "shrink"])
def test_a_read_with_known_sheets_equals_a_full_read(tmp_path, small_blocks, change):
    path = tmp_path / "w.xlsx"
    _workbook(path, 300)
    cache: dict = {}
    read_sheets(path, heads=["Log"], known=cache)
    edits = {
        "none": {},
        "append": {"Data": SheetEdit(appends=[["S-new", date(2026, 2, 1), D("9.99")]]),
                   "Log": SheetEdit(appends=[["2026-12-01", "hx"], ["2026-12-02", "hy"]])},
        "last row": {"Data": SheetEdit(updates={(301, 3): "changed"})},
        "middle row": {"Data": SheetEdit(updates={(150, 2): D("1.25")}), "Log": SheetEdit(updates={(20, 1): "x"})},
        "first row": {"Data": SheetEdit(updates={(1, 0): "ID"}), "Log": SheetEdit(updates={(1, 1): "Chain"})},
        "shrink": {"Data": SheetEdit(updates={(301, c): None for c in range(4)})},
    }[change]
    if edits:
        _patch(path, edits)
    again = read_sheets(path, heads=["Log"], known=cache)
    full = read_sheets(path, heads=["Log"])
    assert again.sheets == full.sheets
    assert read_sheets(path, heads=["Log"], known=cache).sheets == full.sheets  # and from the new entries


def test_the_cache_file_survives_a_restart_and_a_damaged_one_is_ignored(tmp_path):
    path = tmp_path / "w.xlsx"
    _workbook(path, 50)
    stored = tmp_path / ".w.xlsx.sheetbill-rows"
    cache = SheetCache(stored)
    first = read_sheets(path, heads=["Log"], known=cache)
    cache.save()
    again = SheetCache(stored)
    assert again["Data"].values == first.sheets["Data"]
    assert read_sheets(path, heads=["Log"], known=again).sheets == first.sheets
    stored.write_bytes(b"\x80\x04garbage")
    assert len(SheetCache(stored)) == 0


def test_a_sheet_is_saved_a_batch_of_rows_at_a_time_and_read_back_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(sheet_cache, "_BATCH", 7)  # 51 rows: eight batches, the last one short
    path = tmp_path / "w.xlsx"
    _workbook(path, 50)
    stored = tmp_path / ".w.xlsx.sheetbill-rows"
    cache = SheetCache(stored)
    first = read_sheets(path, heads=["Log"], known=cache)
    cache.save()
    again = SheetCache(stored)
    assert again["Data"].values == first.sheets["Data"] and len(again["Data"].values.rows) == 51
    assert again["Data"].blocks == cache["Data"].blocks


def test_a_cache_with_a_batch_that_is_not_rows_is_not_used(tmp_path):
    import io
    import pickle

    entry = known.Known("0-0", "", False, sheet_cache.SheetValues([(1, ("Id",))], 1), ())
    out = io.BytesIO()
    pickle.dump(entry, out)
    pickle.dump(os.getcwd, out)  # where a batch of rows belongs
    blob = out.getvalue()
    stored = tmp_path / "rows"
    stored.write_bytes(struct.pack("<Q", 8 + len(blob)) + blob + pickle.dumps((VERSION, {"Data": (8, len(blob))})))
    cache = SheetCache(stored)
    with pytest.raises(KeyError):
        cache["Data"]


def test_the_cache_file_makes_nothing_but_cell_values(tmp_path):
    import pickle

    def stored_as(index: object, blob: bytes = b"") -> Path:
        at = 8 + len(blob)
        stored.write_bytes(struct.pack("<Q", at) + blob + pickle.dumps(index))
        return stored

    stored = tmp_path / "rows"
    assert len(SheetCache(stored_as((VERSION, {"Data": os.getcwd})))) == 0  # a callable would be a way in
    assert len(SheetCache(stored_as((VERSION, {"Data": (8, -1)})))) == 0
    evil = pickle.dumps(os.getcwd)
    cache = SheetCache(stored_as((VERSION, {"Data": (8, len(evil))}), evil))
    assert list(cache) == ["Data"]
    with pytest.raises(KeyError):
        cache["Data"]
    assert "Data" not in cache


def test_blocks_cover_the_sheet_data(tmp_path, small_blocks):
    path = tmp_path / "w.xlsx"
    _workbook(path, 200)
    cache: dict = {}
    read_sheets(path, ["Data"], known=cache)
    entry = cache["Data"]
    assert len(entry.blocks) > 3
    assert entry.blocks[-1].rows == len(entry.values.rows) == 201
    assert all(isinstance(b, known.Block) for b in entry.blocks)


@pytest.mark.parametrize("edit, caught_up", [
    ({"Data": SheetEdit(updates={(2, 3): "early"})}, True),  # most of the sheet written again
    ({"Data": SheetEdit(updates={(300, 3): "late"})}, False),  # the next read parses one block
    ({"Data": SheetEdit(appends=[[f"S-x{i}"] for i in range(1500)])}, True),
    ({"Data": SheetEdit(appends=[["S-x"]])}, False),
    ({"Log": SheetEdit(appends=[["2026-12-01", "h"], [None, "h2"]])}, True),  # read for its first row: noted
    ({"Log": SheetEdit(appends=[["2026-12-01", "h"], [None, ""]])}, False),  # a blank row: left to the next read
    ({"Log": SheetEdit(updates={(5, 1): "x"})}, False),
])
def test_after_a_commit_the_cache_holds_the_new_version_of_what_it_changed_much(tmp_path, small_blocks, monkeypatch,
                                                                                edit, caught_up):
    path, before = tmp_path / "w.xlsx", tmp_path / "before.xlsx"
    _workbook(path, 300)
    cache = SheetCache(tmp_path / "rows")
    read_sheets(path, heads=["Log"], known=cache)
    before.write_bytes(path.read_bytes())
    _patch(path, edit)
    cache.catch_up(before, path, {n: Grown.of(e) for n, e in edit.items()})
    name = next(iter(edit))
    fresh = read_sheets(path, heads=["Log"])
    assert (cache[name].fingerprint == fresh.fingerprints[name]) is caught_up
    if caught_up:
        assert cache[name].values == fresh.sheets[name]
        assert SheetCache(tmp_path / "rows")[name].values == fresh.sheets[name]  # saved
        read = []
        monkeypatch.setattr(reader, "read_sheet", lambda *a: read.append(a))
        assert read_sheets(path, heads=["Log"], known=cache).sheets == fresh.sheets
        assert read == []  # every sheet known: none read


def test_a_saved_cache_keeps_the_entries_it_did_not_read_and_changes_the_one_it_did(tmp_path):
    path = tmp_path / "w.xlsx"
    _workbook(path, 50)
    stored = tmp_path / "rows"
    cache = SheetCache(stored)
    first = read_sheets(path, known=cache)
    cache.save()
    again = SheetCache(stored)
    assert again["Data"].values == first.sheets["Data"]  # read; "Log" is never unpickled
    entry = again["Data"]
    again["Data"] = known.Known("other", entry.context, entry.head, entry.values, entry.blocks)
    again.save()
    third = SheetCache(stored)
    assert sorted(third) == sorted(first.sheets)
    assert third["Log"].values == first.sheets["Log"]
    assert third["Data"].fingerprint == "other"
    del third["Log"]
    third.save()
    assert sorted(SheetCache(stored)) == ["Data"]


def test_a_read_of_the_whole_changelog_takes_the_other_sheets_from_the_cache_and_leaves_its_entry(tmp_path, monkeypatch):
    path = tmp_path / "w.xlsx"
    _workbook(path, 300)
    cache = SheetCache(tmp_path / "rows")
    read_sheets(path, heads=["Log"], known=cache)
    head = cache["Log"]
    read = []
    real = reader.read_sheet
    monkeypatch.setattr(reader, "read_sheet", lambda package, sheet, *a: read.append(sheet.name) or real(package, sheet, *a))
    whole = read_sheets(path, known=cache.without("Log"))
    assert read == ["Log"]  # Data known: not parsed again
    assert whole.sheets == read_sheets(path).sheets and len(whole.sheets["Log"].rows) > 1
    assert cache["Log"] is head and sorted(cache.without("Log")) == ["Data"]


@pytest.mark.parametrize("helper", ["reads", "dies"])
def test_sheets_read_back_in_a_helper_process_are_the_sheets_as_written(tmp_path, small_blocks, monkeypatch, helper):
    path, before = tmp_path / "w.xlsx", tmp_path / "before.xlsx"
    _workbook(path, 300)
    cache = SheetCache(tmp_path / "rows")
    read_sheets(path, known=cache)
    before.write_bytes(path.read_bytes())
    edit = {"Data": SheetEdit(appends=[[f"S-x{i}", date(2026, 12, 1), D("1.25")] for i in range(1500)]),
            "Log": SheetEdit(appends=[[f"2026-12-{i % 28 + 1:02d}", f"n{i}"] for i in range(1200)])}
    _patch(path, edit)
    results = []

    class Seen(sheet_cache.Apart):
        def result(self):
            results.append(super().result())
            return results[-1]

    monkeypatch.setattr(sheet_cache, "Apart", Seen)
    if helper == "dies":
        monkeypatch.setattr(sheet_cache, "_read_pickled", lambda *a: os.kill(os.getpid(), signal.SIGKILL))
    cache.catch_up(before, path, {n: Grown.of(e) for n, e in edit.items()})
    assert len(results) == 1 and (results[0] is None) is (helper == "dies")
    fresh = read_sheets(path)
    for name in ("Data", "Log"):
        assert cache[name].fingerprint == fresh.fingerprints[name]
        assert cache[name].values == fresh.sheets[name]
        assert SheetCache(tmp_path / "rows")[name].values == fresh.sheets[name]  # saved
    read = []
    monkeypatch.setattr(reader, "read_sheet", lambda *a: read.append(a))
    assert read_sheets(path, known=SheetCache(tmp_path / "rows")).sheets == fresh.sheets
    assert read == []
