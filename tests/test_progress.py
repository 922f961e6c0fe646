"""A long stage shows a bar on a terminal and one log line elsewhere; a short one shows nothing."""

from __future__ import annotations

import io
import json
import logging
from datetime import date

from sheetbill import cli, progress
from sheetbill.logformat import JsonFormatter
from sheetbill.progress import stage, steps

from .conftest import session


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_on_a_terminal(caplog):
    stream = Terminal()
    with caplog.at_level(logging.INFO, logger="sheetbill"):
        assert list(steps(range(30), "PDFs", stream)) == list(range(30))
    assert "PDFs" in stream.getvalue() and "30/30" in stream.getvalue()
    assert caplog.records == []


def test_one_log_line_elsewhere(caplog):
    stream = io.StringIO()
    with caplog.at_level(logging.INFO, logger="sheetbill"):
        assert list(steps(range(30), "PDFs", stream)) == list(range(30))
    assert [r.getMessage() for r in caplog.records] == ["PDFs: 30 to make"]
    assert stream.getvalue() == ""


def test_a_short_stage_shows_nothing(caplog):
    stream = Terminal()
    with caplog.at_level(logging.INFO, logger="sheetbill"):
        assert list(steps([1, 2], "PDFs", stream)) == [1, 2]
    assert caplog.records == [] and stream.getvalue() == ""


def test_stopping_early_closes_the_bar():
    stream = Terminal()
    for i in steps(range(30), "PDFs", stream):
        if i == 3:
            break
    assert "PDFs" in stream.getvalue()


def test_a_stage_is_one_line_elsewhere_when_it_is_big_enough(caplog):
    stream = io.StringIO()
    with caplog.at_level(logging.INFO, logger="sheetbill"):
        with stage("planning", 5000, "sessions", stream, min_items=1000):
            pass
        with stage("planning", 12, "sessions", stream, min_items=1000):
            pass
        with stage("reading", stream=stream, min_items=1000) as found:
            found(3000, "sessions")
        with stage("reading", stream=stream, min_items=1000) as found:
            found(12, "sessions")
        with stage("setting up", stream=stream):
            pass
    assert [r.getMessage() for r in caplog.records] == ["planning: 5000 sessions", "reading: 3000 sessions",
                                                        "setting up"]
    assert stream.getvalue() == ""


def test_a_stage_is_a_spinner_on_a_terminal(caplog):
    stream = Terminal()
    with caplog.at_level(logging.INFO, logger="sheetbill"):
        with stage("writing", 5000, "changes", stream, min_items=1000):
            pass
    assert caplog.records == []


def run(capsys, caplog, *argv) -> tuple[int, str, list[logging.LogRecord]]:
    with caplog.at_level(logging.INFO, logger="sheetbill"):
        code = cli.main(list(argv))
    out = capsys.readouterr()
    assert out.err == ""  # nothing drawn: the lines are the log's
    return code, out.out, [r for r in caplog.records if r.name == "sheetbill"]


def three_sessions_billed_at_once(practice, monkeypatch) -> None:
    """A first cycle of thousands of sessions, in miniature."""
    practice.append("Sessions", *[session(f"S-{n:05d}", date(2026, 11, 3 + n)) for n in range(3)])
    monkeypatch.setattr(progress, "BIG_CYCLE", 3)
    monkeypatch.setattr(progress, "MIN_ITEMS", 3)


def test_a_big_cycle_not_on_a_terminal_logs_one_line_per_stage_and_prints_what_it_always_did(
        practice, capsys, caplog, monkeypatch):
    three_sessions_billed_at_once(practice, monkeypatch)
    code, out, logged = run(capsys, caplog, "run", "--config", str(practice.config_path))
    assert code == 0
    assert out.splitlines()[0].startswith("3 invoice(s) created, 3 PDF(s), 3 email(s) sent")
    lines = [r.getMessage() for r in logged]
    assert [line.split(":")[0] for line in lines] == ["reading", "planning", "writing", "PDFs", "emails"]
    assert lines[:2] == ["reading: 3 sessions to bill", "planning: 3 sessions to bill"]
    assert lines[2].endswith(" changes") and lines[3:] == ["PDFs: 3 to make", "emails: 3 to send"]


def test_the_next_cycle_of_a_big_workbook_logs_no_reading_or_planning(practice, capsys, caplog, monkeypatch):
    """A steady cycle is not a long run: its log stays one line per cycle, however many sessions."""
    three_sessions_billed_at_once(practice, monkeypatch)
    run(capsys, caplog, "run", "--config", str(practice.config_path))
    caplog.clear()
    code, _, logged = run(capsys, caplog, "run", "--config", str(practice.config_path))
    assert code == 0
    assert not [r for r in logged if r.getMessage().split(":")[0] in ("reading", "planning")]


def test_the_stage_lines_keep_to_json_logs(practice, capsys, caplog, monkeypatch):
    three_sessions_billed_at_once(practice, monkeypatch)
    code, _, logged = run(capsys, caplog, "--log-format", "json", "run", "--config", str(practice.config_path))
    assert code == 0
    entries = [json.loads(JsonFormatter().format(r)) for r in logged]
    assert [e["message"].split(":")[0] for e in entries[:-1]] == ["reading", "planning", "writing", "PDFs", "emails"]
    assert entries[-1]["message"].startswith("3 invoice(s) created")  # the cycle's own line, an entry too


def test_a_small_cycle_logs_no_stages(practice, capsys, caplog):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    code, out, logged = run(capsys, caplog, "run", "--config", str(practice.config_path))
    assert code == 0 and out.startswith("1 invoice(s) created") and logged == []
