"""`sheetbill invoice` on a real workbook: a copy of an issued invoice is to whom it was issued."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sheetbill import cli

from .conftest import FixedClock, session
from .test_e2e_account import body, emails_about, flat
from .test_e2e_excel import pdf_text


def test_an_invoice_copy_is_to_the_name_and_address_it_was_issued_to(practice, capsys):
    """Anna moves and marries after her invoice went: `sheetbill invoice` makes the invoice she
    got, to her old name and address, and its email greets her as Clients says now."""
    practice.append("Sessions", session("S-00001", date(2026, 10, 20)))
    practice.run(FixedClock(datetime(2026, 10, 21, 9, tzinfo=timezone.utc)))  # INV-2026-0001
    practice.set("Clients", "C-001", "Name", "Anna Meier-Schulz", editor="Maria Admin")
    practice.set("Clients", "C-001", "Address", "Seestraße 40\n14109 Berlin", editor="Maria Admin")
    practice.run(FixedClock(datetime(2026, 10, 22, 9, tzinfo=timezone.utc)))  # keeps the old address

    args = ["-q", "invoice", "INV-2026-0001", "--email", "--config", str(practice.config_path)]
    assert cli.main(args) == 0
    copy, = (practice.folder / "invoices").glob("INV-2026-0001 (*).pdf")
    assert f"Invoice: {copy}" in capsys.readouterr().out
    text = flat(pdf_text(copy))
    assert "Anna Meier" in text and "Gartenweg 3" in text and "10115 Berlin" in text
    assert "Meier-Schulz" not in text and "Seestraße" not in text
    mail, = [m for m in emails_about(practice, "Invoice INV-2026-0001")
             if [a.get_filename() for a in m.iter_attachments()] == [copy.name]]
    assert body(mail).startswith("Dear Anna Meier-Schulz,")
