"""The worker pushes to Xero: the official xero-python client over real HTTP to a local fake
whose every exchange is checked against Xero's OpenAPI description."""

from __future__ import annotations

import json
import stat
import time
from datetime import date
from decimal import Decimal

import pytest

from sheetbill import app
from sheetbill.accounting import tokens
from sheetbill.accounting.xero_books import XeroBooks

from .conftest import session
from .fakexero import validate
from .fakexero.server import FakeXero

SYNC = """
accounting:
  sync: xero
  rates:
    0: {account: "200", tax_code: EXEMPTOUTPUT}
    19: {account: "200", tax_code: OUTPUT2}
  payment_accounts: {Bank transfer: "090", Card: "091", Cash: "090"}
"""


def sign_in(practice, expires_in: float = 1800) -> None:
    tokens.save(practice.folder / "xero-token.json", {
        "system": "xero", "client_id": "client-1", "client_secret": "secret-1", "tenant_id": "tenant-1",
        "token": {"access_token": "access-0", "refresh_token": "refresh-0", "expires_in": 1800,
                  "expires_at": time.time() + expires_in, "token_type": "Bearer",
                  "scope": ["offline_access", "accounting.transactions"]}})


@pytest.fixture
def xero(practice, monkeypatch):
    with FakeXero() as fake:
        monkeypatch.setenv(app.XERO_ENDPOINT, fake.url)
        with practice.config_path.open("a") as f:
            f.write(SYNC)
        sign_in(practice)
        yield fake
        assert fake.state.problems == []  # every request and answer as Xero's description says


def by(rows, key):
    return {r[key]: r for r in rows}


def test_a_cycle_pushes_invoices_and_payments_once(practice, xero):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)),
                    session("S-00002", date(2026, 11, 3), client="C-002", extras="GEL"))
    practice.run()
    invoices = by(practice.rows("Invoices"), "Invoice No")
    cell = invoices["INV-2026-0001"]["Accounting"]
    remote = {i["InvoiceNumber"]: i for i in xero.state.invoices}
    assert cell == f"xero {remote['INV-2026-0001']['InvoiceID']} 2026-11-21 09:30Z"
    assert remote["INV-2026-0002"]["Total"] == pytest.approx(float(Decimal(str(invoices["INV-2026-0002"]["Total"]))))
    assert [c["Name"] for c in xero.state.contacts] == ["Anna Meier", "Jonas Becker"]

    practice.append("Payments", ["P-00001", date(2026, 11, 10), None, "INV-2026-0001", Decimal("65.00"),
                                 "Bank transfer", "ref"])
    practice.run()
    pay = by(practice.rows("Payments"), "Payment ID")["P-00001"]
    assert pay["Accounting"].startswith(f"xero {xero.state.payments[0]['PaymentID']} ")
    assert xero.state.payments[0]["Reference"] == "P-00001 INV-2026-0001"
    assert by(xero.state.invoices, "InvoiceNumber")["INV-2026-0001"]["Status"] == "PAID"

    practice.run()
    assert (xero.created("Invoices"), xero.created("Payments"), xero.created("Contacts")) == (1, 1, 1)


def test_a_known_contact_is_matched_by_email(practice, xero):
    xero.state.contacts.append({"ContactID": "00000000-0000-0000-0000-000000000001", "Name": "A. Meier",
                                "EmailAddress": "ANNA@example.com", "ContactStatus": "ACTIVE"})
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    assert xero.created("Contacts") == 0
    assert xero.state.invoices[0]["Contact"]["ContactID"] == "00000000-0000-0000-0000-000000000001"


class Killed(BaseException):
    """The worker's process dies (power cut, kill -9) right after Xero created the invoices."""


def test_killed_between_create_and_record_the_next_cycle_finds_it(practice, xero):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)), session("S-00002", date(2026, 11, 3)))
    worker = practice.worker()
    real = worker.accounting.create_sales

    def create_then_die(*args, **kwargs):
        real(*args, **kwargs)
        raise Killed

    worker.accounting.create_sales = create_then_die
    with pytest.raises(Killed):
        worker.run_once()
    assert len(xero.state.invoices) == 2
    assert not any(r.get("Accounting") for r in practice.rows("Invoices"))

    practice.run()
    assert xero.created("Invoices") == 1 and len(xero.state.invoices) == 2
    ids = {i["InvoiceNumber"]: i["InvoiceID"] for i in xero.state.invoices}
    assert {r["Invoice No"]: r["Accounting"].split()[1] for r in practice.rows("Invoices")} == ids


