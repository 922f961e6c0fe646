"""`sheetbill export` on a real workbook, and the config's accounting: section."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from sheetbill import cli
from sheetbill import config as config_mod
from sheetbill.accounting.settings import RateMapping
from sheetbill.errors import ConfigError

from .conftest import session

ACCOUNTING = """
accounting:
  rates:
    0: {account: "8125"}
    19%: {account: "8400", tax_code: ""}
  payment_accounts: {Bank transfer: "1210"}
  datev: {consultant: 1234567, client: 10001, fiscal_year_start: "01-01", account_length: 4, chart: SKR03}
"""


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def billed(practice):
    """Two invoices, one voided (so a credit note and a new invoice), one payment by transfer."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)), session("S-00002", date(2026, 11, 3)))
    practice.run()
    practice.append("Payments", ["P-00001", date(2026, 11, 10), None, "INV-2026-0001", Decimal("65.00"),
                                 "Bank transfer", "ref 1"])
    practice.set("Invoices", "INV-2026-0002", "Status", "Void")
    practice.run()
    with practice.config_path.open("a") as f:
        f.write(ACCOUNTING)
    return practice


def test_export_csv_and_datev_from_the_workbook_twice_identical(billed, capsys):
    config = str(billed.config_path)
    code, out, err = run(capsys, "export", "csv", "--from", "2026-11-01", "--to", "2026-11-30", "--config", config)
    assert code == 0, err
    path = billed.folder / "exports" / "journal-2026-11-01_2026-11-30.csv"
    assert f"Wrote {path}" in out
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [(r["Type"], r["Number"], r["Total"]) for r in rows] == [
        ("Invoice", "INV-2026-0001", "65.00"), ("Invoice", "INV-2026-0002", "65.00"),
        ("Invoice", "INV-2026-0003", "65.00"),  # the voided invoice's session, billed again
        ("Credit note", "CN-2026-0001", "-65.00"), ("Payment", "P-00001", "65.00")]
    first = path.read_bytes()
    run(capsys, "export", "csv", "--from", "2026-11-01", "--to", "2026-11-30", "--config", config)
    assert path.read_bytes() == first

    target = billed.folder / "for-the-adviser.csv"
    code, out, err = run(capsys, "export", "datev", "--from", "2026-11-01", "--to", "2026-11-30", "--config", config,
                         "--out", str(target))
    assert code == 0, err
    lines = target.read_bytes().decode("cp1252").split("\r\n")
    assert lines[0].startswith('"EXTF";700;21;"Buchungsstapel";9;') and len(lines) == 2 + 5 + 1
    assert lines[-2].startswith('65,00;"S";"EUR";;;;1210;10000;;1011;"INV-2026-0001"')


def test_export_out_a_folder_writes_the_file_into_it_under_its_own_name(billed, capsys, monkeypatch):
    folder = billed.folder / "for the adviser"
    folder.mkdir()
    (folder / "notes.txt").write_text("October sent already")
    monkeypatch.chdir(billed.folder)
    code, out, err = run(capsys, "export", "csv", "--from", "2026-11-01", "--to", "2026-11-30",
                         "--config", "sheetbill.yaml", "--out", "for the adviser")
    assert (code, err) == (0, "")
    path = folder / "journal-2026-11-01_2026-11-30.csv"
    assert out == f"Wrote {path.relative_to(billed.folder)}\n"
    assert "P-00001" in path.read_text(encoding="utf-8")
    assert sorted(p.name for p in folder.iterdir()) == ["journal-2026-11-01_2026-11-30.csv", "notes.txt"]
    assert not list(billed.folder.glob("*.tmp")) and not (billed.folder / "exports").exists()

    def refused(self, target):
        raise PermissionError(13, "Permission denied", str(target))
    monkeypatch.setattr(type(path), "replace", refused)  # the file cannot take the place of the old one
    code, out, err = run(capsys, "export", "csv", "--from", "2026-11-01", "--to", "2026-11-30",
                         "--config", "sheetbill.yaml", "--out", "for the adviser")
    assert code == 1 and "Permission denied" in err and "Traceback" not in err
    assert not list(folder.glob("*.tmp"))  # nothing half-written left beside it


