"""What the admin put in the workbook survives every run, or nothing is written."""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from sheetbill.book.excel import ExcelBook
from sheetbill.book.xlsx import patch_workbook
from sheetbill.errors import UnsafeToWrite
from sheetbill.worker import Worker

from .conftest import FixedClock, session

X14_VALIDATION = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Clients!$A$2:$A$99</xm:f>'
    '</x14:formula1><xm:sqref>C2:C500</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>')


def add_x14_validation(workbook: Path) -> bytes:
    """Give Sessions an x14 data validation (openpyxl would drop it); return the extension's bytes."""
    tmp = workbook.with_suffix(".edit")
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", X14_VALIDATION.encode() + b"</worksheet>")
            dst.writestr(item, data)
    shutil.move(tmp, workbook)
    return X14_VALIDATION.encode()


def sheet_xml(workbook: Path, name: str = "xl/worksheets/sheet1.xml") -> bytes:
    with zipfile.ZipFile(workbook) as z:
        return z.read(name)


def test_parts_openpyxl_would_drop_survive_a_run(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    ext = add_x14_validation(practice.workbook)
    with zipfile.ZipFile(practice.workbook) as z:
        untouched = {n: z.read(n) for n in z.namelist() if n in ("xl/worksheets/sheet3.xml", "xl/theme/theme1.xml")}
    assert practice.run().created == ["INV-2026-0001"]
    assert ext in sheet_xml(practice.workbook)
    with zipfile.ZipFile(practice.workbook) as z:
        assert {n: z.read(n) for n in untouched} == untouched  # Services and the theme, byte for byte
    assert practice.rows("Sessions")[0]["Invoice No"] == "INV-2026-0001"


def lossy_patch(src, dst, edits, add_sheets=(), layouts=None, meanwhile=None, last=None):
    """A writer that drops the x14 extension, as openpyxl does (what it says it read is true;
    its layouts describe parts it then rewrote, and so fit none)."""
    written = patch_workbook(src, dst, edits, add_sheets, layouts, meanwhile, last)
    tmp = Path(str(dst) + ".x")
    with zipfile.ZipFile(dst) as a, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as b:
        for item in a.infolist():
            data = a.read(item.filename)
            b.writestr(item, re.sub(rb"<extLst>.*?</extLst>", b"", data, flags=re.S))
    shutil.move(tmp, dst)
    return written


def test_nothing_is_written_when_something_would_be_lost(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    add_x14_validation(practice.workbook)
    before = practice.workbook.read_bytes()
    config = practice.config
    book = ExcelBook(config.workbook, config.tabs, patch=lossy_patch)
    with pytest.raises(UnsafeToWrite, match="would lose") as caught:
        Worker(config, book, clock=FixedClock()).run_once()
    assert "x14" in str(caught.value).lower() or "validation" in str(caught.value).lower()
    assert practice.workbook.read_bytes() == before
    assert not list(practice.folder.glob(".*.tmp"))
