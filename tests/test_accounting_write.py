"""Where `sheetbill export` writes: only regular files, and a path that cannot take the export
is refused before anything is written, with what is wrong and what to do."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from sheetbill.accounting import export
from sheetbill.errors import SheetbillError

MADE = export.Export([("journal.csv", b"Type,Number\r\n")])
TWO = export.Export([("xero-1.csv", b"one\r\n"), ("xero-2.csv", b"two\r\n")])


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def link(path: Path, target: Path) -> Path:
    path.symlink_to(target)
    return path


def under_a_file(tmp: Path, *below: str) -> Path:
    (tmp / "notes.txt").write_text("x")
    return tmp.joinpath("notes.txt", *below)


# (what is at the --out path, the words the refusal must carry)
NOT_A_FILE = [
    ("fifo", lambda tmp: fifo(tmp / "pipe.csv"), ["is a named pipe, not a regular file", "--out"]),
    ("link to a fifo", lambda tmp: link(tmp / "via.csv", fifo(tmp / "pipe")), ["is a named pipe", "--out"]),
    ("parent is a file", lambda tmp: under_a_file(tmp, "out.csv"),
     ["notes.txt is a file, not a folder", "--out"]),
    ("grandparent is a file", lambda tmp: under_a_file(tmp, "a", "out.csv"),
     ["notes.txt is a file, not a folder"]),
]


@pytest.mark.parametrize("what, make, words", NOT_A_FILE, ids=[c[0] for c in NOT_A_FILE])
def test_a_path_that_is_not_a_regular_file_is_refused_and_left_as_it_was(tmp_path, what, make, words):
    out = make(tmp_path)
    before = sorted((p.name, p.is_fifo(), p.is_symlink()) for p in tmp_path.rglob("*"))
    with pytest.raises(SheetbillError) as exc:
        export.write(MADE, tmp_path / "exports", out)
    for word in words:
        assert word in str(exc.value)
    assert str(out) in str(exc.value)
    assert sorted((p.name, p.is_fifo(), p.is_symlink()) for p in tmp_path.rglob("*")) == before


def test_the_default_folder_being_a_file_is_named_with_what_to_do(tmp_path):
    (tmp_path / "exports").write_text("not a folder")
    with pytest.raises(SheetbillError, match=r"exports is a file, not a folder.*--out"):
        export.write(MADE, tmp_path / "exports")


def test_a_second_file_that_is_not_a_regular_file_stops_the_export_before_the_first_is_written(tmp_path):
    fifo(tmp_path / "xero-2.csv")
    with pytest.raises(SheetbillError, match="xero-2.csv is a named pipe"):
        export.write(TWO, tmp_path, tmp_path / "xero.csv")
    assert not (tmp_path / "xero.csv").exists()


def test_a_link_to_a_regular_file_writes_the_file_and_keeps_the_link(tmp_path):
    target = tmp_path / "books" / "journal.csv"
    target.parent.mkdir()
    target.write_bytes(b"old")
    via = link(tmp_path / "latest.csv", target)
    assert export.write(MADE, tmp_path / "exports", via) == [via]
    assert via.is_symlink() and target.read_bytes() == MADE.files[0][1]


def test_a_regular_file_is_replaced_and_missing_folders_made(tmp_path):
    (tmp_path / "old.csv").write_bytes(b"old")
    assert export.write(MADE, tmp_path, tmp_path / "old.csv") == [tmp_path / "old.csv"]
    assert (tmp_path / "old.csv").read_bytes() == MADE.files[0][1]
    deep = tmp_path / "2026" / "11" / "journal.csv"
    assert export.write(MADE, tmp_path, deep) == [deep] and deep.read_bytes() == MADE.files[0][1]


# (errno while writing, the words of the message)
FAILURES = [
    (errno.ENOSPC, ["No space left on device", "free some space", "--out"]),
    (errno.EACCES, ["Permission denied", "--out"]),
    (errno.EROFS, ["Read-only file system", "--out"]),
    (errno.EIO, ["Input/output error", "--out"]),
]


@pytest.mark.parametrize("code, words", FAILURES, ids=[errno.errorcode[c[0]] for c in FAILURES])
def test_a_failed_write_says_what_and_what_to_do_and_leaves_nothing(tmp_path, monkeypatch, code, words):
    def fails(self, data):
        with open(self, "wb") as f:
            f.write(data[:3])
        raise OSError(code, os.strerror(code), str(self))
    monkeypatch.setattr(Path, "write_bytes", fails)
    with pytest.raises(SheetbillError) as exc:
        export.write(MADE, tmp_path)
    message = str(exc.value)
    assert message.startswith(f"cannot write {tmp_path / 'journal.csv'}: ")
    for word in words:
        assert word in message
    assert list(tmp_path.iterdir()) == []
