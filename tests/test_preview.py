"""`sheetbill preview`: what the next run would do, item by item, and nothing written."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from sheetbill import cli
from sheetbill.preview import listing, preview

from .conftest import FixedClock, session

DECEMBER = datetime(2026, 12, 14, 9, 30, tzinfo=timezone.utc)  # November's invoices overdue, its statements due


def payment(pid, day, client=None, invoice=None, amount="0", method="Card"):
    return [pid, day, client, invoice, Decimal(amount), method, None]


def files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under the practice's folder: size and mtime."""
    out = {}
    for path in folder.rglob("*"):
        if path.is_file():
            stat = path.stat()
            out[str(path.relative_to(folder))] = (stat.st_size, stat.st_mtime_ns)
    return out


def kinds(report) -> set[str]:
    return {a.kind for a in report.actions} | {f"email:{a.detail}" for a in report.actions if a.kind == "email"}


def same_run(before, after) -> None:
    """The preview's report and the run's, item by item."""
    assert before.actions == after.actions
    assert before.problems == after.problems
    assert (before.created, before.pdfs, before.sent) == (after.created, after.pdfs, after.sent)
    assert (before.flags, before.errors, before.waiting) == (after.flags, after.errors, after.waiting)


@pytest.fixture
def busy(practice):
    """A practice whose next run (on DECEMBER) has one of every kind of pending action."""
    practice.configure("days: [7, 21, 45]", "days: [7]")
    practice.configure("monthly: false", "monthly: true")
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)), session("S-00002", date(2026, 11, 3), client="C-002"),
                    session("S-00003", date(2026, 11, 4)))
    practice.append("Payments", payment("P-00001", date(2026, 11, 5), client="C-003", amount="100", method="Cash"))
    practice.run()  # INV-2026-0001..0003; 100.00 credit for Sofia Rossi
    # what the next run has to do:
    practice.append("Sessions", session("S-00004", date(2026, 12, 1)), session("S-00005", date(2026, 12, 2), client="Bob"))
    practice.set("Invoices", "INV-2026-0002", "Status", "Void")  # a credit note, and S-00002 billed again
    practice.set("Invoices", "INV-2026-0003", "Total", 1)  # an edit to a finalized invoice, undone
    practice.append("Payments",
                    payment("P-00002", date(2026, 12, 1), invoice="INV-2026-0001", amount="65", method="Cash"),
                    payment("P-00003", date(2026, 12, 1), client="C-003", amount="-30", method="Cash"),
                    payment("P-00004", date(2026, 12, 1), invoice="INV-2099-9999", amount="10"))
    practice.append("Cash", [date(2026, 12, 1), Decimal("50"), None])
    return practice


def test_preview_lists_exactly_what_the_run_then_does(busy):
    clock = FixedClock(DECEMBER)
    workbook = busy.workbook
    before, stat = workbook.read_bytes(), workbook.stat()
    folder = files(busy.folder)

    seen = preview(busy.config, clock).report

    assert workbook.read_bytes() == before and workbook.stat().st_mtime_ns == stat.st_mtime_ns
    assert files(busy.folder) == folder  # no PDF, outbox file, backup, cache or lock left behind
    assert {"restored", "invoice", "credit_note", "payment", "refund", "receipt", "cash", "pdf",
            "email:invoice", "email:credit note", "email:receipt", "email:reminder", "email:statement"} <= kinds(seen)
    assert seen.problems and not seen.errors

    sent_before = {m["Message-ID"] for m in busy.emails()}
    done = busy.run(clock)
    same_run(seen, done)
    assert workbook.read_bytes() != before  # and the run did write
    invoices = {i["Invoice No"]: i for i in busy.rows("Invoices")}
    for a in done.actions:  # what the listing says is what the workbook now shows
        if a.kind in ("invoice", "credit_note"):
            assert Decimal(str(invoices[a.reference]["Total"])) == a.amount
    new = [m for m in busy.emails() if m["Message-ID"] not in sent_before]
    assert sorted(a.recipient for a in done.actions if a.kind == "email") == sorted(str(m["To"]) for m in new)


def test_an_idle_practice_previews_nothing_to_do(busy):
    clock = FixedClock(DECEMBER)
    busy.run(clock)
    seen = preview(busy.config, clock)
    assert [a.kind for a in seen.report.actions] == ["note"]  # a standing finding, nothing to do
    lines = listing(seen, busy.config)
    assert lines[-1].startswith("The next run: ") and lines[-1].endswith("Nothing was written.")


def test_review_mode_lists_the_drafts_it_would_number(practice):
    practice.configure("finalize: auto", "finalize: review")
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session("S-00002", date(2026, 11, 4)))
    practice.run()
    practice.set("Invoices", "DRAFT-S-00002", "Status", "Finalized")
    practice.append("Sessions", session("S-00003", date(2026, 11, 5)))
    seen = preview(practice.config, FixedClock()).report
    assert [(a.kind, a.reference, a.amount) for a in seen.actions if a.kind in ("numbered", "draft")] == [
        ("numbered", "INV-2026-0001", Decimal("65.00")), ("draft", "DRAFT-S-00003", Decimal("65.00"))]
    same_run(seen, practice.run())


