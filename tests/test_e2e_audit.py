"""`sheetbill audit` on a real workbook: clean books pass, tampering is found."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import openpyxl

from sheetbill import cli

from .conftest import session


def audit(practice, capsys) -> tuple[int, list[str]]:
    code = cli.main(["-q", "audit", "--config", str(practice.config_path)])
    return code, capsys.readouterr().out.strip().splitlines()


def billed(practice) -> None:
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)), session("S-00002", date(2026, 11, 3)),
                    session("S-00003", date(2026, 11, 4)))
    practice.run()
    practice.append("Payments", ["P-00001", date(2026, 11, 10), None, "INV-2026-0001", Decimal("65"), "Card"])
    practice.run()


def test_clean_books_pass(practice, capsys):
    billed(practice)
    assert audit(practice, capsys) == (0, ["OK: changelog chain intact, series gapless, ledger adds up, projections match"])


def test_tampering_is_found(practice, capsys):
    billed(practice)
    wb = openpyxl.load_workbook(practice.workbook)
    log = wb["Changelog"]
    log.cell(row=3, column=8).value = "INV-2026-0009"  # an edited changelog entry
    inv = wb["Invoices"]
    inv.cell(row=3, column=1).value = "INV-2026-0005"  # renumbered: a gap and a broken checksum
    inv.cell(row=2, column=10).value = 0  # Paid no longer matches the payments
    wb.save(practice.workbook)
    code, lines = audit(practice, capsys)
    assert code == 1
    text = "\n".join(lines)
    assert "Changelog entry 2" in text and "does not match its hash" in text
    assert "sequence numbers missing in 2026: 2, 4" in text
    assert "INV-2026-0005: has no lines in Lines" in text
    assert "INV-2026-0001: Paid 0 but payments applied to it add up to 65.00" in text
    assert "Session S-00002 shows Invoice No 'INV-2026-0002' but the ledger says 'INV-2026-0005'" in text


def test_a_lost_state_tab_is_rebuilt_from_the_changelog(practice, capsys):
    billed(practice)
    wb = openpyxl.load_workbook(practice.workbook)
    wb.remove(wb["_sheetbill"])  # someone deleted the hidden tab
    wb.save(practice.workbook)
    practice.append("Sessions", session("S-00004", date(2026, 11, 5)))
    assert practice.run().created == ["INV-2026-0004"]
    assert audit(practice, capsys)[0] == 0  # the chain goes on from the last Hash
    assert len(practice.emails()) == 5  # 4 invoices and 1 receipt, none twice
