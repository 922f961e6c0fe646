"""core.quiet: when a cycle may be skipped; and quiet_cycle, which skips it."""

from __future__ import annotations

import os
import shutil
from datetime import date

import pytest

from sheetbill import code_version
from sheetbill.core.quiet import quiet_key

DAY = date(2026, 11, 21)


@pytest.mark.parametrize("content, looks, expected", [
    ("sheet1=ab;sheet2=cd", False, "sheet1=ab;sheet2=cd|2026-11-21|cfg|code"),
    (None, False, None),  # no fingerprint (Google): every cycle reads
    ("sheet1=ab", True, None),  # card payments or a bank folder: look every cycle
])
def test_the_quiet_key(content, looks, expected):
    assert quiet_key(content, DAY, "cfg", "code", looks) == expected


def test_a_new_day_config_or_code_is_no_longer_quiet():
    key = quiet_key("x", DAY, "cfg", "code")
    assert quiet_key("x", date(2026, 11, 22), "cfg", "code") != key
    assert quiet_key("x", DAY, "other", "code") != key
    assert quiet_key("y", DAY, "cfg", "code") != key
    assert quiet_key("x", DAY, "cfg", "upgraded") != key  # another sheetbill may read the same workbook differently


def test_the_code_version_is_a_digest_of_the_sources_contents(tmp_path, monkeypatch):
    def version_of(package):
        monkeypatch.setattr(code_version, "PACKAGE", package)
        code_version.code_version.cache_clear()
        return code_version.code_version()

    try:
        one = tmp_path / "one" / "sheetbill"
        (one / "book").mkdir(parents=True)
        (one / "__init__.py").write_text("")
        (one / "book" / "values.py").write_text("PERCENT = 100\n")
        (one / "notes.txt").write_text("not code")
        first = version_of(one)
        assert len(first) == 16 and version_of(one) == first
        other = tmp_path / "other" / "sheetbill"  # another clone of the same code, files touched later
        shutil.copytree(one, other)
        os.utime(other / "book" / "values.py", (0, 0))
        (other / "notes.txt").write_text("changed, but not code")
        (other / "book" / "__pycache__").mkdir()
        (other / "book" / "__pycache__" / "values.py").write_text("a stray copy")
        assert version_of(other) == first
        (other / "book" / "values.py").write_text("PERCENT = 101\n")  # the same size, other code
        assert version_of(other) != first
        assert version_of(tmp_path / "nothing").startswith("process-")  # no sources: no key of another run matches
    finally:
        monkeypatch.undo()
        code_version.code_version.cache_clear()
    assert code_version.code_version() == code_version.code_version() != first


def _reads(practice, code: str | None = None) -> bool:
    """Run one cycle of `practice` (as sheetbill of version `code`, if given): whether it read the workbook."""
    worker = practice.worker()
    if code is not None:
        worker.quiet.code = lambda: code
    reads = []
    first_reading = worker.io.first_reading
    worker.io.first_reading = lambda: reads.append(True) or first_reading()
    report = worker.run_once()
    assert report.errors == [] and report.flags == [] and report.warnings == []
    return bool(reads)


def test_the_first_cycle_after_an_upgrade_reads_the_unchanged_workbook(practice):
    assert _reads(practice, code="older")  # the workbook as it was: read, and nothing to do
    assert not _reads(practice, code="older")  # the same code, workbook, day and config: quiet
    assert _reads(practice)  # the code this test runs, with the key the older one left: read again
    assert not _reads(practice)  # and quiet from then on
