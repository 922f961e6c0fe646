"""The worker pushes to QuickBooks Online: the official python-quickbooks client (signed in
through intuit-oauth) over real HTTP to a local fake in the shapes of Intuit's API reference."""

from __future__ import annotations

import json
import stat
from datetime import date, timedelta
from decimal import Decimal

import pytest

from sheetbill import app
from sheetbill.accounting import tokens

from .conftest import NOW, FixedClock, session
from .fakeqbo.server import FakeQuickBooks
from .test_accounting_sync import paid_then_voided

SYNC = """
accounting:
  sync: quickbooks
  rates:
    0: {tax_code: NON}
    19: {tax_code: TAX}
  services:
    GEL: {item: GEL}
"""


@pytest.fixture
def qbo(practice, monkeypatch):
    with FakeQuickBooks() as fake:
        monkeypatch.setenv(app.QUICKBOOKS_ENDPOINT, fake.url)
        monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake speaks plain HTTP on 127.0.0.1
        with practice.config_path.open("a") as f:
            f.write(SYNC)
        tokens.save(practice.folder / "quickbooks-token.json", {
            "system": "quickbooks", "client_id": "qb-client", "client_secret": "qb-secret", "realm_id": "9130",
            "refresh_token": "qb-refresh-0", "redirect_uri": "http://localhost:8765/callback"})
        yield fake
        assert fake.state.problems == []


def by(rows, key):
    return {r[key]: r for r in rows}


def test_a_cycle_pushes_customers_invoices_and_payments_once(practice, qbo):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2), extras="GEL"),
                    session("S-00002", date(2026, 11, 3), client="C-002"))
    practice.run()
    remote = by(qbo.of("Invoice"), "DocNumber")
    invoices = by(practice.rows("Invoices"), "Invoice No")
    assert invoices["INV-2026-0001"]["Accounting"] == f"quickbooks {remote['INV-2026-0001']['Id']} 2026-11-21 09:30Z"
    lines = remote["INV-2026-0001"]["Line"][:-1]
    assert [(l["SalesItemLineDetail"]["ItemRef"]["value"], l["SalesItemLineDetail"]["TaxCodeRef"]["value"])
            for l in lines] == [("1", "NON"), ("4", "TAX")]
    assert [c["DisplayName"] for c in qbo.of("Customer")] == ["Anna Meier", "Jonas Becker"]

    practice.append("Payments", ["P-00001", date(2026, 11, 10), None, "INV-2026-0001", Decimal("50.00"),
                                 "Card", "terminal"])
    practice.run()
    payment, = qbo.of("Payment")
    assert payment["PrivateNote"] == "P-00001 INV-2026-0001" and Decimal(str(payment["TotalAmt"])) == Decimal("50.00")
    assert by(practice.rows("Payments"), "Payment ID")["P-00001"]["Accounting"] == \
        f"quickbooks {payment['Id']} 2026-11-21 09:30Z"

    practice.run()
    assert (qbo.created("Invoice"), qbo.created("Payment"), qbo.created("Customer")) == (2, 1, 2)
    # Intuit's refresh tokens rotate: each push signs in with the last one, kept owner-only
    path = practice.folder / "quickbooks-token.json"
    assert [t["refresh_token"] for t in qbo.state.tokens] == ["qb-refresh-0", "qb-refresh-1"]  # the 3rd was idle
    assert json.loads(path.read_text())["refresh_token"] == "qb-refresh-2"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


class Killed(BaseException):
    pass


def test_killed_between_create_and_record_the_next_cycle_finds_it(practice, qbo):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    worker = practice.worker()
    real = worker.accounting.create_sales

    def create_then_die(*args, **kwargs):
        real(*args, **kwargs)
        raise Killed

    worker.accounting.create_sales = create_then_die
    with pytest.raises(Killed):
        worker.run_once()
    practice.run()
    assert qbo.created("Invoice") == 1
    assert by(practice.rows("Invoices"), "Invoice No")["INV-2026-0001"]["Accounting"].startswith(
        f"quickbooks {qbo.of('Invoice')[0]['Id']} ")


