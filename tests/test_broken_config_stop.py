"""`watch` started on a config file it cannot load: it stops for good (exit 78, no restart), and the
admin learns of it in `status`, in the cycle log and by the practice's alert email; `status` on
such a file still lists the last cycles."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from sheetbill import cli
from sheetbill.clock import SystemClock

from .conftest import NOW, session
from .test_e2e_smtp import use_smtp

BROKEN = "  terms_days: 14: 30"  # a colon too many: not YAML
ADDRESS = "billing@lindenhof-physio.example"


def _break(practice, old: str = "  terms_days: 14", new: str = BROKEN) -> int:
    """The config file with a typo; the line it is on."""
    practice.configure(old, new)
    return next(n for n, text in enumerate(practice.config_path.read_text().splitlines(), 1) if text.startswith(new))


def _cycles(practice) -> list[dict]:
    path = practice.folder / ".sheetbill-cycles.jsonl"
    if not path.exists():
        return []
    return [e for e in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if "at" in e]


@pytest.fixture
def now(monkeypatch):
    """The machine's clock, set by the test."""
    clock = {"now": NOW}
    monkeypatch.setattr(SystemClock, "now", lambda self: clock["now"])
    return clock


def _watch(practice, capsys) -> tuple[int, list[str]]:
    code = cli.main(["watch", "--config", str(practice.config_path)])
    return code, capsys.readouterr().err.splitlines()


