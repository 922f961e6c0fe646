"""What a new user trips over on the command line: a message, never a traceback."""

from __future__ import annotations

import errno
from datetime import date

import pytest

from sheetbill import app, cli
from sheetbill.book import excel as excel_mod
from sheetbill.deliver import cycle as delivery_mod
from sheetbill.render import folder as folder_mod

from .conftest import session


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


def test_init_leaves_placeholders_and_nothing_is_sent_until_they_are_filled(tmp_path, capsys):
    from sheetbill.placeholders import fill_example

    code, out = run(capsys, "init", str(tmp_path / "p"))
    assert code == 0 and "CHANGE-ME" in out
    config = tmp_path / "p" / "sheetbill.yaml"
    text = config.read_text(encoding="utf-8")
    assert "Lindenhof" not in text and "DE89" not in text and "DE123456789" not in text
    code, out = run(capsys, "check", "--config", str(config), "--offline")
    assert code == 1
    assert ("practice.name, practice.address, practice.email, practice.phone, practice.tax_id, practice.bank, "
            "email.from: still the placeholder") in out
    for _ in range(4):  # failed cycles, past alert_after_failures: no alert under the placeholders either
        code, out = run(capsys, "run", "--config", str(config))
        assert code == 1 and "practice.name" in out and "Nothing is sent until then" in out
    assert not (tmp_path / "p" / "outbox").exists()
    config.write_text(fill_example(text).replace("phone: +49 30 1234 5678", 'phone: ""'), encoding="utf-8")
    code, out = run(capsys, "check", "--config", str(config), "--offline")
    assert (code, out.strip()) == (0, "OK: config, workbook, templates and mail settings look right")
    assert run(capsys, "run", "--config", str(config))[0] == 0


def test_the_demo_fills_its_own_details_and_bills(tmp_path):
    from datetime import date

    from sheetbill import config as config_mod
    from sheetbill import demo

    config_path = demo.build(tmp_path / "demo", date(2026, 11, 21))
    config = config_mod.load(config_path)
    assert config.practice.name == "Lindenhof Lymph & Physio"
    app.worker_for(config, deliver=False)  # would refuse with placeholders
    from sheetbill.placeholders import placeholder_keys
    assert placeholder_keys(config) == []


def test_a_broken_oauth_client_file_is_a_message(tmp_path, capsys):
    config = tmp_path / "sheetbill.yaml"
    config.write_text("google:\n  spreadsheet_id: abc\n  credentials: token.json\n"
                      "practice:\n  name: X\n  email: billing@x.example\n")
    (tmp_path / "client.json").write_text("{broken")
    code, out = run(capsys, "auth", "google", "--config", str(config), "--client-secrets",
                    str(tmp_path / "client.json"), "--no-browser")
    assert code == 1 and "not an OAuth client file" in out and "unexpected" not in out


def test_ctrl_c_is_one_sentence_and_exit_130(practice, capsys, monkeypatch):
    def interrupted(config):
        raise KeyboardInterrupt

    monkeypatch.setattr(app, "audit_findings", interrupted)
    code, out = run(capsys, "audit", "--config", str(practice.config_path))
    assert code == 130 and "Traceback" not in out
    assert out.startswith("sheetbill: stopped (Ctrl-C). What this run saved in the workbook stays")


def test_a_full_disk_while_making_pdfs_says_the_invoices_are_saved(practice, capsys, monkeypatch):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))

    def full(folder, name, pdf):
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / name))

    monkeypatch.setattr(folder_mod, "store_pdf", full)  # each PDF: an error line, the run goes on
    code, out = run(capsys, "run", "--config", str(practice.config_path))
    assert code == 2 and "Traceback" not in out and "INV-2026-0001: PDF not made" in out
    assert [r["Invoice No"] for r in practice.rows("Invoices")] == ["INV-2026-0001"]  # saved all the same
    monkeypatch.undo()
    practice.append("Sessions", session("S-00002", date(2026, 11, 4)))

    def full_elsewhere(self, *args, **kwargs):  # a file of the run's own (a render helper's, the outbox's)
        raise OSError(errno.ENOSPC, "No space left on device", "/var/tmp/sheetbill-render")

    monkeypatch.setattr(delivery_mod.Delivery, "deliver", full_elsewhere)
    code, out = run(capsys, "run", "--config", str(practice.config_path))
    assert code == 2 and "Traceback" not in out
    assert out.startswith("sheetbill: cannot write /var/tmp/sheetbill-render: No space left on device")
    assert "saved in the workbook: INV-2026-0002" in out
    monkeypatch.undo()
    code, out = run(capsys, "run", "--config", str(practice.config_path))
    assert code == 0 and len(practice.emails()) == 2


def test_a_folder_the_workbook_cannot_be_written_in_is_named_and_nothing_is_written(practice, capsys, monkeypatch):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    before = practice.workbook.read_bytes()

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(practice.folder / ".practice.x.xlsx.tmp"))

    monkeypatch.setattr(excel_mod.tempfile, "mkstemp", refused)
    code, out = run(capsys, "run", "--config", str(practice.config_path))
    assert code == 1 and "Traceback" not in out and ".tmp" not in out
    assert f"practice.xlsx: cannot write in {practice.folder}: Permission denied. Nothing was written" in out
    assert practice.workbook.read_bytes() == before


def test_a_practice_folder_sheetbill_may_not_write_in_is_named_with_what_to_do(practice, capsys, monkeypatch):
    """The practice copied into place by root, the service running as its own user: the folder is
    not sheetbill's to write in. `run` named a hidden lock file ('.practice.xlsx.sheetbill-lock:
    Permission denied') and `check` said nothing of it."""
    import builtins
    import os

    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    before = practice.workbook.read_bytes()
    real_open, real_access = builtins.open, os.access

    def refused(path, *args, **kwargs):
        if str(path).startswith(str(practice.folder)) and str(path).endswith("-lock"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(excel_mod, "open", refused, raising=False)
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if str(path).startswith(str(practice.folder))
                        and mode == os.W_OK else real_access(path, mode, **kw))
    code, out = run(capsys, "run", "--config", str(practice.config_path))
    assert code == 1 and "sheetbill-lock" not in out
    assert f"practice.xlsx: cannot write in {practice.folder}: Permission denied. Nothing was written" in out
    assert practice.workbook.read_bytes() == before
    code, out = run(capsys, "check", "--offline", "--config", str(practice.config_path))
    assert code == 1
    assert f"workbook: {practice.folder} is not writable: sheetbill saves practice.xlsx" in out


def test_a_workbook_cut_short_says_where_the_last_good_copy_is(practice, capsys):
    """A save that stopped half-way (a sync client, a full disk under Excel) leaves a file that is no
    zip: every run said 'practice.xlsx: practice.xlsx is not an Excel workbook (.xlsx): it is not a
    zip package', and nothing about the backups sheetbill keeps beside it."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    assert cli.main(["run", "--config", str(practice.config_path)]) == 0
    capsys.readouterr()
    practice.workbook.write_bytes(practice.workbook.read_bytes()[:3000])
    for command in (["run"], ["check", "--offline"]):
        code, out = run(capsys, *command, "--config", str(practice.config_path))
        assert code == 1 and "practice.xlsx: practice.xlsx" not in out
        assert "practice.xlsx is not an Excel workbook (.xlsx): it is not a zip package" in out
        assert "restore it from the backups/ folder beside it (the newest: backups/practice.1.xlsx)" in out