def test_a_void_pushes_a_credit_memo(practice, qbo):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    practice.run()
    memo, = qbo.of("CreditMemo")
    assert memo["DocNumber"] == "CN-2026-0001" and memo["TotalAmt"] == 65.0
    assert memo["Line"][0]["SalesItemLineDetail"]["Qty"] in ("1", 1)


def applications(qbo) -> list[tuple[str, list[tuple[str, str, Decimal]]]]:
    """The payments that apply a credit memo: their note and (type, id, amount) of each line."""
    return [(p["PrivateNote"], [(t["TxnType"], t["TxnId"], Decimal(str(line["Amount"])))
                                for line in p["Line"] for t in line["LinkedTxn"]])
            for p in qbo.of("Payment") if any(t["TxnType"] == "CreditMemo" for line in p["Line"]
                                              for t in line["LinkedTxn"])]


def test_a_void_applies_the_credit_memo_to_the_invoice_once(practice, qbo):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    practice.run()
    remote = by(qbo.of("Invoice"), "DocNumber")
    memo, = qbo.of("CreditMemo")
    assert (remote["INV-2026-0001"]["Balance"], memo["RemainingCredit"]) == (0, 0)
    assert applications(qbo) == [("CN-2026-0001 INV-2026-0001", [
        ("Invoice", remote["INV-2026-0001"]["Id"], Decimal("65.00")), ("CreditMemo", memo["Id"], Decimal("65.00"))])]
    applied, = qbo.of("Payment")
    assert (Decimal(str(applied["TotalAmt"])), applied["TxnDate"]) == (0, memo["TxnDate"])
    practice.run()
    assert qbo.created("Payment") == 1


@pytest.mark.parametrize("dies_in", ["create_sales", "move_credit"])
def test_killed_around_a_credit_memo_it_is_applied_once(practice, qbo, dies_in):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    worker = practice.worker()
    real = getattr(worker.accounting, dies_in)

    def then_die(*args, **kwargs):
        answer = real(*args, **kwargs)
        if dies_in == "create_sales" and args[0] != "credit_note":
            return answer  # the invoice billing the session again
        raise Killed

    setattr(worker.accounting, dies_in, then_die)
    with pytest.raises(Killed):
        worker.run_once()
    practice.run()
    practice.run()
    memo, = qbo.of("CreditMemo")
    assert (qbo.created("CreditMemo"), len(applications(qbo)), memo["RemainingCredit"]) == (1, 1, 0)
    assert by(qbo.of("Invoice"), "DocNumber")["INV-2026-0001"]["Balance"] == 0
    assert by(practice.rows("Invoices"), "Invoice No")["CN-2026-0001"]["Accounting"].startswith(
        f"quickbooks {memo['Id']} ")


def test_a_refused_application_is_shown_and_tried_again(practice, qbo, monkeypatch):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    real = qbo.create

    def closed_books(entity, body):
        if entity == "Payment":
            return 400, {"Fault": {"Error": [{"Message": "Account Period Closed", "Detail": "The books are closed",
                                              "code": "6190"}], "type": "ValidationFault"}}
        return real(entity, body)

    monkeypatch.setattr(qbo, "create", closed_books)
    report = practice.run()
    text = "Account Period Closed: The books are closed"
    assert [p.message for p in report.problems] == [f"quickbooks: {text}"]
    assert by(practice.rows("Invoices"), "Invoice No")["CN-2026-0001"]["Accounting"] == f"refused: {text}"
    monkeypatch.setattr(qbo, "create", real)
    practice.run(FixedClock(NOW + timedelta(days=1)))  # the next day's cycle (a quiet one is skipped)
    memo, = qbo.of("CreditMemo")
    assert (len(applications(qbo)), memo["RemainingCredit"]) == (1, 0)
    assert by(practice.rows("Invoices"), "Invoice No")["CN-2026-0001"]["Accounting"].startswith(
        f"quickbooks {memo['Id']} ")


