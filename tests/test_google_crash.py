"""A cycle on the Google backend killed at any moment, then resumed: no
invoice twice, no number skipped, every email exactly once (looked up in
Gmail by its Message-ID, never sent blindly again)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from sheetbill.app import GOOGLE_ENDPOINT

from .conftest import session
from .crashrun import KILLED
from .google_practice import GooglePractice, google_practice  # noqa: F401  (fixture)

pytest_plugins = ["tests.conftest_google"]

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = 4


def kill_run(p: GooglePractice, point: str, k: int) -> None:
    env = {**os.environ, GOOGLE_ENDPOINT: p.fake.base_url}
    done = subprocess.run([sys.executable, "-m", "tests.google_crashrun", str(p.config_path), point, str(k)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == KILLED, done.stderr


@pytest.mark.parametrize("point, k", [("write", 1), ("write", 2), ("write", 3), ("write", 4),
                                      ("render", 2), ("send", 1), ("send", 3), ("sent", 2), ("sent", 4)])
def test_killed_and_resumed(google_practice: GooglePractice, point, k):
    p = google_practice
    p.append("Sessions", *[session(f"S-{n:05d}", f"2026-11-{n:02d}") for n in range(1, SESSIONS + 1)])
    kill_run(p, point, k)
    report = p.run(p.later(11))  # the dead worker's lease has run out
    assert report.errors == []
    invoices = p.rows("Invoices")
    assert [i["Invoice No"] for i in invoices] == [f"INV-2026-{n:04d}" for n in range(1, SESSIONS + 1)]
    assert sorted(i["Sessions"] for i in invoices) == [f"S-{n:05d}" for n in range(1, SESSIONS + 1)]
    assert len(p.rows("Lines")) == SESSIONS
    assert Counter(m["Message-ID"] for m in p.emails()) == Counter({i["Message ID"]: 1 for i in invoices})
    assert all(i["Sent At"] and i["PDF"] for i in invoices)
    assert {s["Billing Status"] for s in p.rows("Sessions")} == {"Sent"}
    assert p.run(p.later(12)).created == []


def test_a_dead_worker_holds_the_sheet_until_its_lease_runs_out(google_practice: GooglePractice):
    from sheetbill.errors import WorkbookBusy

    p = google_practice
    p.append("Sessions", session("S-00001", "2026-11-02"))
    kill_run(p, "send", 1)
    with pytest.raises(WorkbookBusy, match="another sheetbill worker"):
        p.run(p.later(5))
    assert p.emails() == []
    assert p.run(p.later(11)).sent == ["INV-2026-0001"]
