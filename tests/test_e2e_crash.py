"""A run killed at any moment, then resumed: no invoice twice, no number
skipped, every email exactly once."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date
from decimal import Decimal
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


def test_a_run_stopped_while_sending_does_not_make_the_same_pdfs_again(practice, monkeypatch):
    """The PDFs a stopped run made and kept are sent as they are where the invoice still shows what it did;
    those that changed since (a payment came in on one, which the next one's earlier balance shows) are made
    anew, so an email carries the invoice as of its sending."""
    from email import message_from_bytes
    from email import policy

    from sheetbill.render.html import HtmlRenderer

    practice.append("Sessions", *[session(f"S-{n:05d}", date(2026, 11, n)) for n in range(1, 5)])
    kill_run(practice, "send", 2)  # every PDF made and kept, the first email sent
    kept = {p.stem: p.read_bytes() for p in (practice.folder / "invoices").glob("INV-*.pdf")}
    assert sorted(kept) == [f"INV-2026-{n:04d}" for n in range(1, 5)]
    practice.append("Payments", ["P-00001", date(2026, 11, 20), None, "INV-2026-0003", Decimal("20"), "Card"])
    made: list[str] = []
    render = HtmlRenderer.render
    monkeypatch.setattr(HtmlRenderer, "render", lambda self, doc: made.append(doc.invoice.invoice_no) or render(self, doc))
    practice.run()
    invoices = practice.rows("Invoices")
    assert Counter(m["Message-ID"] for m in practice.emails() if "INV-" in str(m["Subject"])) == \
        Counter({i["Message ID"]: 1 for i in invoices})
    assert made == ["INV-2026-0003", "INV-2026-0004"]  # paid on, and the later one whose earlier balance fell
    attached = {}
    for path in (practice.folder / "outbox").glob("*.eml"):
        mail = message_from_bytes(path.read_bytes(), policy=policy.default)
        for part in mail.iter_attachments():
            if part.get_filename().startswith("INV-"):
                attached[part.get_filename()[:-4]] = part.get_content()
    assert {n for n in attached if attached[n] == kept[n]} == {"INV-2026-0001", "INV-2026-0002"}
    for number in ("INV-2026-0003", "INV-2026-0004"):
        assert attached[number] == (practice.folder / "invoices" / f"{number}.pdf").read_bytes() != kept[number]


def test_pdfs_kept_are_made_anew_when_the_template_changed(practice, monkeypatch):
    from sheetbill.render.html import HtmlRenderer

    practice.append("Sessions", *[session(f"S-{n:05d}", date(2026, 11, n)) for n in range(1, 3)])
    kill_run(practice, "send", 1)
    template = next(practice.folder.glob("templates/invoice.html"))
    template.write_text(template.read_text() + "\n{# the practice's edit #}\n")
    made: list[str] = []
    render = HtmlRenderer.render
    monkeypatch.setattr(HtmlRenderer, "render", lambda self, doc: made.append(doc.invoice.invoice_no) or render(self, doc))
    practice.run()
    assert_exactly_once(practice, 2)
    assert made == ["INV-2026-0001", "INV-2026-0002"]
