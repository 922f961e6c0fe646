"""What a new user trips over on the command line: a message, never a traceback."""

from __future__ import annotations

import pytest

from sheetbill import app, cli


def run(capsys, *argv) -> tuple[int, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("command", [["check", "--offline"], ["preview"], ["audit"], ["run"],
                                     ["statement", "C-001", "--from", "2026-10-01", "--to", "2026-10-31"]])
@pytest.mark.parametrize("workbook, says", [("gone.xlsx", "no such workbook"), (".", "is a folder, not a workbook")])
def test_a_missing_workbook_or_a_folder_is_a_message(practice, capsys, command, workbook, says):
    practice.configure("workbook: practice.xlsx", f"workbook: {workbook}")
    code, out = run(capsys, *command, "--config", str(practice.config_path))
    assert code == 1 and says in out and "Traceback" not in out


def test_a_folder_as_config_is_a_message(practice, capsys):
    code, out = run(capsys, "check", "--config", str(practice.folder))
    assert code == 1 and "cannot read the config file" in out


def test_an_unexpected_failure_is_one_line(practice, capsys, monkeypatch):
    def broken(config):
        raise KeyError("surprise")

    monkeypatch.setattr(app, "audit_findings", broken)
    code, out = run(capsys, "audit", "--config", str(practice.config_path))
    assert code == 1 and out.startswith("sheetbill: unexpected KeyError") and len(out.splitlines()) == 1


def test_init_into_a_file_is_a_message(tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    code, out = run(capsys, "init", str(tmp_path / "afile" / "sub"))
    assert code == 1 and out.startswith("sheetbill: ") and "Not a directory" in out
