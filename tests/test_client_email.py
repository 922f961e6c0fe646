"""A client Email that cannot be mailed to is a Problem before anything is numbered."""

from __future__ import annotations

from datetime import date

import pytest

from sheetbill import cli
from sheetbill.core.clients import email_problem

from .conftest import session


@pytest.mark.parametrize("cell, usable", [
    ("anna@example.com", True),
    ("anna@example.com; office@example.org", True),
    ("Anna Meier <anna@example.com>", True),
    ("not-an-email", False),
    ("anna@example", False),
    ("anna@@example.com", False),
    ("anna@example.com\r\nBcc: all@example.net", False),
    ("anna@example.com\nbob@example.com", False),
    ("anna @example.com", False),
    ("anna@example.com; nope", False),
    ("jürgen@müller.de", False),  # no mail transport here sends it: a Problem before the invoice is numbered
    ("juergen@müller.de", False),
    ("Jürgen Müller <juergen@mueller.de>", True),  # the name may have any letter
])
def test_which_email_cells_are_usable(cell, usable):
    assert (email_problem(cell) == "") is usable


def test_an_unusable_email_is_a_problem_on_the_sessions_and_in_check(practice, capsys):
    practice.set("Clients", "C-002", "Email", "not-an-email")
    practice.set("Clients", "C-003", "Email", "sofia@example.com\r\nBcc: all@example.net")
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)),
                    session("S-00002", date(2026, 11, 3), client="C-002"),
                    session("S-00003", date(2026, 11, 3), client="C-003"))
    report = practice.run()
    assert report.created == ["INV-2026-0001"] and not report.errors
    problems = {p.key: p.message for p in report.problems}
    assert "'not-an-email' is not a usable email address" in problems["S-00002"]
    assert "line break" in problems["S-00003"]
    rows = {r["Session ID"]: r for r in practice.rows("Sessions")}
    assert rows["S-00002"]["Invoice No"] is None and "not-an-email" in rows["S-00002"]["Problem"]
    assert [i["Invoice No"] for i in practice.rows("Invoices")] == ["INV-2026-0001"]
    assert practice.run().errors == []  # and the next run does not fail either
    code = cli.main(["check", "--config", str(practice.config_path), "--offline"])
    out = capsys.readouterr().out
    assert code == 1
    assert "Clients row 3 (C-002): Email 'not-an-email' is not a usable email address" in out
    assert "Clients row 4 (C-003): Email has a line break" in out


def _client(row: int, cid: str, name: str, email: str):
    from sheetbill.core.model import Client

    return Client(row, cid, name, email, "", None, None, None, "")


@pytest.mark.parametrize("ref, found", [
    ("C-001", "Client ID C-001 is on 2 rows of Clients (rows 2, 4); give each client an ID of its own"),
    ("Anna Meier", "Client ID"),  # her name finds her row, whose ID is shared: still not billed
    ("C-002", "C-002"),
    ("Jonas Becker", "C-002"),
])
def test_a_client_id_on_two_rows_bills_neither(ref, found):
    """A row copied to make a new client, its ID left: sessions of that ID would go to whichever row
    came first, with another person's name and email. Neither is billed until the IDs differ."""
    from sheetbill.core.clients import ClientBook, ClientProblem

    book = ClientBook([_client(2, "C-001", "Anna Meier", "anna@example.com"),
                       _client(3, "C-002", "Jonas Becker", "jonas@example.com"),
                       _client(4, "C-001", "Max Muster", "max@example.com")])
    try:
        assert book.resolve(ref).client_id == found
    except ClientProblem as exc:
        assert str(exc).startswith(found)


@pytest.mark.parametrize("header, value, said", [
    ("Terms (days)", "fourteen", "Clients row 3 (C-002): Terms (days) 'fourteen' is not a number"),
    ("Terms (days)", 99999, "Clients row 3 (C-002): Terms (days) '99999' is more than 365 days: write the days the "
                            "client has to pay (14, 30)"),
    ("Discount", "abc", "Clients row 3 (C-002): Discount 'abc' is not a discount (write 10% or an amount like 5.00)"),
    ("Invoice Mode", "weekly", "Clients row 3 (C-002): has Invoice Mode 'weekly' (use per-session or daily)"),
    ("Email", "jürgen@müller.de", "Clients row 3 (C-002): Email 'jürgen@müller.de' has a letter an email address "
                                  "cannot carry (ü); ask the client for one without it"),
    ("Client ID", "C-001", "Client ID C-001 is on rows 2, 3 of Clients; give each client an ID of its own"),
])
def test_check_names_every_clients_row_a_run_would_not_bill(practice, capsys, header, value, said):
    """What a run puts as a Problem next to the client's sessions, `check` says beforehand."""
    practice.set("Clients", "C-002", header, value)
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), client="C-003"))
    assert cli.main(["check", "--config", str(practice.config_path), "--offline"]) == 1
    assert f"workbook: {said}" in capsys.readouterr().out.splitlines()
    practice.append("Sessions", session("S-00002", date(2026, 11, 3), client="C-001" if header == "Client ID" else "C-002"))
    report = practice.run()
    assert [p.key for p in report.problems] == ["S-00002"]  # the run agrees
