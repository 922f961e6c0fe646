"""A run killed at any moment, then resumed: no invoice twice, no number
skipped, every email exactly once."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from .conftest import session
from .crashrun import KILLED

ROOT = Path(__file__).resolve().parent.parent


def kill_run(practice, point: str, k: int = 1) -> None:
    done = subprocess.run([sys.executable, "-m", "tests.crashrun", str(practice.config_path), point, str(k)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == KILLED, done.stderr


def assert_exactly_once(practice, sessions: int) -> None:
    invoices = practice.rows("Invoices")
    numbers = [i["Invoice No"] for i in invoices]
    assert numbers == [f"INV-2026-{n:04d}" for n in range(1, sessions + 1)]
    billed = [s for i in invoices for s in i["Sessions"].split(", ")]
    assert sorted(billed) == [f"S-{n:05d}" for n in range(1, sessions + 1)]
    mails = practice.emails()
    assert Counter(m["Message-ID"] for m in mails) == Counter({i["Message ID"]: 1 for i in invoices})
    assert all(i["Sent At"] and i["PDF"] for i in invoices)
    assert all((practice.folder / i["PDF"]).exists() for i in invoices)
    assert {s["Billing Status"] for s in practice.rows("Sessions")} == {"Sent"}


@pytest.mark.parametrize("point, k", [("replace", 1), ("render", 2), ("send", 1), ("send", 3), ("sent", 2),
                                      ("replace", 3)])
def test_killed_and_resumed(practice, point, k):
    practice.append("Sessions", *[session(f"S-{n:05d}", date(2026, 11, n)) for n in range(1, 5)])
    before = practice.workbook.read_bytes()
    kill_run(practice, point, k)
    if point == "replace" and k == 1:
        assert practice.workbook.read_bytes() == before  # the old file, whole
    leftovers = [p.name for p in practice.folder.iterdir() if p.name.endswith(".tmp")]
    practice.run()
    assert_exactly_once(practice, 4)
    assert practice.run().created == []
    assert not [p for p in practice.folder.iterdir() if p.name.endswith(".xlsx.tmp")], leftovers


def test_the_workbook_left_by_any_kill_opens(practice):
    import openpyxl

    practice.append("Sessions", *[session(f"S-{n:05d}", date(2026, 11, n)) for n in range(1, 3)])
    kill_run(practice, "replace", 2)
    openpyxl.load_workbook(practice.workbook)  # not broken


def test_killed_while_sending_receipts(practice):
    from decimal import Decimal

    practice.append("Sessions", *[session(f"S-{n:05d}", date(2026, 11, n)) for n in range(1, 3)])
    practice.run()
    practice.append("Payments", *[[f"P-{n:05d}", date(2026, 11, 20), None, f"INV-2026-{n:04d}", Decimal("65"), "Card"]
                                  for n in (1, 2)])
    kill_run(practice, "sent", 1)  # the first receipt went out, then the worker died
    practice.run()
    practice.run()
    receipts = Counter(m["Message-ID"] for m in practice.emails() if "RCPT" in m["Subject"])
    assert len(receipts) == 2 and set(receipts.values()) == {1}
    assert [p["Receipt No"] for p in practice.rows("Payments")] == ["RCPT-2026-0001", "RCPT-2026-0002"]
    assert all(p["Receipt Sent At"].startswith("2026-") for p in practice.rows("Payments"))
