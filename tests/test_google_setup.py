"""`sheetbill init --google`, `sheetbill auth google` and `sheetbill check` on
the Google backend: the admin's data untouched, one actionable line per problem."""

from __future__ import annotations

import json
import stat

import pytest

from sheetbill import cli
from sheetbill import config as config_mod
from sheetbill.app import GOOGLE_ENDPOINT
from sheetbill.book.google.setup import PROTECTION
from sheetbill.google.auth import connect
from tests.fakegoogle import seed

from .conftest import session
from .google_practice import TOKEN, GooglePractice, google_practice, write_config  # noqa: F401  (fixture)

pytest_plugins = ["tests.conftest_google"]

ADMIN = {
    "Sessions": [["Date", "Client", "Service", "Status", "My notes"],
                 ["2026-11-02", "C-001", "LD60", "Completed", "=1+1 kept as is"],
                 ["2026-11-03", "C-002", "LD30", "Scheduled", "call back"]],
    "Clients": [["Client ID", "Name", "Email"], ["C-001", "Anna Meier", "anna@example.com"]],
    "Notes": [["anything", "the admin keeps"]],
}


@pytest.fixture
def admin_sheet(fake_google, tmp_path, monkeypatch):
    """An admin's existing spreadsheet (some tabs, some headers, data, an own column and tab), and a config."""
    book = seed.spreadsheet(fake_google.state, "Practice", ADMIN)
    write_config(tmp_path, book.id, "", "")
    monkeypatch.setenv(GOOGLE_ENDPOINT, fake_google.base_url)
    text = (tmp_path / "sheetbill.yaml").read_text()
    (tmp_path / "sheetbill.yaml").write_text(text.replace("  drive_folder: \n", "").replace("  docs_template: \n", "")
                                             .replace("engine: gdocs", "engine: html"))
    return book, tmp_path / "sheetbill.yaml"


def grid(book, title):
    sheet = book.sheet_titled(title)
    return [[(c.value if c else None) for c in (sheet.cell(r, k) for k in range(sheet.col_count))]
            for r in range(sheet.used_rows())]


