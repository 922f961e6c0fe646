"""A practice whose clients ask for e-invoices: the emails carry them, `check` checks them."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date

import openpyxl
import pikepdf

from sheetbill import checks

from .conftest import Practice, session
from .einvoice_rules import RULES, Rules


def add_einvoice_columns(practice: Practice, settings: dict[str, tuple[str, str]]) -> None:
    wb = openpyxl.load_workbook(practice.workbook)
    ws = wb["Clients"]
    col = ws.max_column + 1
    ws.cell(row=1, column=col).value = "E-Invoice"
    ws.cell(row=1, column=col + 1).value = "Buyer Reference"
    for row in ws.iter_rows(min_row=2):
        if row[0].value in settings:
            fmt, reference = settings[row[0].value]
            ws.cell(row=row[0].row, column=col).value = fmt
            ws.cell(row=row[0].row, column=col + 1).value = reference
    wb.save(practice.workbook)


def attachments(message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def test_each_client_gets_the_einvoice_they_asked_for(practice):
    add_einvoice_columns(practice, {"C-001": ("xrechnung-cii", "04011000-12345-03"), "C-002": ("facturx", "")})
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), client="C-001"),
                    session("S-00002", date(2026, 11, 4), client="C-002"),
                    session("S-00003", date(2026, 11, 5), client="C-003"))
    practice.run()
    by_client = {m["To"].addresses[0].username: m for m in practice.emails()}
    anna, jonas, sofia = by_client["anna"], by_client["jonas"], by_client.get("sofia")

    anna_files = attachments(anna)
    xml_name = next(n for n in anna_files if n.endswith(".xml"))
    assert xml_name.endswith(".xrechnung.xml")
    assert b"<ram:BuyerReference>04011000-12345-03</ram:BuyerReference>" in anna_files[xml_name]
    if RULES.is_dir():
        assert Rules().failures("cii", anna_files[xml_name]) == []

    (pdf_name, pdf), = attachments(jonas).items()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert list(doc.attachments) == ["factur-x.xml"]
        meta = doc.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "B")

    assert pdf_name.endswith(".pdf")
    kept = practice.config.render.output / pdf_name
    assert kept.read_bytes() == pdf  # the PDF kept is the Factur-X one that was sent
    if sofia is not None:  # no E-Invoice setting: the PDF alone, as before
        (name, pdf), = attachments(sofia).items()
        assert name.endswith(".pdf") and b"factur-x.xml" not in pdf


def test_check_names_a_setting_it_cannot_use_and_a_missing_leitweg_id(practice):
    add_einvoice_columns(practice, {"C-001": ("xrechnung-ubl", ""), "C-002": ("edifact", ""),
                                    "C-003": ("peppol", "")})
    found = [f for f in checks.findings(practice.config_path, connect=False) if "Clients row" in f]
    assert found == [
        "workbook: Clients row 2 (C-001): XRechnung needs a Buyer Reference (the Leitweg-ID of a public body)",
        ("workbook: Clients row 3 (C-002): E-Invoice 'edifact' is not one of none, facturx, xrechnung-cii, "
         "xrechnung-ubl, peppol"),
    ]


def test_check_writes_the_invoices_the_next_run_would_make(practice, monkeypatch):
    from sheetbill.einvoice import check

    add_einvoice_columns(practice, {"C-002": ("facturx", "")})
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), client="C-002"))
    seen = []
    real = check.schema_problem
    monkeypatch.setattr(check, "schema_problem", lambda doc: seen.append(doc.invoice) or real(doc))
    found = [f for f in checks.findings(practice.config_path, connect=False) if "Clients row" in f]
    assert found == []
    assert [(inv.client_id, inv.session_ids) for inv in seen] == [("C-002", ("S-00001",))]


def test_the_log_of_a_run_holds_only_sheetbills_own_lines(practice):
    """A Factur-X invoice loads pikepdf, which announces itself on the log: a run's log
    (the admin's terminal, journald) says only what sheetbill says. A real process,
    since a library logs once, when first imported."""
    add_einvoice_columns(practice, {"C-002": ("facturx", "")})
    practice.append("Sessions", session("S-00001", date(2026, 11, 4), client="C-002"))
    done = subprocess.run([sys.executable, "-m", "sheetbill", "--log-format", "json", "run",
                           "--config", str(practice.config_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # the cycle's line is a log entry too
    assert json.loads(done.stderr.splitlines()[-1])["message"].startswith("1 invoice(s) created, 1 PDF(s), 1 email(s) sent")
    (pdf,) = practice.config.render.output.glob("*.pdf")
    assert b"factur-x.xml" in pdf.read_bytes()  # the path that loads pikepdf was taken
    loggers = {json.loads(line)["logger"] for line in done.stderr.splitlines() if line.strip()}
    assert {name.split(".")[0] for name in loggers} <= {"sheetbill"}, done.stderr
