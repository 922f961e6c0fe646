"""The worker pushes to QuickBooks Online: the official python-quickbooks client (signed in
through intuit-oauth) over real HTTP to a local fake in the shapes of Intuit's API reference."""

from __future__ import annotations

import json
import stat
from datetime import date
from decimal import Decimal

import pytest

from sheetbill import app
from sheetbill.accounting import tokens

from .conftest import session
from .fakeqbo.server import FakeQuickBooks

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