def test_a_void_pushes_the_credit_note_applied_to_the_invoice(practice, xero):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    practice.run()
    note, = xero.state.credit_notes
    assert note["CreditNoteNumber"] == "CN-2026-0001" and note["RemainingCredit"] == 0
    assert by(xero.state.invoices, "InvoiceNumber")["INV-2026-0001"]["AmountDue"] == 0
    assert by(practice.rows("Invoices"), "Invoice No")["CN-2026-0001"]["Accounting"].startswith("xero ")


def test_killed_after_a_credit_note_was_made_it_is_allocated_next_cycle(practice, xero):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    worker = practice.worker()
    real = worker.accounting.create_sales

    def then_die(kind, *args, **kwargs):
        answer = real(kind, *args, **kwargs)
        if kind == "credit_note":
            raise Killed
        return answer

    worker.accounting.create_sales = then_die
    with pytest.raises(Killed):
        worker.run_once()
    practice.run()
    note, = xero.state.credit_notes
    assert note["RemainingCredit"] == 0 and len(note["Allocations"]) == 1
    assert by(xero.state.invoices, "InvoiceNumber")["INV-2026-0001"]["AmountDue"] == 0


def test_a_missing_mapping_is_a_problem_naming_the_service(practice, xero):
    practice.configure('    19: {account: "200", tax_code: OUTPUT2}\n', "")
    practice.append("Sessions", session("S-00001", date(2026, 11, 2), extras="GEL"),
                    session("S-00002", date(2026, 11, 3)))
    report = practice.run()
    messages = [p.message for p in report.problems if p.tab == "invoices"]
    assert messages == ["xero: no account for 19% (service GEL): add accounting.rates.19.account, or "
                        "accounting.services.GEL.account; no tax code for 19% (service GEL): add "
                        "accounting.rates.19.tax_code, or accounting.services.GEL.tax_code"]
    assert [i["InvoiceNumber"] for i in xero.state.invoices] == ["INV-2026-0002"]


def test_a_refusal_is_shown_with_xeros_words(practice, xero):
    practice.configure('0: {account: "200", tax_code: EXEMPTOUTPUT}', '0: {account: "999", tax_code: EXEMPTOUTPUT}')
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    report = practice.run()
    text = "Account code '999' is not a valid code for this document."
    assert by(practice.rows("Invoices"), "Invoice No")["INV-2026-0001"]["Accounting"] == f"refused: {text}"
    assert [p.message for p in report.problems] == [f"xero: {text}"]
    practice.configure('0: {account: "999", tax_code: EXEMPTOUTPUT}', '0: {account: "200", tax_code: EXEMPTOUTPUT}')
    practice.run()
    assert by(practice.rows("Invoices"), "Invoice No")["INV-2026-0001"]["Accounting"].startswith("xero ")


def test_rate_limit_waits_and_tries_again(practice, xero):
    waits = []
    xero.state.throttle = 2
    books = app.accounting_for(practice.config)
    books.sleep = waits.append
    assert books.find("invoice", ["INV-2026-0001"]) == {}
    assert waits == [1.0, 1.0]


def test_xero_unreachable_is_an_error_and_the_next_cycle_catches_up(practice, xero, monkeypatch):
    monkeypatch.setenv(app.XERO_ENDPOINT, "http://127.0.0.1:9")
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    report = practice.run()
    assert report.created == ["INV-2026-0001"] and report.errors and "Xero could not be reached" in report.errors[0]
    monkeypatch.setenv(app.XERO_ENDPOINT, xero.url)
    practice.run()
    assert by(practice.rows("Invoices"), "Invoice No")["INV-2026-0001"]["Accounting"].startswith("xero ")


def test_a_payment_pushed_after_a_void_moved_it_goes_to_the_invoice_billed_again(practice, xero, monkeypatch):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    monkeypatch.setenv(app.XERO_ENDPOINT, "http://127.0.0.1:9")  # down while the payment is applied
    practice.append("Payments", ["P-00001", date(2026, 11, 10), None, "INV-2026-0001", Decimal("65.00"),
                                 "Bank transfer", "ref"])
    assert practice.run().errors
    monkeypatch.setenv(app.XERO_ENDPOINT, xero.url)
    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    practice.run()
    assert by(practice.rows("Payments"), "Payment ID")["P-00001"]["Applied To"] == \
        "INV-2026-0001 65.00; INV-2026-0002 65.00"
    payment, = xero.state.payments
    assert payment["Reference"] == "P-00001 INV-2026-0002" and payment["Amount"] == 65
    remote = by(xero.state.invoices, "InvoiceNumber")
    assert (remote["INV-2026-0001"]["AmountDue"], remote["INV-2026-0002"]["Status"]) == (0, "PAID")


