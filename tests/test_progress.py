"""A long stage shows a bar on a terminal and one log line elsewhere; a short one shows nothing."""

from __future__ import annotations

import io
import logging

from sheetbill.progress import steps


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
