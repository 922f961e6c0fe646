"""`watch` and its config file: changes taken without a restart, a broken file neither stops the
worker nor keeps it from starting silently."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from sheetbill import app, cli
from sheetbill.config_file import ConfigFile
from sheetbill.core.dashboard import CONFIG_ITEM

from .conftest import FixedClock, session
from .test_deploy import unit

BROKEN = "  terms_days: 14: 30"  # a colon too many: not YAML


def _break(practice) -> int:
    """The config file with a typo; the line it is on."""
    practice.configure("  terms_days: 14", BROKEN)
    return next(n for n, text in enumerate(practice.config_path.read_text().splitlines(), 1) if text.startswith(BROKEN))


def test_watch_goes_on_with_the_last_good_config_while_the_file_is_broken(practice, caplog, capsys):
    """A typo in sheetbill.yaml: watch ran on until its next restart, which then failed every 30 s for
    good with no word to anyone. It now goes on with the config it read last, says what is wrong once
    per change of the file, shows it in `status` and on the Dashboard, and takes the fixed file."""
    clock = FixedClock()
    configs = ConfigFile(practice.config_path, practice.config)
    cycle = app.watched(configs, make=lambda config: app.worker_for(config, clock=clock))

    def billed(sid: str, day: int) -> list[str]:
        practice.append("Sessions", session(sid, date(2026, 11, day)))
        clock.current += timedelta(minutes=10)
        return cycle().created

    assert billed("S-00001", 3) == ["INV-2026-0001"]
    line = _break(practice)
    with caplog.at_level(logging.INFO, logger="sheetbill"):
        assert billed("S-00002", 4) == ["INV-2026-0002"]
        assert billed("S-00003", 5) == ["INV-2026-0003"]
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(said) == 1  # once for this change of the file, not every cycle
    assert said[0].startswith(f"sheetbill.yaml line {line}: not valid YAML: mapping values are not allowed here")
    assert "goes on with the config as it last read it" in said[0]
    assert cli.main(["status", "--config", str(_copy_fixed(practice))]) == 0
    assert f"config: sheetbill.yaml line {line}: not valid YAML" in capsys.readouterr().out
    board = {r["Item"]: r for r in practice.rows("Dashboard")}
    assert board[CONFIG_ITEM]["Value"].startswith(f"sheetbill.yaml line {line}: not valid YAML")

    text = practice.config_path.read_text().replace(BROKEN, "  terms_days: 14")
    practice.config_path.write_text(text.replace("invoice_number: INV-", "invoice_number: RE-"))
    assert billed("S-00004", 6) == ["RE-2026-0001"]  # the fixed file, and the change made with it
    board = {r["Item"]: r for r in practice.rows("Dashboard")}
    assert board[CONFIG_ITEM]["Value"] is None
    assert cli.main(["status", "--config", str(practice.config_path)]) == 0
    assert "config:" not in capsys.readouterr().out


def _copy_fixed(practice):
    """The config as it was, beside the broken one: `status` needs a config it can read."""
    good = practice.config_path.with_name("good.yaml")
    good.write_text(practice.config_path.read_text().replace(BROKEN, "  terms_days: 14"))
    return good


def test_watch_will_not_start_on_a_broken_config_nor_be_restarted(practice, capsys):
    """Started on a broken config, watch exited 1, and systemd restarted it every 30 s forever."""
    line = _break(practice)
    assert cli.main(["watch", "--config", str(practice.config_path)]) == 78
    [said] = capsys.readouterr().err.splitlines()
    assert said.startswith(f"sheetbill: sheetbill.yaml line {line}: not valid YAML: mapping values are not allowed")
    assert "(fix the config file, then start watch again; recorded as a failed cycle in " in said
    service = unit("sheetbill.service")["Service"]
    assert service["Restart"] == "on-failure" and "78" in service["RestartPreventExitStatus"].split()