def test_money_paid_before_a_void_is_on_the_invoice_billed_again_in_quickbooks_too(practice, qbo):
    """The payment was in QuickBooks on the invoice before it was voided: the sheet moves the money to
    the invoice that bills the sessions again, and the credit memo (nothing left to apply on the paid
    invoice) is applied to that one, once."""
    paid_then_voided(practice)
    assert by(practice.rows("Invoices"), "Invoice No")["INV-2026-0002"]["Status"] == "Paid"
    remote = by(qbo.of("Invoice"), "DocNumber")
    memo, = qbo.of("CreditMemo")
    assert (remote["INV-2026-0001"]["Balance"], remote["INV-2026-0002"]["Balance"], memo["RemainingCredit"]) == \
        (0, 0, 0)
    assert applications(qbo) == [("CN-2026-0001 INV-2026-0002", [
        ("Invoice", remote["INV-2026-0002"]["Id"], Decimal("65.00")), ("CreditMemo", memo["Id"], Decimal("65.00"))])]
    practice.run()
    assert (qbo.created("Payment"), len(applications(qbo))) == (2, 1)


def test_a_service_without_an_item_is_a_problem_naming_it(practice, qbo):
    practice.configure("    GEL: {item: GEL}", "    GEL: {item: Skin gel}")
    practice.append("Sessions", session("S-00001", date(2026, 11, 2), extras="GEL"))
    report = practice.run()
    text = "service GEL: no item 'Skin gel' in QuickBooks (create it, or name it in accounting.services.GEL.item)"
    assert [p.message for p in report.problems] == [f"quickbooks: {text}"]
    assert by(practice.rows("Invoices"), "Invoice No")["INV-2026-0001"]["Accounting"] == f"refused: {text}"
    assert qbo.of("Invoice") == []


def test_a_refusal_is_shown_in_quickbooks_words(practice, qbo):
    practice.configure("0: {tax_code: NON}", "0: {tax_code: EXEMPT}")
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    report = practice.run()
    assert [p.message for p in report.problems] == ["quickbooks: Invalid Reference Id: TaxCode EXEMPT does not exist"], \
        (report.errors, qbo.state.calls)


def test_quickbooks_unreachable_never_stops_the_invoicing(practice, qbo, monkeypatch):
    monkeypatch.setenv(app.QUICKBOOKS_ENDPOINT, "http://127.0.0.1:9")
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    report = practice.run()
    assert report.created == ["INV-2026-0001"] and "QuickBooks could not be reached" in report.errors[0]


def test_sheetbill_auth_quickbooks_signs_in_and_stores_the_token_owner_only(practice, monkeypatch, capsys):
    import socket
    import urllib.parse
    import urllib.request

    from sheetbill import cli

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with FakeQuickBooks() as fake:
        monkeypatch.setenv(app.QUICKBOOKS_ENDPOINT, fake.url)
        monkeypatch.setenv(app.QUICKBOOKS_SECRET, "qb-secret")

        def browser(url: str) -> bool:  # the person signs in and picks the company
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
            assert query["client_id"] == "qb-client" and query["scope"] == "com.intuit.quickbooks.accounting"
            back = (f"{query['redirect_uri']}?code=code-1&state={query['state']}&realmId=9130"
                    .replace("localhost", "127.0.0.1"))
            urllib.request.urlopen(back, timeout=10).read()
            return True

        monkeypatch.setattr("webbrowser.open", browser)
        code = cli.main(["auth", "quickbooks", "--client-id", "qb-client", "--port", str(port),
                         "--config", str(practice.config_path)])
        assert code == 0 and "Signed in to QuickBooks (company 9130)" in capsys.readouterr().out
        assert qbo_grant(fake) == ("authorization_code", "code-1")
    path = practice.folder / "quickbooks-token.json"
    stored = json.loads(path.read_text())
    assert (stored["realm_id"], stored["refresh_token"]) == ("9130", "qb-refresh-1")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def qbo_grant(fake) -> tuple[str, str]:
    form, = fake.state.tokens
    return form["grant_type"], form["code"]