def test_watch_stopped_by_a_broken_config_records_a_failed_cycle_and_tells_the_practice_once(
        practice, smtp_server, capsys, now):
    """The admin broke sheetbill.yaml and restarted the service: watch exited 78 (so systemd left it
    stopped) with one line in the journal, and nothing else: no cycle in `status`, no email, no
    invoices from then on, however long no one read the journal."""
    _, port, inbox = smtp_server
    use_smtp(practice, port)
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    line = _break(practice)
    error = f"sheetbill.yaml line {line}: not valid YAML: mapping values are not allowed here"

    code, [said] = _watch(practice, capsys)
    assert code == 78
    assert said.startswith(f"sheetbill: {error}")
    assert "(fix the config file, then start watch again; " in said
    assert f"recorded as a failed cycle in {practice.folder / '.sheetbill-cycles.jsonl'}" in said
    assert f"the practice was emailed at {ADDRESS}" in said
    [cycle] = _cycles(practice)
    assert cycle["outcome"] == "failed" and cycle["at"] == "2026-11-21T09:30:00Z"
    assert cycle["summary"].startswith(f"watch did not start: {error}")
    [alert] = inbox.messages
    assert alert["To"] == ADDRESS
    assert alert["Subject"] == "sheetbill: a cycle failed for Lindenhof Lymph & Physio"
    body = alert.get_content()
    assert "sheetbill's last cycle failed, at 2026-11-21T09:30:00Z." in body
    assert f"watch did not start: {error}" in body and "start watch again" in body

    now["now"] = NOW + timedelta(minutes=5)  # started again, not yet fixed: the same streak, no second email
    code, [said] = _watch(practice, capsys)
    assert code == 78 and said.startswith(f"sheetbill: {error}")
    assert f"the practice was emailed about it at {ADDRESS} before (first failure 2026-11-21T09:30:00Z)" in said
    assert [c["outcome"] for c in _cycles(practice)] == ["failed", "failed"]
    assert len(inbox.messages) == 1

    assert cli.main(["status", "--config", str(practice.config_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("2026-11-21T09:30:00Z  failed  watch did not start: " + error)
    assert out[1].startswith("2026-11-21T09:35:00Z  failed  watch did not start: " + error)
    assert out[2] == "2 failed cycle(s) in a row; the practice was emailed (first failure 2026-11-21T09:30:00Z)"
    assert out[3] == f"config: {error}"

    practice.configure(BROKEN, "  terms_days: 14")  # fixed: the next cycle bills, and the practice hears of it
    now["now"] = NOW + timedelta(minutes=10)
    assert cli.main(["run", "--config", str(practice.config_path)]) == 0
    subjects = [m["Subject"] for m in inbox.messages if m["To"] == ADDRESS]
    assert subjects == ["sheetbill: a cycle failed for Lindenhof Lymph & Physio",
                        "sheetbill: working again for Lindenhof Lymph & Physio"]


def test_a_bad_value_elsewhere_still_lets_the_practice_be_told(practice, smtp_server, capsys, now):
    """A value that does not read (not YAML broken): the rest of the file says where the log is and
    how to email the practice."""
    _, port, inbox = smtp_server
    use_smtp(practice, port)
    practice.configure("timezone: Europe/Berlin", "timezone: Berlin")
    code, [said] = _watch(practice, capsys)
    assert code == 78
    assert said.startswith("sheetbill: sheetbill.yaml: practice.timezone: unknown time zone 'Berlin'")
    assert f"the practice was emailed at {ADDRESS}" in said
    [cycle] = _cycles(practice)
    assert "practice.timezone: unknown time zone 'Berlin'" in cycle["summary"]
    [alert] = inbox.messages
    assert "practice.timezone: unknown time zone 'Berlin'" in alert.get_content()


def test_no_email_when_the_config_says_never(practice, smtp_server, capsys, now):
    _, port, inbox = smtp_server
    use_smtp(practice, port)
    practice.configure("alert_after_failures: 3", "alert_after_failures: 0")
    _break(practice)
    code, [said] = _watch(practice, capsys)
    assert code == 78 and "recorded as a failed cycle in" in said
    assert "the practice was not emailed (schedule.alert_after_failures is 0)" in said
    assert len(_cycles(practice)) == 1 and inbox.messages == []


def test_a_broken_email_section_is_recorded_and_said_not_emailed(practice, smtp_server, capsys, now):
    _, port, inbox = smtp_server
    use_smtp(practice, port)
    _break(practice, "    security: none", "    security: none: x")
    code, [said] = _watch(practice, capsys)
    assert code == 78 and "recorded as a failed cycle in" in said
    assert "the practice was not emailed: the email section cannot be read" in said
    assert len(_cycles(practice)) == 1 and inbox.messages == []


def test_a_config_too_broken_to_find_the_workbook_says_so_plainly(practice, capsys, now):
    """Where the workbook is cannot be read: nothing can be recorded beside it; the journal says so."""
    line = _break(practice, "workbook: practice.xlsx", "workbook: practice.xlsx: oops")
    code, [said] = _watch(practice, capsys)
    assert code == 78
    assert said.startswith(f"sheetbill: sheetbill.yaml line {line}: not valid YAML")
    assert said.endswith("(fix the config file, then start watch again; no cycle was recorded and the practice "
                         "was not emailed: the config file cannot be read far enough to find the workbook)")
    assert _cycles(practice) == [] and practice.emails() == []

    assert cli.main(["status", "--config", str(practice.config_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [f"no cycle log found: the config file cannot be read far enough to find the workbook; "
                   f"looked for .sheetbill-cycles.jsonl beside the config, in {practice.folder}",
                   f"config: sheetbill.yaml line {line}: not valid YAML: mapping values are not allowed here"]


def test_status_on_a_broken_config_lists_the_cycles_a_running_watch_recorded(practice, capsys, now):
    """watch goes on with the config it last read; the admin's `status` on the broken file said only
    what is wrong with it, not how the cycles went."""
    from sheetbill import app

    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    app.monitored(practice.config)()
    line = _break(practice)
    assert cli.main(["status", "--config", str(practice.config_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("2026-11-21T09:30:00Z  ok      1 invoice(s) created")
    assert out[1] == "last cycle: ok at 2026-11-21T09:30:00Z"
    assert out[2] == f"config: sheetbill.yaml line {line}: not valid YAML: mapping values are not allowed here"
