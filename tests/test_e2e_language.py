"""A client in French gets a French invoice and a French email; the practice's
default language applies to clients without one."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from .conftest import Practice, session
from .test_e2e_excel import pdf_text

NBSP, NNBSP = "\xa0", "\u202f"


def speaks(practice: Practice, client_id: str, language: str) -> None:
    """Adds the optional Language column (as an admin would) and fills it for `client_id`."""
    wb = openpyxl.load_workbook(practice.workbook)
    ws = wb["Clients"]
    headers = [c.value for c in ws[1]]
    if "Language" not in headers:
        ws.cell(row=1, column=len(headers) + 1).value = "Language"
        headers.append("Language")
    column = headers.index("Language") + 1
    for row in ws.iter_rows(min_row=2):
        if row[0].value == client_id:
            ws.cell(row=row[0].row, column=column).value = language
    wb.save(practice.workbook)


def invoice_pdf(practice: Practice, number: str) -> str:
    row = next(r for r in practice.rows("Invoices") if r["Invoice No"] == number)
    return pdf_text(practice.folder / row["PDF"])


def test_a_french_clients_invoice_and_email_are_in_french(practice):
    speaks(practice, "C-003", "fr_FR")
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), client="C-003", extras="BANDAGE x2"),
                    session("S-00002", date(2026, 11, 4)))
    report = practice.run()
    assert report.created == ["INV-2026-0001", "INV-2026-0002"]

    french = " ".join(invoice_pdf(practice, "INV-2026-0001").split())
    for words in ("Facture", "Facturé à", "Date d'émission", "Échéance", "Désignation", "Prix unitaire",
                  "Total HT", "Montant à payer", "3 nov. 2026", "21 nov. 2026"):
        assert words.lower() in french.lower(), words  # labels may be set in capitals
    assert "94,75 €" in french.replace(NBSP, " ").replace(NNBSP, " ")
    assert "invoice" not in french.lower() and "amount due" not in french.lower()

    english = invoice_pdf(practice, "INV-2026-0002")  # Anna Meier has no Language: as before
    assert "Amount due" in english and "4 Nov 2026" in english and "65.00 EUR" in english

    mail = next(m for m in practice.emails() if "INV-2026-0001" in m["Subject"])
    assert mail["Subject"].startswith("Facture INV-2026-0001 de ")
    body = mail.get_body(("plain",)).get_content().replace(NBSP, " ").replace(NNBSP, " ")
    assert body.startswith("Bonjour Sofia Rossi,")
    assert "la facture INV-2026-0001 du 21 nov. 2026 d'un montant de 94,75 €" in body
    assert "Bien cordialement" in body


def test_the_practices_language_applies_to_clients_without_one(practice):
    practice.configure("  timezone: Europe/Berlin", "  timezone: Europe/Berlin\n  language: de_DE")
    speaks(practice, "C-003", "en_IE")
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)),
                    session("S-00002", date(2026, 11, 3), client="C-003"))
    practice.run()
    german = " ".join(invoice_pdf(practice, "INV-2026-0001").split()).replace(NBSP, " ")
    assert "Rechnung" in german and "Zu zahlen" in german and "21.11.2026" in german and "65,00 €" in german
    irish = invoice_pdf(practice, "INV-2026-0002")
    assert "Amount due" in irish and "21 Nov 2026" in irish and "€" in irish
    subjects = sorted(m["Subject"] for m in practice.emails())
    assert subjects[0].startswith("Invoice INV-2026-0002") and subjects[1].startswith("Rechnung INV-2026-0001")


def test_an_unknown_language_is_a_problem_next_to_the_client(practice):
    speaks(practice, "C-001", "klingon")
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()
    problem = practice.rows("Sessions")[0]["Problem"] or ""
    assert "unknown language 'klingon'" in problem


@pytest.mark.parametrize("value", ["xx_YY", "german"])
def test_an_unknown_practice_language_names_the_key(practice, value):
    from sheetbill.errors import ConfigError

    practice.configure("  timezone: Europe/Berlin", f"  timezone: Europe/Berlin\n  language: {value}")
    with pytest.raises(ConfigError, match="practice.language"):
        assert practice.config