def device_or_pipe(path):
    """A character device like /dev/full where we may make one (root), else a named pipe."""
    import os
    import stat

    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
        return "a character device"
    except PermissionError:
        os.mkfifo(path)
        return "a named pipe"


def test_export_out_a_device_or_under_a_file_is_refused_with_what_to_do(billed, capsys):
    config = str(billed.config_path)
    device = billed.folder / "full"
    kind = device_or_pipe(device)
    code, out, err = run(capsys, "export", "datev", "--from", "2026-11-01", "--to", "2026-11-30", "--config", config,
                         "--out", str(device))
    assert (code, out) == (1, "")
    assert err == (f"sheetbill: cannot write {device}: {device} is {kind}, not a regular file, and an export "
                   "replaces only regular files; give --out a file name or a folder to write into\n")
    assert not device.is_file() and not device.is_dir() and not list(billed.folder.glob("*.tmp"))

    (billed.folder / "notes.txt").write_text("October sent already")
    target = billed.folder / "notes.txt" / "november.csv"
    code, out, err = run(capsys, "export", "csv", "--from", "2026-11-01", "--to", "2026-11-30", "--config", config,
                         "--out", str(target))
    assert (code, out) == (1, "")
    assert err == (f"sheetbill: cannot write {target}: {billed.folder / 'notes.txt'} is a file, not a folder; "
                   "move it away, or give --out a file name or a folder to write into\n")
    assert (billed.folder / "notes.txt").read_text() == "October sent already"


def test_gross_prices_export_the_net_unit_price_in_csv_as_in_xero(practice, capsys):
    with practice.config_path.open("a") as f:
        f.write("\nvat:\n  prices: gross\n" + ACCOUNTING.replace('19%: {account: "8400", tax_code: ""}',
                                                                 '19%: {account: "8400", tax_code: "OUTPUT2"}')
                .replace('0: {account: "8125"}', '0: {account: "8125", tax_code: "EXEMPTOUTPUT"}'))
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), extras="BANDAGE x2"))
    practice.run()
    config = str(practice.config_path)
    for fmt in ("csv", "xero"):
        code, out, err = run(capsys, "export", fmt, "--from", "2026-11-01", "--to", "2026-11-30", "--config", config)
        assert code == 0, err
    exports = practice.folder / "exports"
    journal = list(csv.DictReader(io.StringIO((exports / "journal-2026-11-01_2026-11-30.csv").read_text("utf-8"))))
    xero = list(csv.DictReader(io.StringIO((exports / "xero-invoices-2026-11-01_2026-11-30.csv").read_text("utf-8"))))
    bandage = next(r for r in journal if r["Service"] == "BANDAGE")
    assert (bandage["Tax Rate"], bandage["Net"], bandage["Tax"], bandage["Total"]) == ("19", "21.01", "3.99", "25.00")
    assert (bandage["Quantity"], bandage["Unit Price"], bandage["Discount"]) == ("1", "21.01", "0.00")
    for row, theirs in zip(journal, xero):
        assert Decimal(row["Quantity"]) * Decimal(row["Unit Price"]) - Decimal(row["Discount"]) == Decimal(row["Net"])
        assert (row["Quantity"], row["Unit Price"]) == (theirs["*Quantity"], theirs["*UnitAmount"])


def test_a_missing_mapping_is_one_clear_line(practice, capsys):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    code, out, err = run(capsys, "export", "xero", "--from", "2026-11-01", "--to", "2026-11-30",
                         "--config", str(practice.config_path))
    assert code == 1 and out == ""
    assert err == ("sheetbill: sheetbill.yaml: accounting: no account for 0% (service LD60): add "
                   "accounting.rates.0.account, or accounting.services.LD60.account; no tax code for 0% (service "
                   "LD60): add accounting.rates.0.tax_code, or accounting.services.LD60.tax_code\n")