def test_init_google_adds_what_is_missing_and_keeps_the_admins_data(admin_sheet, fake_google, capsys):
    book, config = admin_sheet
    before = {t: [row[:6] for row in grid(book, t)] for t in ("Sessions", "Clients", "Notes")}
    assert cli.main(["init", "--google", book.id, "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "added tab 'Invoices'" in out and "created a Drive folder" in out and "created a Docs invoice template" in out
    sessions = grid(book, "Sessions")
    assert [row[:5] for row in sessions] == [row[:5] for row in before["Sessions"]]  # data and order kept
    assert sessions[0][5:14] == ["Session ID", "Quantity", "Extras", "Discount", "Provider", "Notes", "Invoice No",
                                 "Billing Status", "Problem"]
    assert [row[:6] for row in grid(book, "Notes")] == before["Notes"]
    titles = [s.title for s in book.sheets]
    assert {"Invoices", "Lines", "Payments", "Cash", "Changelog", "_sheetbill", "Services"} <= set(titles)
    assert book.sheet_titled("_sheetbill").hidden
    protected = {book.sheet(p.box.sheet_id).title for p in book.protected if p.description == PROTECTION}
    assert protected == {t.name for t in config_mod.load(config).tabs if t.worker}
    status = book.sheet_titled("Sessions").cell(1, 3).rule
    assert status["condition"]["type"] == "ONE_OF_LIST"
    assert [v["userEnteredValue"] for v in status["condition"]["values"]] == ["Scheduled", "Completed", "Cancelled",
                                                                             "No-show"]
    assert book.sheet_titled("Sessions").cell(5, 0).fmt["numberFormat"]["type"] == "DATE"
    calls = fake_google.calls.snapshot()["methods"]
    assert calls["sheets.spreadsheets.batchUpdate"] == 1 and calls["sheets.spreadsheets.get"] == 2


def test_init_google_twice_changes_nothing_more(admin_sheet, capsys):
    book, config = admin_sheet
    cli.main(["init", "--google", book.id, "--config", str(config)])
    protected = len(book.protected)
    capsys.readouterr()
    cli.main(["init", "--google", book.id, "--config", str(config)])
    out = capsys.readouterr().out
    assert "added" not in out and "protected" not in out
    assert len(book.protected) == protected


def test_init_google_insurance_adds_the_superbill_columns_and_switches_superbills_on(admin_sheet, capsys):
    book, config = admin_sheet
    before = [row[:5] for row in grid(book, "Sessions")]
    assert config_mod.load(config).insurance is None
    assert cli.main(["init", "--google", book.id, "--config", str(config), "--insurance"]) == 0
    out = capsys.readouterr().out
    assert "Diagnosis, Place of Service to 'Sessions'" in out and "switched superbills on in sheetbill.yaml" in out
    headers = {t: [h for h in grid(book, t)[0] if h] for t in ("Sessions", "Clients", "Services")}
    assert headers["Sessions"][-2:] == ["Diagnosis", "Place of Service"]
    assert headers["Clients"][-6:] == ["Superbill", "Date of Birth", "Insurer", "Member ID", "Group No", "Relationship"]
    assert headers["Services"][-2:] == ["Procedure Code", "Modifiers"]  # a tab it made
    assert [row[:5] for row in grid(book, "Sessions")] == before  # the admin's data and order kept
    clients = book.sheet_titled("Clients")
    superbill = clients.cell(1, headers["Clients"].index("Superbill")).rule
    assert [v["userEnteredValue"] for v in superbill["condition"]["values"]] == ["Yes", "No"]
    born = clients.cell(1, headers["Clients"].index("Date of Birth")).fmt
    assert born["numberFormat"]["type"] == "DATE"
    assert config_mod.load(config).insurance is not None

    assert cli.main(["init", "--google", book.id, "--config", str(config), "--insurance"]) == 0
    again = capsys.readouterr().out
    assert "added" not in again and "switched" not in again
    assert [h for h in grid(book, "Sessions")[0] if h] == headers["Sessions"]


def test_init_google_without_insurance_adds_no_superbill_columns(admin_sheet, capsys):
    book, config = admin_sheet
    assert cli.main(["init", "--google", book.id, "--config", str(config)]) == 0
    assert "Diagnosis" not in grid(book, "Sessions")[0] and "Superbill" not in grid(book, "Clients")[0]
    assert "superbills" not in capsys.readouterr().out and config_mod.load(config).insurance is None


def test_auth_google_keeps_a_service_account_key_owner_only(admin_sheet, tmp_path, capsys):
    _, config = admin_sheet
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"type": "service_account", "client_email": "worker@practice.iam.gserviceaccount.com",
                               "private_key": "-----", "token_uri": "https://oauth2.googleapis.com/token"}))
    assert cli.main(["auth", "google", "--service-account", str(key), "--config", str(config)]) == 0
    assert "worker@practice.iam.gserviceaccount.com" in capsys.readouterr().out
    stored = tmp_path / "token.json"
    assert json.loads(stored.read_text())["type"] == "service_account"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600


def test_auth_google_without_a_client_file_says_what_to_give(admin_sheet, capsys):
    _, config = admin_sheet
    assert cli.main(["auth", "google", "--config", str(config)]) == 1
    assert "google.client_secrets" in capsys.readouterr().err


# -- check ------------------------------------------------------------------------------

@pytest.fixture
def ready(google_practice: GooglePractice, monkeypatch) -> GooglePractice:
    monkeypatch.setenv(GOOGLE_ENDPOINT, google_practice.fake.base_url)
    return google_practice


def check(p: GooglePractice) -> list[str]:
    from sheetbill import checks

    return checks.findings(p.config_path)


