"""A workbook put back to an older version (a backup copied over it) is refused: going on
would issue the invoice numbers already sent to one client again, to another."""

from __future__ import annotations

import shutil
from datetime import date

from sheetbill import cli

from .conftest import session


def test_a_workbook_put_back_to_a_backup_is_refused_until_a_person_says_so(practice, capsys):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()
    before = practice.folder / "before.xlsx"
    shutil.copy(practice.workbook, before)
    practice.append("Sessions", session("S-00002", date(2026, 11, 4), client="C-002"))
    practice.run()  # INV-2026-0002 to Jonas Becker
    sent = len(practice.emails())
    shutil.copy(before, practice.workbook)  # the admin restores the version before that run
    practice.set("Sessions", "S-00001", "Notes", "restored")
    practice.append("Sessions", session("S-00003", date(2026, 11, 5), client="C-003"))
    kept = practice.workbook.read_bytes()

    code = cli.main(["run", "--config", str(practice.config_path)])
    out = capsys.readouterr().err
    assert code == 4 and "practice.xlsx is older than the version sheetbill last wrote" in out
    assert "Nothing was written" in out and ".practice.xlsx.sheetbill-cache" in out
    assert practice.workbook.read_bytes() == kept and len(practice.emails()) == sent

    (practice.folder / ".practice.xlsx.sheetbill-cache").unlink()  # the admin means it
    assert cli.main(["run", "--config", str(practice.config_path)]) == 0
    capsys.readouterr()


def test_a_workbook_another_run_wrote_since_is_not_older(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()
    cache = practice.folder / ".practice.xlsx.sheetbill-cache"
    kept = cache.read_bytes()
    practice.append("Sessions", session("S-00002", date(2026, 11, 4)))
    practice.run()
    cache.write_bytes(kept)  # as a second machine sharing the file would have it
    practice.append("Sessions", session("S-00003", date(2026, 11, 5)))
    assert practice.run().created == ["INV-2026-0003"]
