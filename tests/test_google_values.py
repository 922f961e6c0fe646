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


EURO = {"type": "CURRENCY", "pattern": '"€"#,##0.00'}
GERMAN_DATE = {"type": "DATE", "pattern": "dd.mm.yyyy"}


def test_a_number_format_the_admin_gave_is_kept_where_sheetbill_writes(google_practice: GooglePractice):
    """As in Excel: a balance written into a cell formatted as a currency (empty, or holding the
    last balance) keeps the currency, and a date restored into a cell under a date format of the
    admin's keeps it; a cell without a format of its own, and every new row, get sheetbill's."""
    from tests.fakegoogle import humans

    p = google_practice
    state, book = p.fake.state, p.spreadsheet_id
    clients = p.values("Clients")[0]
    balance = clients.index("Balance")
    humans.format_numbers(state, book, "Clients", 1, balance, EURO, rows=2, cols=2)  # C-001, C-002, still empty
    p.append("Sessions", session("S-00001", "2026-11-02"), session("S-00002", "2026-11-03", client="C-003"))
    p.configure("transport: gmail", "transport: none")
    assert p.run().created == ["INV-2026-0001", "INV-2026-0002"]

    def shown(tab: str, row: int, column: int) -> tuple[object, object]:
        cell = p.sheet(tab).cell(row, column)
        return p.values(tab)[row][column], cell.number_format if cell else None

    assert shown("Clients", 1, balance) == ("€65.00", EURO) and shown("Clients", 1, balance + 1) == ("€0.00", EURO)
    assert shown("Clients", 3, balance) == ("65.00", {"type": "NUMBER", "pattern": "#,##0.00"})  # C-003: its own
    invoices = p.values("Invoices")[0]
    paid, issued = invoices.index("Paid"), invoices.index("Issue Date")
    humans.format_numbers(state, book, "Invoices", 1, paid, EURO, cols=2)
    humans.format_numbers(state, book, "Invoices", 1, issued, GERMAN_DATE)
    humans.type_values(state, book, "Invoices", 1, issued, [[46360]])  # a slip: 04.12.2026
    p.append("Payments", ["P-001", "2026-11-21", "C-001", "INV-2026-0001", "20", "Cash", ""])
    p.append("Sessions", session("S-00003", "2026-11-04"))
    report = p.run(p.later(1))
    assert report.created == ["INV-2026-0003"]
    assert shown("Invoices", 1, paid) == ("€20.00", EURO) and shown("Invoices", 1, paid + 1) == ("€45.00", EURO)
    assert shown("Invoices", 1, issued) == ("21.11.2026", GERMAN_DATE)  # put back, as the admin shows dates
    assert shown("Clients", 1, balance) == ("€110.00", EURO)
    assert shown("Invoices", 3, paid) == ("0.00", {"type": "NUMBER", "pattern": "#,##0.00"})
    assert shown("Invoices", 3, issued) == ("2026-11-21", {"type": "DATE", "pattern": "yyyy-mm-dd"})


def test_a_format_of_its_own_is_told_from_the_text_a_number_is_shown_as():
    def own(number, shown):
        return values.own_format({"effectiveValue": {"numberValue": Decimal(number)}, "formattedValue": shown})

    plain = [own("65", "65"), own("58.5", "58.50"), own("1234.5", "1,234.50"), own("46347", "2026-11-21")]
    assert plain == [None] * 4  # nothing the worker's own formats would not show
    assert [own("65", "€65.00"), own("65.5", "65,50 €"), own("65", "65 EUR"), own("58.5", "$58.50")] == ["number"] * 4
    assert [own("46347", "21.11.2026"), own("46347", "11/21/2026"), own("46347", "Nov 21")] == ["date"] * 3
    assert values.own_format({"effectiveValue": {"stringValue": "x"}, "formattedValue": "x"}) is None
    assert values.own_format({"userEnteredFormat": {"numberFormat": {"type": "CURRENCY"}}}) == "number"
    assert values.own_format({"userEnteredFormat": {"numberFormat": {"type": "DATE"}}}) == "date"
    assert values.own_format({"userEnteredFormat": {"numberFormat": {"type": "TEXT"}}}) is None


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