def test_problems_are_the_ones_the_run_shows(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session("S-00002", date(2026, 11, 4)))
    practice.run()
    practice.set("Invoices", "INV-2026-0001", "Sessions", "S-00009")  # both undone by the run before it plans:
    practice.set("Lines", "INV-2026-0001", "Quantity", 3)  # no problem on S-00001, nothing billed twice
    practice.set("Sessions", "S-00002", "Quantity", 2)  # changed after it was invoiced
    practice.append("Sessions", session("S-00003", "2026-11-31"), session("S-00004", date(2026, 11, 5), service="NOPE"))
    practice.append("Payments", ["P-00001", date(2026, 11, 10), None, "INV-2026-0001", "abc", "Card"])
    seen = preview(practice.config, FixedClock()).report
    assert [p.key for p in seen.problems] == ["P-00001", "S-00002", "S-00003", "S-00004"]
    assert seen.created == [] and {a.kind for a in seen.actions} == {"restored"}
    same_run(seen, practice.run())


def test_the_listing_reads_as_an_admin_would(busy):
    config = busy.config
    text = "\n".join(listing(preview(config, FixedClock(DECEMBER)), config))
    print(text)
    lines = text.splitlines()
    for expected in ("Restored: edits to finalized invoices undone (1):",
                     "  INV-2026-0003  Total: 1 back to 65.00",
                     "Invoices (2):",
                     "  INV-2026-0004  C-002 Jonas Becker  58.50 EUR  sessions S-00002",
                     "  INV-2026-0005  C-001 Anna Meier    65.00 EUR  sessions S-00004",
                     "  CN-2026-0001  C-002 Jonas Becker  -58.50 EUR  voids INV-2026-0002",
                     "  P-00002  C-001 Anna Meier  65.00 EUR  applied to INV-2026-0001 65.00",
                     "  P-00003  C-003 Sofia Rossi  -30.00 EUR  refund out of credit",
                     "  RCPT-2026-0002  C-001 Anna Meier    65.00 EUR  payment P-00002 (Cash)",
                     "  RCPT-2026-0003  C-003 Sofia Rossi  -30.00 EUR  refund P-00003 (Cash)",
                     "  2026-12-01  Cash In 65.00, Cash Out 30.00, Expected 85.00, Status Open",
                     "  INV-2026-0005   invoice      to Anna Meier <anna@example.com>",
                     "  reminder 1 of INV-2026-0003  to Anna Meier <anna@example.com>",
                     "  Sessions row 6 (S-00005): Unknown client 'Bob' (not a Client ID or exact name in Clients)"):
        assert expected in lines, expected
    assert lines[-1] == ("The next run: 2 invoice(s), 1 credit note(s), 1 payment(s) applied, 1 refund(s), "
                         "2 receipt(s), 9 email(s), 1 restoration(s), 2 problem(s). Nothing was written.")


def test_preview_from_the_command_line_writes_nothing(practice, capsys):
    practice.append("Sessions", session("S-00001", date.today() - timedelta(days=1)))
    before = files(practice.folder)
    assert cli.main(["preview", "--config", str(practice.config_path)]) == 0
    out = capsys.readouterr().out
    assert "Invoices (1):" in out and "65.00 EUR" in out and "Emails (1):" in out
    assert files(practice.folder) == before


def test_a_workbook_open_in_excel_is_said_first(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    (practice.folder / "~$practice.xlsx").write_text("x")
    seen = preview(practice.config, FixedClock())
    assert "open in Excel" in listing(seen, practice.config)[0]
    assert os.path.exists(practice.folder / "~$practice.xlsx")


def test_over_smtp_nothing_is_sent_and_an_interrupted_send_is_said_as_run_says_it(practice, smtp_server):
    from .test_e2e_crash import kill_run
    from .test_e2e_smtp import use_smtp

    _, port, inbox = smtp_server
    use_smtp(practice, port)
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session("S-00002", date(2026, 11, 4)))
    kill_run(practice, "sent", 1)  # the first email went out, then the worker died
    practice.append("Sessions", session("S-00003", date(2026, 11, 5)))
    seen = preview(practice.config, FixedClock()).report
    assert len(inbox.messages) == 1
    assert [a.reference for a in seen.actions if a.kind == "email"] == ["INV-2026-0002", "INV-2026-0003"]
    assert [p.key for p in seen.problems] == ["S-00001"]  # may or may not have gone out: a person checks
    same_run(seen, practice.run())
    assert len(inbox.messages) == 3


def test_paid_invoices_it_would_archive(practice, clock):
    practice.configure("archive_after_days: 0", "archive_after_days: 90")
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)), session("S-00002", date(2026, 11, 3)))
    practice.run(clock)
    practice.append("Payments", payment("P-00001", date(2026, 11, 21), invoice="INV-2026-0001", amount="65"))
    practice.run(clock)
    clock.current += timedelta(days=91)
    seen = preview(practice.config, clock)
    assert [(a.kind, a.reference) for a in seen.report.actions if a.kind == "archived"] == [("archived", "INV-2026-0001")]
    assert "Archived (1):" in listing(seen, practice.config)
    same_run(seen.report, practice.run(clock))
