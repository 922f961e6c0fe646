"""The worker left alone: each cycle recorded beside the workbook, the practice
emailed once after failed cycles in a row and once when it works again,
`sheetbill status` and the Dashboard showing how the last cycles ended."""

from __future__ import annotations

import json
import logging
import os
from datetime import date, timedelta

import pytest

from sheetbill import app, cli, health
from sheetbill.core.dashboard import FAILURES_ITEM, LAST_FAILURE_ITEM
from sheetbill.core.health import DOWN, FAILED, OK, UP, CycleRecord, alert_due
from sheetbill.errors import SheetbillError
from sheetbill.logformat import JsonFormatter

from .conftest import NOW, FixedClock, session
from .test_deliver_smtp import Mailbox, serve  # noqa: F401 - serve is a fixture


def cycles(outcomes: str) -> list[CycleRecord]:
    """'ooff': ok, ok, failed, failed (stamps t0, t1...)."""
    return [CycleRecord(f"t{i}", OK if c == "o" else FAILED, f"why {i}") for i, c in enumerate(outcomes)]


@pytest.mark.parametrize("outcomes, sent, threshold, want", [
    ("", "", 3, None),
    ("off", "", 3, None),                       # two failures: not yet
    ("offf", "", 3, (DOWN, "t1", 3)),           # the third: tell
    ("offf", "down t1", 3, None),               # told already
    ("offff", "down t1", 3, None),              # still failing: not again
    ("offff", "down t1 sending", 3, (DOWN, "t1", 4)),  # interrupted: the send protocol finishes it
    ("offffo", "up t1 sending", 3, (UP, "t1", 4)),
    ("offffo", "down t1", 3, (UP, "t1", 4)),    # works again: tell once
    ("offffo", "up t1", 3, None),               # told already
    ("fffofff", "up t0", 3, (DOWN, "t4", 3)),   # a new streak is a new alert
    ("ffo", "", 3, None),                       # never told of it: nothing to take back
    ("ffffff", "", 0, None),                    # 0: never
    ("f", "", 1, (DOWN, "t0", 1)),
])
def test_when_the_practice_is_told(outcomes, sent, threshold, want):
    alert = alert_due(cycles(outcomes), sent, threshold)
    assert (alert and (alert.kind, alert.key, alert.failures)) == want


def _monitor(practice, clock):
    config = practice.config
    return health.health_for(config, app.transport_for(config), clock.now)


def _cycle(monitor, clock, fails: bool):
    def run():
        if fails:
            raise SheetbillError("the workbook is open elsewhere")
        from sheetbill.cycle_report import CycleReport
        return CycleReport(created=["INV-2026-0001"])
    clock.current += timedelta(minutes=10)
    try:
        monitor.monitored(run)()
    except SheetbillError:
        pass


def test_three_failed_cycles_email_the_practice_once_and_once_more_when_it_works_again(practice):
    clock = FixedClock()
    monitor = _monitor(practice, clock)
    for _ in range(2):
        _cycle(monitor, clock, fails=True)
    assert practice.emails() == []
    _cycle(monitor, clock, fails=True)
    [down] = practice.emails()
    assert down["To"] == practice.config.practice.email
    assert "3 cycles in a row failed" in down["Subject"]
    assert "the workbook is open elsewhere" in down.get_content()
    for _ in range(3):
        _cycle(monitor, clock, fails=True)
    assert len(practice.emails()) == 1
    _cycle(monitor, clock, fails=False)
    emails = practice.emails()
    assert len(emails) == 2
    assert any("working again" in e["Subject"] for e in emails)
    _cycle(monitor, clock, fails=False)
    assert len(practice.emails()) == 2


def test_an_alert_interrupted_mid_send_is_looked_up_not_sent_twice(practice):
    clock = FixedClock()
    monitor = _monitor(practice, clock)
    for _ in range(3):
        _cycle(monitor, clock, fails=True)
    [sent] = practice.emails()
    log = health.CycleLog(health.log_path(practice.config))
    _, state = log.read()
    log.put_state({"alert": state["alert"] + " sending"})  # as if the run stopped after the send
    _cycle(monitor, clock, fails=True)
    assert len(practice.emails()) == 1
    assert log.read()[1]["alert"] == state["alert"]
    assert sent["Message-ID"]


