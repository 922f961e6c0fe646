"""A workbook open in Excel: `check` and `preview` say since when, in the words a `run` uses."""

from __future__ import annotations

import os
from datetime import date

from sheetbill import cli

from .conftest import NOW, session

SAID = "practice.xlsx has been open in Excel or LibreOffice since 2026-11-21 10:30 (~$practice.xlsx exists)"


def test_check_preview_and_run_say_since_when_the_workbook_is_open(practice, capsys):
    """The admin left the workbook open on Saturday morning: `run` said since when, while `check`
    and `preview` only said it was open, so the one looking could not tell a forgotten Excel from
    a colleague at work in it now."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    lock = practice.folder / "~$practice.xlsx"
    lock.write_text("Maria")
    os.utime(lock, (NOW.timestamp(), NOW.timestamp()))  # Excel writes it as it opens the workbook (10:30 in Berlin)
    config = str(practice.config_path)

    assert cli.main(["run", "--config", config]) == 3
    assert SAID in capsys.readouterr().err

    assert cli.main(["check", "--offline", "--config", config]) == 1
    [line] = [line for line in capsys.readouterr().out.splitlines() if "open in Excel" in line]
    assert line.startswith(f"workbook: {SAID}; runs will wait until it is closed (")

    assert cli.main(["preview", "--config", config]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == f"note: {SAID}: `run` writes nothing until it is closed"
