"""The systemd units in deploy/, as the operator installs them."""

from __future__ import annotations

import configparser
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys as systemd spells them
    parser.read_string((DEPLOY / name).read_text(encoding="utf-8"))
    return parser


def test_stopping_watch_lets_its_cycle_finish():
    """`systemctl stop` (or restart) sends the stop signal to sheetbill's own process only: with
    the default KillMode it reached the processes rendering PDFs too, and a cycle stopped mid-batch
    ended half-way with exit 130 (the unit marked failed) instead of finishing."""
    service = unit("sheetbill.service")["Service"]
    assert service["KillSignal"] == "SIGINT"  # watch's cue to finish the cycle under way
    assert service["KillMode"] == "mixed"
    assert "watch" in service["ExecStart"]


def test_stopping_the_timers_run_lets_its_cycle_finish():
    """`run` finishes its cycle on SIGTERM (systemd's stop signal); the PDF processes are left to it."""
    service = unit("sheetbill-run.service")["Service"]
    assert service.get("KillSignal", "SIGTERM") in ("SIGTERM", "SIGINT")
    assert service["KillMode"] == "mixed"
    assert int(service["TimeoutStopSec"]) >= 60
