"""Over SMTP an interrupted send cannot be looked up: whatever the document
(invoice, credit note, receipt, refund, reminder, statement), a person is
asked to check the Sent folder, on every run and by `audit`, until they
resolve it one way or the other."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from sheetbill import app, cli

from .conftest import FixedClock, session
from .test_e2e_crash import kill_run
from .test_e2e_smtp import use_smtp


@pytest.fixture
def fixed_cli(monkeypatch):
    """`sheetbill ...` as typed, on the tests' clock; returns (exit code, stdout + stderr)."""
    made = app.worker_for
    monkeypatch.setattr(app, "worker_for", lambda config, clock=None, **kw: made(config, clock or FixedClock(), **kw))

    def run(capsys, *argv: str) -> tuple[int, str]:
        capsys.readouterr()
        code = cli.main(list(argv))
        out = capsys.readouterr()
        return code, out.out + out.err
    return run


def by(rows: list[dict], key: str) -> dict[str, dict]:
    return {r[key]: r for r in rows}


def credit_note_cut_off(practice, inbox) -> None:
    """INV-2026-0001 sent; voided; the credit note reached the server, then the worker was killed."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()
    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    kill_run(practice, "sent", 1)  # the credit note went first (INV-2026-0002 bills the session again)
    assert "CN-2026-0001" in inbox.messages[-1]["Subject"]
    note = by(practice.rows("Invoices"), "Invoice No")["CN-2026-0001"]
    assert note["Message ID"] and not note["Sent At"]


def test_a_credit_note_cut_off_is_reported_on_every_run_and_by_audit(practice, smtp_server, fixed_cli, capsys):
    host, port, inbox = smtp_server
    use_smtp(practice, port)
    credit_note_cut_off(practice, inbox)
    config = str(practice.config_path)
    for _ in range(2):
        code, out = fixed_cli(capsys, "run", "--config", config)
        assert code == 2
        assert "1 problem(s)" in out
        assert "CN-2026-0001 may or may not have gone out" in out and "Sent folder" in out
        assert "put the time in Sent At" in out and "clear its Message ID" in out
    code, out = fixed_cli(capsys, "audit", "--config", config)
    assert code == 1 and "CN-2026-0001 may or may not have gone out" in out
    assert sum("CN-2026-0001" in m["Subject"] for m in inbox.messages) == 1  # never resent blindly

    # the admin finds it in the Sent folder and puts the time in Sent At
    practice.set("Invoices", "CN-2026-0001", "Sent At", "2026-11-21T09:31:00Z")
    code, out = fixed_cli(capsys, "run", "--config", config)
    assert code == 0 and "0 problem(s)" in out
    assert fixed_cli(capsys, "audit", "--config", config)[0] == 0
    assert sum("CN-2026-0001" in m["Subject"] for m in inbox.messages) == 1


def test_a_credit_note_cut_off_is_sent_again_once_its_message_id_is_cleared(practice, smtp_server, fixed_cli,
                                                                            capsys):
    host, port, inbox = smtp_server
    use_smtp(practice, port)
    credit_note_cut_off(practice, inbox)
    practice.set("Invoices", "CN-2026-0001", "Message ID", None)  # not in the Sent folder: send it again
    code, out = fixed_cli(capsys, "run", "--config", str(practice.config_path))
    assert code == 0 and "2 email(s) sent" in out  # the credit note again, and INV-2026-0002 never sent
    assert sum("CN-2026-0001" in m["Subject"] for m in inbox.messages) == 2
    note = by(practice.rows("Invoices"), "Invoice No")["CN-2026-0001"]
    assert note["Sent At"] and note["Message ID"] in {m["Message-ID"] for m in inbox.messages[-2:]}
    assert practice.run().errors == []


def test_an_invoice_cut_off_makes_run_fail_until_resolved(practice, smtp_server, fixed_cli, capsys):
    host, port, inbox = smtp_server
    use_smtp(practice, port)
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    kill_run(practice, "sent", 1)
    code, out = fixed_cli(capsys, "run", "--config", str(practice.config_path))
    assert code == 2 and "INV-2026-0001 may or may not have gone out" in out
    assert "Sent folder" in by(practice.rows("Sessions"), "Session ID")["S-00001"]["Problem"]
    practice.set("Invoices", "INV-2026-0001", "Message ID", None)
    assert fixed_cli(capsys, "run", "--config", str(practice.config_path))[0] == 0
    assert len(inbox.messages) == 2  # sent again, as the admin asked
    assert by(practice.rows("Sessions"), "Session ID")["S-00001"]["Problem"] is None


@pytest.mark.parametrize("amount", [Decimal("65"), Decimal("-20")], ids=["receipt", "refund"])
def test_a_receipt_cut_off_leaves_a_problem_on_its_payment(practice, smtp_server, fixed_cli, capsys, amount):
    host, port, inbox = smtp_server
    use_smtp(practice, port)
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()
    if amount < 0:  # a refund of credit: pay too much first, then give some back
        practice.append("Payments", ["P-00001", date(2026, 11, 10), "C-001", None, Decimal("100"), "Card"])
        practice.run()
    practice.append("Payments", ["P-00002", date(2026, 11, 20), "C-001", None, amount, "Card"])
    try:
        kill_run(practice, "sent", 1)
    except AssertionError:  # the run ended without sending anything to be killed at
        pytest.skip("no document is emailed for this payment yet")
    config = str(practice.config_path)
    for _ in range(2):
        code, out = fixed_cli(capsys, "run", "--config", config)
        assert code == 2 and "may or may not have gone out" in out and "Receipt Sent At" in out
    payment = by(practice.rows("Payments"), "Payment ID")["P-00002"]
    assert "Sent folder" in payment["Problem"]
    code, out = fixed_cli(capsys, "audit", "--config", config)
    assert code == 1 and "may or may not have gone out" in out
    sent = len(inbox.messages)

    practice.set("Payments", "P-00002", "Receipt Sent At", None)  # not in the Sent folder: send it again
    assert fixed_cli(capsys, "run", "--config", config)[0] == 0
    assert len(inbox.messages) == sent + 1
    payment = by(practice.rows("Payments"), "Payment ID")["P-00002"]
    assert payment["Problem"] is None and payment["Receipt Sent At"].startswith("2026-")
    assert fixed_cli(capsys, "audit", "--config", config)[0] == 0


def test_a_receipt_found_in_the_sent_folder_is_resolved_with_its_time(practice, smtp_server, fixed_cli, capsys):
    host, port, inbox = smtp_server
    use_smtp(practice, port)
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()
    practice.append("Payments", ["P-00001", date(2026, 11, 20), None, "INV-2026-0001", Decimal("65"), "Card"])
    kill_run(practice, "sent", 1)
    assert fixed_cli(capsys, "run", "--config", str(practice.config_path))[0] == 2
    practice.set("Payments", "P-00001", "Receipt Sent At", "2026-11-21 10:31")
    code, out = fixed_cli(capsys, "run", "--config", str(practice.config_path))
    assert code == 0 and "0 problem(s)" in out
    assert by(practice.rows("Payments"), "Payment ID")["P-00001"]["Problem"] is None
    assert len(inbox.messages) == 2


def overdue(practice) -> FixedClock:
    """A practice with INV-2026-0001 sent and its first reminder due: the clock of that day."""
    practice.append("Sessions", session("S-00001", date(2026, 10, 20)))
    practice.run(FixedClock(datetime(2026, 10, 21, 9, tzinfo=timezone.utc)))
    return FixedClock(datetime(2026, 11, 21, 9, tzinfo=timezone.utc))  # due 3 Nov, 18 days overdue


def test_a_reminder_cut_off_is_reported_until_resolved(practice, smtp_server, fixed_cli, capsys):
    host, port, inbox = smtp_server
    use_smtp(practice, port)
    clock = overdue(practice)
    kill_run(practice, "sent", 1)  # crashrun's clock is the tests' NOW, 21 Nov
    assert "Reminder" in inbox.messages[-1]["Subject"]
    config = str(practice.config_path)
    for _ in range(2):
        code, out = fixed_cli(capsys, "run", "--config", config)
        assert code == 2 and "Reminder 1 of INV-2026-0001 may or may not have gone out" in out
        assert "sheetbill resolve reminder/INV-2026-0001 --sent" in out
    assert "Reminder 1 of INV-2026-0001" in "\n".join(fixed_cli(capsys, "audit", "--config", config)[1:])
    code, out = fixed_cli(capsys, "resolve", "reminder/INV-2026-0001", "--sent", "--config", config)
    assert code == 0, out
    code, out = fixed_cli(capsys, "run", "--config", config)
    assert code == 0, out
    assert sum("Reminder" in m["Subject"] for m in inbox.messages) == 1
    assert fixed_cli(capsys, "audit", "--config", config)[0] == 0
    del clock


def test_a_reminder_cut_off_can_be_sent_again(practice, smtp_server, fixed_cli, capsys):
    host, port, inbox = smtp_server
    use_smtp(practice, port)
    overdue(practice)
    kill_run(practice, "sent", 1)
    config = str(practice.config_path)
    assert fixed_cli(capsys, "resolve", "reminder/INV-2026-0001", "--resend", "--config", config)[0] == 0
    code, out = fixed_cli(capsys, "run", "--config", config)
    assert code == 0, out
    assert sum("Reminder" in m["Subject"] for m in inbox.messages) == 2
    assert fixed_cli(capsys, "run", "--config", config)[0] == 0
    assert sum("Reminder" in m["Subject"] for m in inbox.messages) == 2


def test_a_statement_cut_off_is_reported_until_resolved(practice, smtp_server, fixed_cli, capsys):
    host, port, inbox = smtp_server
    use_smtp(practice, port)
    practice.configure("monthly: false", "monthly: true")
    practice.configure("days: [7, 21, 45]", "days: []")
    practice.append("Sessions", session("S-00001", date(2026, 10, 20)))
    practice.run(FixedClock(datetime(2026, 10, 21, 9, tzinfo=timezone.utc)))
    kill_run(practice, "sent", 1)  # 21 Nov: October's statement
    assert "Statement" in inbox.messages[-1]["Subject"]
    config = str(practice.config_path)
    for _ in range(2):
        code, out = fixed_cli(capsys, "run", "--config", config)
        assert code == 2 and "Statement of C-001 for 2026-10-01..2026-10-31 may or may not have gone out" in out
    assert fixed_cli(capsys, "audit", "--config", config)[0] == 1
    key = "statement/C-001/2026-10-01..2026-10-31"
    assert fixed_cli(capsys, "resolve", key, "--resend", "--config", config)[0] == 0
    assert fixed_cli(capsys, "run", "--config", config)[0] == 0
    assert sum("Statement" in m["Subject"] for m in inbox.messages) == 2
    assert fixed_cli(capsys, "run", "--config", config)[0] == 0
    assert sum("Statement" in m["Subject"] for m in inbox.messages) == 2
    assert fixed_cli(capsys, "audit", "--config", config)[0] == 0
