"""On Google too, `run` warns when the Changelog's last entry is not the one sheetbill wrote."""

from __future__ import annotations

from .conftest import session
from .google_practice import GooglePractice, google_practice  # noqa: F401  (fixture)

pytest_plugins = ["tests.conftest_google"]


def test_a_changed_last_changelog_entry_is_warned_of(google_practice: GooglePractice):
    from tests.fakegoogle import humans

    p = google_practice
    p.append("Sessions", session("S-00001", "2026-11-03"))
    assert p.worker(deliver=False).run_once().warnings == []
    last = p.sheet("Changelog").used_rows() - 1
    humans.type_values(p.fake.state, p.spreadsheet_id, "Changelog", last, 8, [["tampered"]])
    report = p.worker(deliver=False).run_once()
    assert len(report.warnings) == 1 and "is not the last one sheetbill wrote" in report.warnings[0]