def test_check_passes_on_a_ready_practice(ready: GooglePractice):
    assert check(ready) == []


def test_check_says_the_sheet_is_not_shared(ready: GooglePractice):
    ready.fake.state.files[ready.spreadsheet_id].private = True
    found = check(ready)
    assert any("access denied" in f and "share it" in f for f in found), found


@pytest.mark.parametrize("api, name", [("sheets", "Google Sheets API"), ("drive", "Google Drive API"),
                                       ("docs", "Google Docs API"), ("gmail", "Gmail API")])
def test_check_says_which_api_to_enable(ready: GooglePractice, api, name):
    ready.fake.faults.forbidden(times=None, match=f"{api}.*")
    found = check(ready)
    assert any(f"the {name} is not enabled" in f and "console.developers.google.com" in f for f in found), found


def test_check_says_the_template_is_missing(ready: GooglePractice):
    del ready.fake.state.documents[ready.template_id]
    del ready.fake.state.files[ready.template_id]
    found = check(ready)
    assert any(f.startswith("google.docs_template:") and "not found" in f for f in found), found


def test_check_says_the_folder_is_missing(ready: GooglePractice):
    ready.fake.state.remove_file(ready.drive_folder)
    found = check(ready)
    assert any(f.startswith("google.drive_folder:") and "init --google" in f for f in found), found


def test_check_says_the_credentials_are_missing_or_readable_by_others(ready: GooglePractice):
    token = ready.folder / "token.json"
    token.chmod(0o644)
    assert any("chmod 600" in f for f in check(ready))
    token.unlink()
    connect.cache_clear()  # a new process
    assert any("sheetbill auth google" in f for f in check(ready))


def test_a_google_practice_runs_from_the_command_line(ready: GooglePractice, capsys):
    ready.append("Sessions", session("S-00001", "2026-11-02"))
    assert cli.main(["run", "--config", str(ready.config_path)]) == 0
    assert "1 invoice(s) created" in capsys.readouterr().out
    assert TOKEN["token"] == "test"


def test_init_google_with_vat_and_einvoice_adds_their_columns_and_dropdowns(admin_sheet, capsys):
    book, config = admin_sheet
    assert cli.main(["init", "--google", book.id, "--einvoice", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    clients = grid(book, "Clients")[0]
    assert clients[:3] == ["Client ID", "Name", "Email"]  # the admin's columns stay where they are
    assert {"Tax ID", "Language", "VAT Category", "E-Invoice", "Buyer Reference"} <= set(clients)
    assert {"VAT Category", "Exemption Reason", "Prices"} <= set(grid(book, "Services")[0])
    assert "Language, VAT Category, E-Invoice, Buyer Reference to 'Clients'" in out
    rule = book.sheet_titled("Clients").cell(1, clients.index("E-Invoice")).rule
    assert [v["userEnteredValue"] for v in rule["condition"]["values"]] == [
        "none", "facturx", "xrechnung-cii", "xrechnung-ubl", "peppol"]
    capsys.readouterr()
    cli.main(["init", "--google", book.id, "--einvoice", "--config", str(config)])
    assert "added" not in capsys.readouterr().out


def test_init_google_without_the_flags_adds_no_optional_column(admin_sheet):
    book, config = admin_sheet
    cli.main(["init", "--google", book.id, "--config", str(config)])
    assert not {"Language", "VAT Category", "E-Invoice"} & set(grid(book, "Clients")[0])


def test_init_google_not_on_a_terminal_logs_its_one_stage(admin_sheet, capsys, caplog):
    import logging

    book, config = admin_sheet
    with caplog.at_level(logging.INFO, logger="sheetbill"):
        assert cli.main(["init", "--google", book.id, "--config", str(config)]) == 0
    out = capsys.readouterr()
    assert out.err == "" and "added tab 'Invoices'" in out.out
    assert [r.getMessage() for r in caplog.records if r.name == "sheetbill"] == [f"setting up {book.id}"]