def test_xero_without_tax_codes_names_each_rate_key_once(billed, capsys):
    billed.append("Sessions", session("S-00003", date(2026, 11, 4), client="C-002", service="LD45", extras="GEL"),
                  session("S-00004", date(2026, 11, 5), client="C-003", service="LD30", extras="BANDAGE x2"))
    billed.run()
    code, out, err = run(capsys, "export", "xero", "--from", "2026-11-01", "--to", "2026-11-30",
                         "--config", str(billed.config_path))
    assert (code, out) == (1, "")
    assert err == ("sheetbill: sheetbill.yaml: accounting: no tax code for 0% and 19% (5 services): add "
                   "accounting.rates.0.tax_code and accounting.rates.19.tax_code, or "
                   "accounting.services.<Code>.tax_code for a service\n")


def test_a_datev_period_across_the_fiscal_year_says_which_from_and_to_to_give(billed, capsys):
    code, out, err = run(capsys, "export", "datev", "--from", "2026-12-01", "--to", "2027-01-31",
                         "--config", str(billed.config_path))
    assert (code, out) == (1, "")
    assert err == ("sheetbill: a DATEV batch holds one fiscal year at most, and 2026-12-01 to 2027-01-31 crosses "
                   "the start of one on 01.01.2027: export each part on its own, --from 2026-12-01 --to 2026-12-31, "
                   "then --from 2027-01-01 --to 2027-01-31\n")
    assert not (billed.folder / "exports").exists()


def test_export_help_explains_each_format(capsys):
    with pytest.raises(SystemExit):
        cli.main(["export", "--help"])
    out = capsys.readouterr().out
    for name in ("datev", "xero", "quickbooks", "iif", "csv"):
        assert f"  {name} " in out


@pytest.mark.parametrize("section, message", [
    ("accounting: sage", "accounting.sync: must be quickbooks or xero"),
    ("accounting:\n  rate: {}", "accounting.rate: unknown key"),
    ("accounting:\n  rates: {nineteen: '8400'}", "accounting.rates.nineteen: must be a tax rate"),
    ("accounting:\n  datev: {consultant: 12}", "accounting.datev.consultant: must be the consultant number"),
    ("accounting:\n  datev: {chart: SKR99}", "accounting.datev.chart: must be SKR03 or SKR04"),
    ("accounting:\n  payment_accounts: {Paypal: '1'}", "accounting.payment_accounts.Paypal: must be Card"),
    ("accounting:\n  categories: {RC: '8336'}", "accounting.categories.RC: must be a VAT category, one of S, Z, E"),
    ("accounting:\n  categories: {AE: {konto: '8336'}}", "accounting.categories.AE.konto: unknown key"),
])
def test_config_errors_name_the_key(practice, section, message):
    with practice.config_path.open("a") as f:
        f.write("\n" + section + "\n")
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        config_mod.load(practice.config_path)


def test_config_accounting_categories(practice):
    with practice.config_path.open("a") as f:
        f.write("\naccounting:\n  categories: {ae: '8336', O: {account: 8338, tax_code: NONE}}\n")
    assert dict(practice.config.accounting.categories) == {"AE": RateMapping("8336"), "O": RateMapping("8338", "NONE")}


def test_config_accounting_shorthand(practice):
    with practice.config_path.open("a") as f:
        f.write("\naccounting: xero\n")
    assert practice.config.accounting.sync == "xero"


def test_a_big_export_not_on_a_terminal_logs_one_line_per_stage(billed, capsys, caplog, monkeypatch):
    import logging

    from sheetbill import progress

    monkeypatch.setattr(progress, "BIG_CYCLE", 2)  # thousands of sessions and invoices, in miniature
    monkeypatch.setattr(progress, "MIN_ITEMS", 5)
    with caplog.at_level(logging.INFO, logger="sheetbill"):
        code, out, err = run(capsys, "export", "csv", "--from", "2026-11-01", "--to", "2026-11-30",
                             "--config", str(billed.config_path))
    assert code == 0 and err == "" and out.startswith("Wrote ")
    assert [r.getMessage() for r in caplog.records if r.name == "sheetbill"] == [
        "reading: 2 sessions", "csv export: 5 invoices and payments"]
