"""What `run` tells the admin: every row that still shows a Problem."""

from __future__ import annotations

from datetime import date

from .conftest import session


def test_an_idle_run_still_reports_the_rows_that_show_a_problem(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), client="Bob"),
                    session("S-00002", date(2026, 11, 3), client="Eve"),
                    session("S-00003", date(2026, 11, 3), service="NOPE"))
    first = practice.run()
    assert len(first.problems) == 3
    again = practice.run()  # nothing changed: an idle cycle
    assert "3 problem(s)" in again.line()
    assert [p.key for p in again.problems] == ["S-00001", "S-00002", "S-00003"]

