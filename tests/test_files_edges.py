"""Files a run leaves behind: the workbook keeps its access rights, a killed
run's temporary PDFs are cleaned up."""

from __future__ import annotations

import os
import stat
import time
from datetime import date

from sheetbill.render.files import store_pdf

from .conftest import session


def test_writing_keeps_the_workbooks_mode_and_group(practice):
    os.chmod(practice.workbook, 0o664)
    group = practice.workbook.stat().st_gid
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    assert practice.run().created
    assert stat.S_IMODE(practice.workbook.stat().st_mode) == 0o664
    assert practice.workbook.stat().st_gid == group
    backups = list((practice.folder / "backups").glob("*.xlsx"))
    assert backups and all(stat.S_IMODE(b.stat().st_mode) == 0o664 for b in backups)


def test_a_killed_runs_temporary_pdfs_are_removed(practice):
    folder = practice.folder / "invoices"
    folder.mkdir()
    own = folder / ".INV-2026-0001.pdf.72b0f479.tmp"
    old = folder / ".RCPT-2026-0003.pdf.0a1b2c3d.tmp"
    fresh = folder / ".INV-2026-0009.pdf.99999999.tmp"  # a write under way elsewhere
    for f in (own, old, fresh):
        f.write_bytes(b"%PDF-half")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    assert practice.run().pdfs == ["INV-2026-0001"]
    assert not own.exists() and not old.exists() and fresh.exists()
    assert (folder / "INV-2026-0001.pdf").exists()


def test_an_identical_pdf_kept_still_cleans_its_leftover(tmp_path):
    store_pdf(tmp_path, "INV-1", b"%PDF")
    leftover = tmp_path / ".INV-1.pdf.0011aabb.tmp"
    leftover.write_bytes(b"%PD")
    store_pdf(tmp_path, "INV-1", b"%PDF")
    assert not leftover.exists()
