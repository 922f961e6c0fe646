"""Sending over a real SMTP server on 127.0.0.1."""

from __future__ import annotations

from datetime import date

import pytest

from .conftest import session
from .test_deliver_smtp import Mailbox, check_password, serve  # noqa: F401 - serve is a fixture
from .test_e2e_crash import kill_run


def use_smtp(practice, port: int) -> None:
    practice.configure("transport: outbox", "transport: smtp")
    practice.configure("host: smtp.example.com", "host: 127.0.0.1")
    practice.configure("port: 587", f"port: {port}")
    practice.configure("security: starttls", "security: none")
    practice.configure("username: billing@lindenhof-physio.example", 'username: ""')


def test_invoices_go_out_over_smtp_once(practice, smtp_server):
    host, port, inbox = smtp_server
    use_smtp(practice, port)
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session("S-00002", date(2026, 11, 4)))
    report = practice.run()
    assert report.sent == ["INV-2026-0001", "INV-2026-0002"]
    assert sorted(m["To"].addresses[0].addr_spec for m in inbox.messages) == ["anna@example.com"] * 2
    invoices = practice.rows("Invoices")
    assert {m["Message-ID"] for m in inbox.messages} == {i["Message ID"] for i in invoices}
    pdf, = [a.get_content() for a in inbox.messages[0].iter_attachments()]
    assert pdf.startswith(b"%PDF")
    practice.run()
    assert len(inbox.messages) == 2


def test_an_interrupted_smtp_send_is_flagged_not_resent(practice, smtp_server):
    host, port, inbox = smtp_server
    use_smtp(practice, port)
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session("S-00002", date(2026, 11, 4)))
    kill_run(practice, "sent", 1)  # the first email went out, then the worker died
    assert len(inbox.messages) == 1
    practice.run()
    practice.run()
    assert len(inbox.messages) == 2  # the second invoice, once; the first not again
    rows = {s["Session ID"]: s for s in practice.rows("Sessions")}
    assert rows["S-00001"]["Billing Status"] == "Problem"
    assert "may or may not have gone out" in rows["S-00001"]["Problem"]
    assert rows["S-00002"]["Billing Status"] == "Sent"

    # the admin checks the Sent folder, finds it, and fills in Sent At: the problem goes away
    practice.set("Invoices", "INV-2026-0001", "Sent At", "2026-11-21T09:31:00Z")
    practice.run()
    rows = {s["Session ID"]: s for s in practice.rows("Sessions")}
    assert rows["S-00001"]["Problem"] is None and rows["S-00001"]["Billing Status"] == "Sent"
    assert len(inbox.messages) == 2


def test_a_refused_address_is_reported_and_retried_later(practice, smtp_server):
    host, port, inbox = smtp_server
    use_smtp(practice, port)
    practice.configure(f"port: {port}", "port: 1")  # nothing listens there: transient
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    report = practice.run()
    assert report.created == ["INV-2026-0001"] and report.sent == []
    assert any("email not sent" in e for e in report.errors)
    invoice, = practice.rows("Invoices")
    assert invoice["Message ID"] is None and invoice["Sent At"] is None
    practice.configure("port: 1", f"port: {port}")
    assert practice.run().sent == ["INV-2026-0001"]
    assert len(inbox.messages) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_refused_login_is_named_as_such_with_what_to_check(practice, serve, monkeypatch, capsys):
    """`check` said 'cannot reach' the server that had answered (and refused the password), and
    neither it nor the run's error said what to look at."""
    from sheetbill import cli

    port = serve(Mailbox(), authenticator=check_password, auth_required=True, auth_require_tls=False)
    use_smtp(practice, port)
    practice.configure('username: ""', "username: billing")
    monkeypatch.setenv("SHEETBILL_SMTP_PASSWORD", "wrong")
    assert cli.main(["check", "--config", str(practice.config_path)]) == 1
    [finding] = [line for line in capsys.readouterr().out.splitlines() if line.startswith("email.smtp")]
    assert "cannot reach" not in finding
    assert f"the mail server 127.0.0.1:{port} refused the login as billing (535 " in finding
    assert "check email.smtp.username and the password in SHEETBILL_SMTP_PASSWORD" in finding
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    assert cli.main(["run", "--config", str(practice.config_path)]) == 2
    assert "check email.smtp.username and the password in SHEETBILL_SMTP_PASSWORD" in capsys.readouterr().err
