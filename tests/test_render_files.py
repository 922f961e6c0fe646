"""render.files: safe names from cell values, atomic and idempotent writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheetbill.render.errors import RenderError
from sheetbill.render.files import safe_name, store_pdf, write_once

WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                    *(f"LPT{i}" for i in range(10))}


@pytest.mark.parametrize(("text", "expected"), [
    ("INV-2026-0001", "INV-2026-0001.pdf"),
    ("INV-2026-0001.pdf", "INV-2026-0001.pdf"),
    ("2026/0001", "2026-0001.pdf"),
    ("..\\..\\boot.ini", "boot.ini.pdf"),
    ("../../etc/passwd", "etc-passwd.pdf"),
    ("a\x00b", "a-b.pdf"),
    ("  R  2026:7  ", "R 2026-7.pdf"),
    ("CON", "_CON.pdf"),
    ("lpt1.x", "_lpt1.x.pdf"),
    ("", "unnamed.pdf"),
    ("..", "unnamed.pdf"),
    ("\u202eFDP.exe", "FDP.exe.pdf"),
    ("Rechnung Nr. 7 Müller", "Rechnung Nr. 7 Müller.pdf"),
])
def test_safe_names(text, expected):
    assert safe_name(text, ".pdf") == expected


def test_long_names_are_cut_and_stay_distinct():
    first, second = safe_name("x" * 300 + "1", ".pdf"), safe_name("x" * 300 + "2", ".pdf")
    assert first != second
    assert len(first.encode()) <= 140 and len(safe_name("€" * 300, ".pdf").encode()) <= 140


@pytest.fixture(scope="module")
def folder() -> Path:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name) / "invoices"


@given(st.text(max_size=400))
def test_any_cell_value_stays_inside_the_folder(folder, text):
    path = store_pdf(folder, text, b"%PDF-1.7 test")
    assert path.parent == folder
    assert path.resolve().parent == folder.resolve()
    assert path.name.endswith(".pdf") and len(path.name.encode()) <= 255
    assert not path.name.startswith(".")
    assert path.name.split(".")[0].upper() not in WINDOWS_RESERVED
    assert not set(path.name) & set('<>:"/\\|?*\x00')
    assert path.read_bytes() == b"%PDF-1.7 test"


def test_store_writes_the_file(tmp_path):
    path = store_pdf(tmp_path / "out", "INV-2026-0001", b"%PDF one")
    assert path == tmp_path / "out" / "INV-2026-0001.pdf"
    assert path.read_bytes() == b"%PDF one"
    assert os.listdir(tmp_path / "out") == ["INV-2026-0001.pdf"]  # no temporary left


def test_identical_file_is_kept_untouched(tmp_path):
    path = store_pdf(tmp_path, "INV-1", b"%PDF one")
    os.utime(path, (1_000_000_000, 1_000_000_000))
    inode = path.stat().st_ino
    assert store_pdf(tmp_path, "INV-1", b"%PDF one") == path
    assert path.stat().st_mtime == 1_000_000_000 and path.stat().st_ino == inode


def test_different_content_replaces_the_file(tmp_path):
    path = store_pdf(tmp_path, "INV-1", b"%PDF one")
    store_pdf(tmp_path, "INV-1", b"%PDF two")
    assert path.read_bytes() == b"%PDF two"
    assert os.listdir(tmp_path) == ["INV-1.pdf"]


def test_first_write_wins_without_replace(tmp_path):
    write_once(tmp_path, "m.eml", b"first", replace=False)
    write_once(tmp_path, "m.eml", b"second", replace=False)
    assert (tmp_path / "m.eml").read_bytes() == b"first"


def test_unwritable_folder_is_a_render_error(tmp_path):
    blocker = tmp_path / "invoices"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(RenderError, match="cannot store the PDF of INV-1"):
        store_pdf(blocker, "INV-1", b"%PDF")