def test_status_lists_the_last_cycles(practice, capsys, monkeypatch):
    monkeypatch.setattr(health, "KEEP", 5)
    clock = FixedClock()
    monitor = _monitor(practice, clock)
    for i in range(14):
        _cycle(monitor, clock, fails=i >= 11)
    lines = health.log_path(practice.config).read_text().splitlines()
    assert len(lines) <= 2 * 5 + 1  # kept small
    assert cli.main(["status", "--config", str(practice.config_path), "--last", "5"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 6
    assert "ok" in out[0] and "1 invoice(s) created" in out[0]
    assert "failed" in out[-2] and "the workbook is open elsewhere" in out[-2]
    assert out[-1].startswith("3 failed cycle(s) in a row; the practice was emailed")


def test_status_before_any_cycle(practice, capsys):
    assert cli.main(["status", "--config", str(practice.config_path)]) == 0
    assert "no cycles recorded yet" in capsys.readouterr().out


def test_run_records_its_cycle(practice, capsys):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    assert cli.main(["run", "--config", str(practice.config_path)]) == 0
    [cycle], _ = health.CycleLog(health.log_path(practice.config)).read()
    assert cycle.outcome == OK and "1 invoice(s) created" in cycle.summary


def test_the_dashboard_shows_the_last_failure(practice):
    clock = FixedClock()
    monitor = _monitor(practice, clock)
    for _ in range(2):
        _cycle(monitor, clock, fails=True)
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run(clock)
    board = {r["Item"]: r for r in practice.rows("Dashboard")}
    assert "the workbook is open elsewhere" in board[LAST_FAILURE_ITEM]["Value"]
    assert board[FAILURES_ITEM]["Count"] == 2


def test_json_log_lines():
    record = logging.LogRecord("sheetbill", logging.INFO, __file__, 1, "%d invoice(s) created", (3,), None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "3 invoice(s) created" and entry["level"] == "info" and entry["at"].endswith("Z")


def test_the_threshold_comes_from_the_config(practice):
    assert practice.config.schedule.alert_after_failures == 3
    practice.configure("alert_after_failures: 3", "alert_after_failures: 5")
    assert practice.config.schedule.alert_after_failures == 5


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once closed: connection refused


def test_watch_and_status_say_why_a_cycle_had_errors(practice, capsys, caplog):
    """The mail server is down: the invoice is saved, its email is not sent. The journal of
    `watch` and `sheetbill status` say which email and why, not only '1 error(s)'."""
    from sheetbill.watch import watch

    from .test_e2e_smtp import use_smtp

    use_smtp(practice, _closed_port())
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    config = practice.config
    with caplog.at_level(logging.INFO, logger="sheetbill"):
        watch(app.monitored(config, practice.worker(FixedClock())), 10, stop=lambda: True, idle=lambda s: None)
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and errors[0].startswith("INV-2026-0001: email not sent to Anna Meier")
    assert "Connection refused" in errors[0]
    assert cli.main(["status", "--config", str(practice.config_path)]) == 0
    [cycle, _] = capsys.readouterr().out.splitlines()
    assert "failed" in cycle and "1 error(s)" in cycle  # its only email failed: no client got anything
    assert "emails failed: cannot reach the mail server 127.0.0.1" in cycle and "Connection refused" in cycle


def test_a_timer_run_with_json_logs_writes_json_lines_only(practice):
    """The timer unit runs `sheetbill --log-format json run`: journald and a log shipper got the cycle's
    line, its errors and a failed run's message as plain text, and no JSON line for the cycle."""
    import subprocess
    import sys

    def run() -> tuple[int, list[dict]]:
        done = subprocess.run([sys.executable, "-m", "sheetbill", "--log-format", "json", "run",
                               "--config", str(practice.config_path)], capture_output=True, text=True, timeout=300)
        lines = (done.stdout + done.stderr).splitlines()
        return done.returncode, [json.loads(line) for line in lines if line.strip()]

    def said(entry: dict) -> str:
        return entry["message"].split(" (")[0].rsplit(" ", 1)[0]  # without the time it was opened

    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session("S-00002", date(2026, 11, 3), "C-404"))
    code, entries = run()
    assert code == 0
    [cycle] = [e for e in entries if "invoice(s) created" in e["message"]]
    assert cycle["level"] == "info" and cycle["message"].startswith("1 invoice(s) created, 1 PDF(s), 1 email(s) sent")
    assert any(e["level"] == "warning" and "S-00002" in e["message"] and "C-404" in e["message"] for e in entries)
    practice.append("Sessions", session("S-00003", date(2026, 11, 4)))
    (practice.folder / "~$practice.xlsx").write_text("x")  # and the admin has it open
    code, entries = run()
    assert code == 3
    assert [(e["level"], said(e)) for e in entries] == [
        ("error", "practice.xlsx has been open in Excel or LibreOffice since")]


def test_a_worker_that_cannot_start_is_a_failed_cycle_the_practice_is_told_of(practice, capsys):
    """The email template deleted (or the SMTP password's variable gone from the service's environment):
    every `run` of the timer, and `watch` at each restart, stopped before its cycle was recorded, so
    `status` showed nothing new and the practice was never emailed, however long it lasted."""
    from sheetbill.errors import ConfigError

    body = practice.folder / "templates" / "email" / "invoice_body.txt"
    text = body.read_text(encoding="utf-8")
    body.unlink()
    clock = FixedClock()
    cycle = app.monitored(practice.config, make=lambda: practice.worker(clock))
    for _ in range(3):
        clock.current += timedelta(minutes=10)
        with pytest.raises(ConfigError, match="email.body_template: template not found"):
            cycle()
    [down] = practice.emails()
    assert "3 cycles in a row failed" in down["Subject"] and "email.body_template" in down.get_content()
    assert cli.main(["status", "--config", str(practice.config_path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("3 failed cycle(s) in a row; the practice was emailed")
    body.write_text(text, encoding="utf-8")  # put back: the same watch goes on, no restart needed
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    assert cycle().created == ["INV-2026-0001"]
    assert any("working again" in e["Subject"] for e in practice.emails())


class Refusing(Mailbox):
    """A mail server that takes every address and refuses every message (the account is blocked)."""

    def __init__(self) -> None:
        super().__init__()
        self.data_reply = "554 5.7.1 Sending paused for this account"
        self.tried: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.tried += envelope.rcpt_tos
        return await super().handle_DATA(server, session, envelope)


def test_a_cycle_whose_emails_all_fail_is_a_failed_one_and_the_practice_is_told(practice, serve, caplog, capsys):
    """The mail server refuses every message: each cycle saved its invoice and no client got an email,
    yet was recorded as one 'with errors', so the 'cycles in a row failed' alert was never tried and the
    Dashboard said no cycle had failed. The alert is tried on the same server (refused too) without
    ending the cycle."""
    from .test_e2e_smtp import use_smtp

    server = Refusing()
    use_smtp(practice, serve(server))
    clock = FixedClock()
    cycle = app.monitored(practice.config, practice.worker(clock))
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    with caplog.at_level(logging.ERROR, logger="sheetbill"):
        for _ in range(3):
            clock.current += timedelta(minutes=10)
            assert cycle().sent == []
    assert server.tried == ["anna@example.com"] * 3 + [practice.config.practice.email]
    assert any(r.getMessage().startswith("down alert: email not sent") and "554 5.7.1" in r.getMessage()
               for r in caplog.records)
    assert cli.main(["status", "--config", str(practice.config_path)]) == 0
    *lines, last = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and all("failed" in line for line in lines)
    assert "emails failed: the mail server 127.0.0.1" in lines[-1] and "554 5.7.1 Sending paused" in lines[-1]
    assert last == "3 failed cycle(s) in a row"  # told of, not emailed: the alert was refused too
    practice.append("Sessions", session("S-00002", date(2026, 11, 4)))
    clock.current += timedelta(minutes=10)
    cycle()
    board = {r["Item"]: r for r in practice.rows("Dashboard")}
    assert board[FAILURES_ITEM]["Count"] == 3
    assert "emails failed: the mail server" in board[LAST_FAILURE_ITEM]["Value"]


def test_a_refused_client_address_alone_is_not_a_failed_cycle(practice, serve, capsys):
    """The server refuses one client's address (no such mailbox): that is the client's row to fix, the
    mail itself works; the cycle has an error, not a failure."""
    from .test_e2e_smtp import use_smtp

    server = Mailbox()
    server.rcpt_replies["anna@example.com"] = "550 5.1.1 No such user"
    use_smtp(practice, serve(server))
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    app.monitored(practice.config, practice.worker(FixedClock()))()
    assert cli.main(["status", "--config", str(practice.config_path)]) == 0
    [cycle, _] = capsys.readouterr().out.splitlines()
    assert "errors" in cycle and "5.1.1 No such user" in cycle


def test_a_workbook_open_in_excel_waits_hours_before_the_practice_is_told(practice, capsys):
    """The admin kept the workbook open in Excel for the morning: after three cycles (30 minutes) the
    practice got '3 cycles in a row failed', then 'working again' once it was closed. A person working
    in it is no failure: the cycles wait, saying since when, and count as failed only once it has been
    open for schedule.alert_after_open_hours (4 by default)."""
    clock = FixedClock()  # 09:30 UTC: 10:30 on the practice's clock (Berlin)
    cycle = app.monitored(practice.config, practice.worker(clock))
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    lock = practice.folder / "~$practice.xlsx"
    lock.write_text("Maria")
    os.utime(lock, (NOW.timestamp(), NOW.timestamp()))  # Excel writes it as it opens the workbook

    def open_at(minutes: int) -> None:
        clock.current = NOW + timedelta(minutes=minutes)
        with pytest.raises(SheetbillError, match="open in Excel or LibreOffice") as raised:
            cycle()
        assert raised.value.exit_code == 3  # `run` on the timer: its next run goes on

    for minutes in (10, 20, 30, 40, 60, 120, 230):
        open_at(minutes)
    assert practice.emails() == []
    assert cli.main(["status", "--config", str(practice.config_path)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("waiting: practice.xlsx has been open in Excel or LibreOffice since 10:30")
    assert "billing waits until it is closed" in last
    for minutes in (240, 250, 260):
        open_at(minutes)
    [down] = practice.emails()
    assert "practice.xlsx has been open in Excel or LibreOffice since 10:30" in down.get_content()
    lock.unlink()
    clock.current += timedelta(minutes=10)
    assert cycle().created == ["INV-2026-0001"]
    assert any("working again" in e["Subject"] for e in practice.emails())


def test_the_time_to_wait_for_a_workbook_open_in_excel_comes_from_the_config(practice):
    assert practice.config.schedule.alert_after_open_hours == 4
    practice.configure("alert_after_open_hours: 4", "alert_after_open_hours: 1.5")
    assert practice.config.schedule.alert_after_open_hours == 1.5
