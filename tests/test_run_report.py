"""What `run` tells the admin: every row that still shows a Problem."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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



def test_the_cash_tabs_problems_are_counted_with_the_others(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), client="Bob"))
    practice.append("Cash", [date(2026, 11, 19), Decimal("100"), "lots"],
                    [date(2026, 11, 20), Decimal("100"), Decimal("90")],  # Short: a count, not a problem
                    [date(2026, 11, 20), Decimal("100"), Decimal("100")],
                    ["yesterday", Decimal("5")])
    report = practice.run()
    assert [(p.tab, p.row, p.message) for p in report.problems] == [
        ("cash", 2, "Counted 'lots' is not a number"),
        ("cash", 4, "Duplicate date (also on row 3); keep one row per day"),
        ("cash", 5, "Date 'yesterday' is not a date (write 2026-11-03 or 03.11.2026)"),
        ("sessions", 2, "Unknown client 'Bob' (not a Client ID or exact name in Clients)")]
    assert "4 problem(s)" in report.line()
    assert [d["Status"] for d in practice.rows("Cash")] == [
        "Problem: Counted 'lots' is not a number", "Short", "Duplicate date",
        "Problem: Date 'yesterday' is not a date (write 2026-11-03 or 03.11.2026)"]
    assert {r["Item"]: r["Count"] for r in practice.rows("Dashboard")}["Problems"] == 4
    assert "4 problem(s)" in practice.run().line()  # nothing changed: an idle cycle
    practice.set("Cash", "yesterday", "Date", date(2026, 11, 18))
    report = practice.run()
    assert len(report.problems) == 3
    assert {r["Item"]: r["Count"] for r in practice.rows("Dashboard")}["Problems"] == 3
