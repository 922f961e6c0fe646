"""A lock file that appears mid-run: the message says what was written."""

from __future__ import annotations

from datetime import date

import pytest

from sheetbill.deliver.outbox import OutboxTransport
from sheetbill.errors import WorkbookBusy

from .conftest import session


def test_a_lock_file_appearing_mid_run_says_what_was_written(practice, monkeypatch):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session("S-00002", date(2026, 11, 4)))
    send = OutboxTransport.send

    def opened_in_excel_meanwhile(self, msg):
        (practice.folder / "~$practice.xlsx").write_text("x")
        return send(self, msg)

    monkeypatch.setattr(OutboxTransport, "send", opened_in_excel_meanwhile)
    with pytest.raises(WorkbookBusy) as caught:
        practice.run()
    message = str(caught.value)
    assert "Nothing was written" not in message
    assert "open in Excel or LibreOffice" in message
    assert "saved in the workbook: INV-2026-0001, INV-2026-0002" in message
    assert "emailed: INV-2026-0001, INV-2026-0002" in message
    assert [r["Invoice No"] for r in practice.rows("Invoices")] == ["INV-2026-0001", "INV-2026-0002"]
    (practice.folder / "~$practice.xlsx").unlink()
    monkeypatch.setattr(OutboxTransport, "send", send)
    report = practice.run()
    assert report.errors == [] and len(practice.emails()) == 2
    assert all(r["Sent At"] for r in practice.rows("Invoices"))
