"""A practice that keeps its workbook in LibreOffice Calc: every save rewrites the
whole file in Calc's own way (shared strings, styles on empty rows, a thousand
formatted rows below the data). The worker reads it, sees no edit nobody made,
bills what was added, and the workbook stays one Calc opens again."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from sheetbill import app

from .conftest import Practice, session


def saved_by_calc(workbook: Path, scratch: Path) -> None:
    """Open `workbook` in LibreOffice Calc and save it over itself, as an admin would."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (libreoffice-calc-nogui) is not installed")
    out = scratch / "calc"
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={(scratch / 'profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx:Calc Office Open XML", "--outdir", str(out), str(workbook)],
        capture_output=True, text=True, timeout=180)
    saved = out / workbook.name
    if not saved.exists():
        if "could not be loaded" in done.stdout + done.stderr:
            pytest.skip("LibreOffice Calc (libreoffice-calc-nogui) is not installed")
        raise AssertionError(f"LibreOffice did not save the workbook: {done.stdout} {done.stderr}")
    shutil.move(saved, workbook)
    with zipfile.ZipFile(workbook) as z:
        assert b"LibreOffice" in z.read("docProps/app.xml")  # Calc's own file, not a copy of ours


def test_a_workbook_saved_by_calc_is_billed_and_nothing_is_taken_for_an_edit(practice: Practice, tmp_path):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()
    log_before = practice.rows("Changelog")
    practice.append("Sessions", session("S-00002", date(2026, 11, 4), client="C-002"))
    practice.append("Payments", ["P-00001", date(2026, 11, 5), "C-001", "INV-2026-0001", 65, "Cash"])
    saved_by_calc(practice.workbook, tmp_path)

    report = practice.run()
    assert report.created == ["INV-2026-0002"] and report.errors == [] and report.warnings == []
    invoices = {r["Invoice No"]: r for r in practice.rows("Invoices")}
    assert invoices["INV-2026-0001"]["Status"] == "Paid" and invoices["INV-2026-0002"]["Client ID"] == "C-002"
    new = practice.rows("Changelog")[len(log_before):]
    edits = {(r["Tab"], r["Key"]) for r in new if r["Actor"] != "sheetbill"}
    assert edits <= {("Sessions", "S-00002"), ("Payments", "P-00001")}  # what was typed, nothing Calc rewrote
    assert not [r for r in new if r["Action"] == "restore"]

    saved_by_calc(practice.workbook, tmp_path)  # a second save, with sheetbill's writes in it
    assert practice.run().created == []
    assert app.audit_findings(practice.config) == []
    assert openpyxl.load_workbook(practice.workbook)["Invoices"]["A3"].value == "INV-2026-0002"
