"""`make demo`: its insurance client gets last month's superbill, once, and her
session without a diagnosis shows a Problem."""

from __future__ import annotations

import email
import re
from datetime import date
from email import policy

from sheetbill import app, demo
from sheetbill import config as config_mod

from .conftest import FixedClock
from .test_e2e_excel import pdf_text


def superbills(config) -> list:
    out = []
    for path in sorted(config.email.outbox.glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if msg["Subject"].startswith("Superbill"):
            out.append(msg)
    return out


def test_the_demos_insurance_client_gets_octobers_superbill_once(tmp_path):
    config = config_mod.load(demo.build(tmp_path / "demo", date(2026, 11, 21)))
    worker = app.worker_for(config, clock=FixedClock())  # the day the demo was built for, not the machine's
    report = worker.run_once()
    assert any(p.message.startswith("Diagnosis missing") for p in report.problems)
    (msg,) = superbills(config)
    assert msg["To"].addresses[0].addr_spec == demo.INSURED[2]
    assert msg["Subject"] == "Superbill 1 Oct 2026 – 31 Oct 2026 from Lindenhof Lymph & Physio"
    (pdf,) = list(msg.iter_attachments())
    path = tmp_path / pdf.get_filename()
    path.write_bytes(pdf.get_content())
    text = pdf_text(path)
    assert len(re.findall(r"\d+ Oct 2026\s+11\s+97140 GP\s+Manual lymph drainage", text)) == 4
    assert "I97.2" in text and "Z85.3" in text and "I89.0" in text and "Cigna Global" in text
    assert re.search(r"Total charges\s+264.00 EUR", text) and re.search(r"Amount paid\s+66.00 EUR", text)
    assert "Maria Keller, PT · NPI 1245319599" in text and "Tom Berger, PT, DPT · NPI 1765432103" in text
    worker.run_once()
    assert len(superbills(config)) == 1


def test_the_run_names_the_line_without_diagnosis_of_the_superbill_it_sends(tmp_path):
    """Built on 1 December, the demo sends November's superbill, whose session of the 30th has no
    diagnosis: the run says so, naming it."""
    from datetime import UTC, datetime

    config = config_mod.load(demo.build(tmp_path / "demo", date(2026, 12, 1)))
    report = app.worker_for(config, clock=FixedClock(datetime(2026, 12, 1, 9, 30, tzinfo=UTC))).run_once()
    (msg,) = superbills(config)
    assert msg["Subject"] == "Superbill 1 Nov 2026 – 30 Nov 2026 from Lindenhof Lymph & Physio"
    assert [f for f in report.flags if f.startswith("superbill of")] == [
        "superbill of C-009 for 2026-11-01..2026-11-30: S-90005 on 2026-11-30 (MLD15) has no diagnosis "
        "(fill in its Diagnosis in Sessions): an insurer will not pay that line"]