def paid_then_voided(practice) -> None:
    """INV-2026-0001 billed, paid 65.00 by transfer, then voided: each step a run."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    practice.append("Payments", ["P-00001", date(2026, 11, 10), None, "INV-2026-0001", Decimal("65.00"),
                                 "Bank transfer", "ref"])
    practice.run()
    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    practice.run()


def test_money_paid_before_a_void_is_on_the_invoice_billed_again_in_xero_too(practice, xero):
    """The payment was in Xero on the invoice before it was voided: the sheet moves the money to the
    invoice that bills the sessions again, and Xero shows the same (the credit note, which nothing
    was left to apply to on the paid invoice, is allocated to the new one), once."""
    paid_then_voided(practice)
    assert by(practice.rows("Payments"), "Payment ID")["P-00001"]["Applied To"] == \
        "INV-2026-0001 65.00; INV-2026-0002 65.00"
    assert by(practice.rows("Invoices"), "Invoice No")["INV-2026-0002"]["Status"] == "Paid"
    remote = by(xero.state.invoices, "InvoiceNumber")
    note, = xero.state.credit_notes
    assert (remote["INV-2026-0002"]["AmountDue"], remote["INV-2026-0002"]["Status"]) == (0, "PAID")
    assert note["RemainingCredit"] == 0
    assert [(a["Invoice"]["InvoiceNumber"], a["Amount"]) for a in note["Allocations"]] == [("INV-2026-0002", 65)]
    practice.run()
    assert len(note["Allocations"]) == 1 and len(xero.state.payments) == 1


def test_an_expired_token_is_refreshed_and_stored_owner_only(practice, xero, monkeypatch):
    from xero_python.api_client.oauth2 import TokenApi

    monkeypatch.setattr(TokenApi, "refresh_token_url", f"{xero.url}/connect/token")
    sign_in(practice, expires_in=-10)
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    assert xero.state.tokens[0]["refresh_token"] == "refresh-0"
    path = practice.folder / "xero-token.json"
    stored = json.loads(path.read_text())
    assert stored["token"]["access_token"] == "access-1" and stored["token"]["refresh_token"] == "refresh-1"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert by(practice.rows("Invoices"), "Invoice No")["INV-2026-0001"]["Accounting"].startswith("xero ")


def test_not_signed_in_says_how(practice):
    from sheetbill.errors import ConfigError

    with practice.config_path.open("a") as f:
        f.write(SYNC)
    with pytest.raises(ConfigError, match="run `sheetbill auth xero`"):
        practice.worker()


@pytest.mark.skipif(not validate.available(), reason="Xero's OpenAPI description is not beside the project")
def test_the_fake_is_checked_against_xeros_description():
    bad = validate.check("PUT", "/api.xro/2.0/Invoices", {}, {"xero-tenant-id": "t"},
                         b'{"Invoices": [{"Type": "ACCREC", "LineAmountTypes": "Sideways"}]}', 200,
                         b'{"Invoices": []}')
    assert bad and "Sideways" in bad[0]


def test_xero_books_is_the_remote_the_worker_gets(practice, xero):
    assert isinstance(app.accounting_for(practice.config), XeroBooks)


def test_sheetbill_auth_xero_signs_in_and_stores_the_token_owner_only(practice, monkeypatch, capsys):
    import socket
    import urllib.parse
    import urllib.request

    from sheetbill import cli

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with FakeXero() as fake:
        monkeypatch.setenv(app.XERO_ENDPOINT, fake.url)
        monkeypatch.setenv(app.XERO_SECRET, "secret-1")

        def browser(url: str) -> bool:  # the person signs in; Xero sends the browser back with a code
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
            assert query["client_id"] == "client-1" and "accounting.transactions" in query["scope"]
            back = f"{query['redirect_uri']}?code=code-1&state={query['state']}".replace("localhost", "127.0.0.1")
            urllib.request.urlopen(back, timeout=10).read()
            return True

        monkeypatch.setattr("webbrowser.open", browser)
        code = cli.main(["auth", "xero", "--client-id", "client-1", "--port", str(port),
                         "--config", str(practice.config_path)])
        assert code == 0 and "Signed in to Xero (Lindenhof Physio)" in capsys.readouterr().out
        assert fake.state.tokens == [{"grant_type": "authorization_code", "code": "code-1",
                                      "redirect_uri": f"http://localhost:{port}/callback"}]
    path = practice.folder / "xero-token.json"
    stored = json.loads(path.read_text())
    assert (stored["tenant_id"], stored["token"]["refresh_token"]) == ("tenant-1", "refresh-1")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_invoices_go_to_xero_in_batches(practice, xero, monkeypatch):
    from sheetbill.accounting import push

    monkeypatch.setattr(push, "BATCH", 2)
    practice.append("Sessions", *(session(f"S-0000{n}", date(2026, 11, n)) for n in range(1, 6)))
    practice.run()
    assert xero.created("Invoices") == 3 and len(xero.state.invoices) == 5
