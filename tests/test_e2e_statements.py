"""Statements of account: on demand from the command line, and monthly by the worker."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from sheetbill import cli

from .conftest import FixedClock, session
from .test_e2e_excel import pdf_text


def statement(practice, capsys, *extra) -> tuple[int, str]:
    code = cli.main(["-q", "statement", "--config", str(practice.config_path), *extra])
    return code, capsys.readouterr().out


def test_statement_from_the_command_line(practice, capsys, monkeypatch):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)), session("S-00002", date(2026, 11, 3)))
    practice.run()
    practice.append("Payments", ["P-00001", date(2026, 11, 10), None, "INV-2026-0001", Decimal("65"), "Card"])
    practice.run()
    code, out = statement(practice, capsys, "Anna Meier", "--from", "2026-11-01", "--to", "2026-11-30")
    assert code == 0
    path = out.split("Statement: ")[1].splitlines()[0]
    text = pdf_text(path)
    assert "INV-2026-0001" in text and "INV-2026-0002" in text and "65.00" in text
    mails_before = len(practice.emails())
    code, out = statement(practice, capsys, "C-001", "--from", "2026-11-01", "--to", "2026-11-30", "--email")
    assert code == 0 and "Emailed: statement of C-001" in out
    code, out = statement(practice, capsys, "C-001", "--from", "2026-11-01", "--to", "2026-11-30", "--email")
    assert "emailed before" in out
    assert len(practice.emails()) == mails_before + 1
    code, out = statement(practice, capsys, "Nobody", "--from", "2026-11-01", "--to", "2026-11-30")
    assert code == 1


def test_monthly_statements_go_out_once(practice):
    practice.configure("monthly: false", "monthly: true")
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    december = FixedClock(datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc))
    practice.run(december)
    practice.run(december)
    sent = [m for m in practice.emails() if "tatement" in m["Subject"]]
    assert len(sent) == 1 and sent[0]["To"].addresses[0].addr_spec == "anna@example.com"
    assert any(r["Action"] == "statement" for r in practice.rows("Changelog"))


def test_a_client_who_owes_from_an_earlier_month_gets_the_monthly_statement(practice):
    """Anna was billed in November and paid nothing; in December she neither came nor paid. The
    statement of December, on 1 January, still tells her what is open (it went to nobody)."""
    practice.configure("monthly: false", "monthly: true")
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    practice.run(FixedClock(datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)))
    january = FixedClock(datetime(2027, 1, 1, 8, 0, tzinfo=timezone.utc))
    practice.run(january)
    practice.run(january)
    sent = [m for m in practice.emails() if "tatement" in m["Subject"]]
    assert len(sent) == 2  # November's, and December's once
    pdf = practice.folder / "december.pdf"
    pdf.write_bytes(next(sent[1].iter_attachments()).get_content())
    text = " ".join(pdf_text(pdf).split())
    assert "1 Dec 2026 – 31 Dec 2026" in text and "Opening balance 65.00 EUR" in text
    assert "please pay 65.00 EUR" in text


def november_statement_sent(practice):
    """Anna billed on 2 Nov, monthly statements on: the run of 1 Dec sends November's. Its PDF."""
    practice.configure("monthly: false", "monthly: true")
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    practice.run(FixedClock(datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)))
    [sent] = [m for m in practice.emails() if "tatement" in m["Subject"]]
    return next(sent.iter_attachments())


def test_a_monthly_statement_sent_stays_as_sent(practice):
    """The PDF kept beside the others is the one the client got: later runs of the month
    neither render it again as of their own day nor overwrite it."""
    attached = november_statement_sent(practice)
    practice.append("Sessions", session("S-00002", date(2026, 12, 2)))
    practice.run(FixedClock(datetime(2026, 12, 3, 8, 0, tzinfo=timezone.utc)))
    stored = practice.folder / "invoices" / attached.get_filename()
    assert stored.read_bytes() == attached.get_content()
    assert len([m for m in practice.emails() if "tatement" in m["Subject"]]) == 1


def test_a_statement_made_again_by_the_command_leaves_the_one_sent_as_it_was(practice):
    """The monthly statement went on 1 Dec; asked for again on 3 Dec, the command makes it as of
    that day beside it, as `sheetbill invoice` does, and the copy of what the client got stays."""
    from sheetbill import commands

    attached = november_statement_sent(practice)
    practice.append("Payments", ["P-00001", date(2026, 12, 2), "C-001", None, Decimal("20"), "Card"])
    later = FixedClock(datetime(2026, 12, 3, 8, 0, tzinfo=timezone.utc))
    practice.run(later)
    stored, _ = commands.statement(practice.worker(later), "C-001", date(2026, 11, 1), date(2026, 11, 30), False)
    kept = practice.folder / "invoices" / attached.get_filename()
    assert kept.read_bytes() == attached.get_content()
    assert stored is not None and stored.name == "Statement C-001 2026-11-01..2026-11-30 (2026-12-03).pdf"
