"""Superbills end to end: a practice made by `sheetbill init --insurance`, its
sessions coded, superbills from the command line and monthly by the worker."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from sheetbill.placeholders import fill_example
from sheetbill import app, cli

from .conftest import FixedClock, Practice
from .crashrun import KILLED
from .test_e2e_crash import ROOT
from .test_e2e_excel import pdf_text

PROVIDERS = ('providers: {Maria: {name: Maria Keller, credentials: LMHC, npi: "1245319599"}, '
             'Tom: {name: Tom Hill, credentials: PhD, npi: "1234567893"}}')
OCTOBER = FixedClock(datetime(2026, 10, 30, 18, 0, tzinfo=UTC))


@pytest.fixture
def insured(tmp_path) -> Practice:
    """A practice with one client who gets superbills, and a psychotherapy service."""
    workbook, config_path = app.init_practice(tmp_path / "insured", insurance=True)
    config_path.write_text(fill_example(config_path.read_text(encoding="utf-8")), encoding="utf-8")
    p = Practice(tmp_path / "insured", workbook, config_path)
    p.configure('npi: ""', 'npi: "1234567893"')
    p.configure('ein: ""', 'ein: "12-3456789"')
    p.configure("providers: {}", PROVIDERS)
    p.append("Clients", ["C-010", "Emma Stone", "emma@example.com", "1 Main St\nBoston, MA 02108", None, 14, None,
                         None, None, None, "Yes", date(1990, 5, 4), "Aetna", "W123456789", "GRP-77", "Self"],
             ["C-011", "Paul Gray", "paul@example.com", "2 Elm St", None, 14])
    p.append("Services", ["THER", "Psychotherapy, 53 min", Decimal("180.00"), 0, "session", date(2026, 1, 1),
                          "Yes", "90837", "95"])
    return p


def coded(sid, day, diagnosis, provider="Maria", client="C-010", place=None) -> list:
    return [sid, day, client, "THER", None, None, None, provider, "Completed", None, None, None, None,
            diagnosis, place]


def superbill(practice, capsys, *extra) -> tuple[int, str]:
    code = cli.main(["-q", "superbill", "--config", str(practice.config_path), *extra])
    return code, capsys.readouterr().out


def test_init_adds_the_insurance_columns_only_when_asked(insured, practice):
    import openpyxl

    headers = {tab: [c.value for c in openpyxl.load_workbook(p.workbook)[tab][1]]
               for p in (insured,) for tab in ("Sessions", "Clients", "Services")}
    assert headers["Sessions"][-2:] == ["Diagnosis", "Place of Service"]
    assert headers["Clients"][-6:] == ["Superbill", "Date of Birth", "Insurer", "Member ID", "Group No", "Relationship"]
    assert headers["Services"][-2:] == ["Procedure Code", "Modifiers"]
    plain = [c.value for c in openpyxl.load_workbook(practice.workbook)["Sessions"][1]]
    assert "Diagnosis" not in plain and practice.config.insurance is None
    assert insured.config.insurance.ids.npi == "1234567893"


@pytest.mark.parametrize("old, new, message", [
    ('npi: "1234567893"', 'npi: "1234567890"', "insurance.npi: '1234567890' is not an NPI"),
    ('ein: "12-3456789"', 'ein: "123"', "insurance.ein: '123' is not an EIN"),
    ('npi: "1245319599"', 'npi: "1245319598"', "insurance.providers.Maria.npi"),
    ('place_of_service: "11"', 'place_of_service: "office"', "insurance.place_of_service"),
])
def test_config_checks_the_identifiers(insured, old, new, message):
    from sheetbill.errors import ConfigError

    insured.configure(old, new)
    with pytest.raises(ConfigError, match=re.escape(message)):
        _ = insured.config


def test_missing_or_unknown_diagnosis_is_a_problem_and_the_invoice_is_still_made(insured):
    insured.append("Sessions", coded("S-00001", date(2026, 11, 2), "F41.1"),
                   coded("S-00002", date(2026, 11, 3), None),
                   coded("S-00003", date(2026, 11, 4), "F41"),
                   coded("S-00004", date(2026, 11, 5), "Q99.99"),
                   coded("S-00005", date(2026, 11, 6), "F41.1", provider="Zoe"),
                   coded("S-00006", date(2026, 11, 9), None, client="C-011"))  # no superbills: not checked
    report = insured.run()
    assert len(report.created) == 6
    rows = {s["Session ID"]: s for s in insured.rows("Sessions")}
    assert rows["S-00001"]["Problem"] is None and rows["S-00006"]["Problem"] is None
    assert rows["S-00002"]["Problem"].startswith("Diagnosis missing")
    assert "F41 is a category" in rows["S-00003"]["Problem"]
    assert "Q99.99 is not an ICD-10-CM code" in rows["S-00004"]["Problem"]
    assert "Provider 'Zoe'" in rows["S-00005"]["Problem"]
    assert all(s["Invoice No"] for s in rows.values())
    insured.set("Sessions", "S-00002", "Diagnosis", "F41.1")
    insured.run()
    assert {s["Session ID"]: s["Problem"] for s in insured.rows("Sessions")}["S-00002"] is None


def test_a_practice_outside_the_us_checks_codes_against_the_who_list(insured, capsys):
    insured.configure("code_list: icd-10-cm", "code_list: icd-10-who")
    insured.append("Sessions", coded("S-00001", date(2026, 11, 2), "M54.5"),  # complete in the WHO's list only
                   coded("S-00002", date(2026, 11, 3), "S93.401A"),  # ICD-10-CM's 7th character
                   coded("S-00003", date(2026, 11, 4), "F41.9"))
    insured.run()
    rows = {s["Session ID"]: s for s in insured.rows("Sessions")}
    assert rows["S-00001"]["Problem"] is None and rows["S-00003"]["Problem"] is None
    assert rows["S-00002"]["Problem"] == "Diagnosis S93.401A is not an ICD-10 (WHO) code"
    assert all(s["Invoice No"] for s in rows.values())
    code, out = superbill(insured, capsys, "C-010", "--from", "2026-11-01", "--to", "2026-11-30")
    assert code == 0 and "Low back pain" in pdf_text(out.split("Superbill: ")[1].splitlines()[0])


def test_an_unknown_code_list_names_the_key_and_the_choices(insured):
    from sheetbill.errors import ConfigError

    insured.configure("code_list: icd-10-cm", "code_list: icd-11")
    with pytest.raises(ConfigError, match=re.escape("insurance.code_list: must be one of icd-10-cm, icd-10-who")):
        _ = insured.config


def test_a_month_with_a_paid_and_an_unpaid_session_and_two_providers(insured, capsys):
    insured.append("Sessions", coded("S-00001", date(2026, 11, 3), "F41.1, Z63.0"),
                   coded("S-00002", date(2026, 11, 10), "f411", provider="Tom", place=2),
                   coded("S-00003", date(2026, 10, 27), "F41.1"))  # another month
    insured.run()
    first = {r["Session ID"]: r["Invoice No"] for r in insured.rows("Sessions")}["S-00001"]
    insured.append("Payments", ["P-00001", date(2026, 11, 12), None, first, Decimal("180.00"), "Card"])
    insured.run()
    code, out = superbill(insured, capsys, "Emma Stone", "--from", "2026-11-01", "--to", "2026-11-30")
    assert code == 0
    text = pdf_text(out.split("Superbill: ")[1].splitlines()[0])
    assert re.search(r"3 Nov 2026\s+11\s+90837 95\s+Psychotherapy, 53 min\s+A, B\s+1\s+180.00 EUR\s+180.00 EUR", text)
    assert re.search(r"10 Nov 2026\s+02\s+90837 95\s+Psychotherapy, 53 min\s+A\s+1\s+180.00 EUR\s+0.00 EUR", text)
    assert "27 Oct" not in text
    assert re.search(r"Total charges\s+360.00 EUR", text) and re.search(r"Amount paid\s+180.00 EUR", text)
    assert re.search(r"Balance\s+180.00 EUR", text)
    assert "F41.1" in text and "Generalized anxiety disorder" in text and "Z63.0" in text
    assert "Maria Keller, LMHC · NPI 1245319599" in text and "Tom Hill, PhD · NPI 1234567893" in text
    assert "NPI                   1234567893" in text or re.search(r"NPI\s+1234567893", text)
    assert "12-3456789" in text and "Aetna" in text and "W123456789" in text and "4 May 1990" in text
    assert "It is not a claim" in text
    mails = len(insured.emails())
    for _ in range(2):
        code, out = superbill(insured, capsys, "C-010", "--from", "2026-11-01", "--to", "2026-11-30", "--email")
    assert len(insured.emails()) == mails + 1 and "emailed before" in out
    assert any(r["Action"] == "superbill" for r in insured.rows("Changelog"))


def test_superbill_of_an_unknown_client_or_without_insurance(insured, practice, capsys):
    assert superbill(insured, capsys, "Nobody", "--from", "2026-11-01", "--to", "2026-11-30")[0] == 1
    assert superbill(practice, capsys, "C-001", "--from", "2026-11-01", "--to", "2026-11-30")[0] == 1


def superbill_mails(practice) -> list:
    return [m for m in practice.emails() if m["Subject"].startswith("Superbill")]


def test_monthly_superbills_go_out_once(insured):
    insured.append("Sessions", coded("S-00001", date(2026, 10, 20), "F41.1"),
                   coded("S-00002", date(2026, 10, 21), "F41.1", client="C-011"))
    insured.run(OCTOBER)
    assert superbill_mails(insured) == []  # October is not over
    insured.run()
    insured.run()
    sent = superbill_mails(insured)
    assert len(sent) == 1 and sent[0]["To"].addresses[0].addr_spec == "emma@example.com"
    assert "1 Oct 2026 – 31 Oct 2026" in sent[0]["Subject"]


def test_a_session_numbered_in_the_cycle_that_sends_its_months_superbill_is_on_it(insured):
    """A session of October typed in November without a Session ID is numbered, billed and on
    October's superbill in the same cycle."""
    insured.append("Sessions", coded("S-00001", date(2026, 10, 20), "F41.1"))
    insured.run(OCTOBER)
    insured.append("Sessions", coded(None, date(2026, 10, 30), "F41.1"))
    insured.run()
    sent, = superbill_mails(insured)
    pdf, = [p for p in sent.iter_attachments() if p.get_filename().endswith(".pdf")]
    path = insured.folder / "superbill.pdf"
    path.write_bytes(pdf.get_content())
    text = pdf_text(path)
    assert "20 Oct 2026" in text and "30 Oct 2026" in text and re.search(r"Total charges\s+360.00 EUR", text)
    assert [(s["Session ID"], s["Billing Status"]) for s in insured.rows("Sessions")] == [
        ("S-00001", "Sent"), ("S-00002", "Sent")]


def test_a_german_clients_superbill_and_its_email_are_in_german(insured):
    from .test_e2e_language import NBSP, NNBSP, speaks

    speaks(insured, "C-010", "de")
    insured.append("Sessions", coded("S-00001", date(2026, 10, 20), "F41.1, Z63.0"),
                   coded("S-00002", date(2026, 10, 27), "F41.1", provider="Tom"))
    insured.run(OCTOBER)
    insured.run()
    [mail] = [m for m in insured.emails() if m["Subject"].startswith("Leistungsnachweis ")]
    assert mail["Subject"] == "Leistungsnachweis 01.10.2026 – 31.10.2026 von Lindenhof Lymph & Physio"
    body = mail.get_body(("plain",)).get_content().replace(NBSP, " ").replace(NNBSP, " ")
    assert body.startswith("Guten Tag Emma Stone,") and "Gesamtbetrag: 360,00 €" in body
    assert "Die Praxis hat der Versicherung nichts in Rechnung gestellt" in body
    [pdf] = list(mail.iter_attachments())
    path = insured.folder / "superbill-de.pdf"
    path.write_bytes(pdf.get_content())
    text = " ".join(pdf_text(path).replace(NBSP, " ").replace(NNBSP, " ").split())
    for words in ("Leistungsnachweis", "Patient und Versicherung", "Geburtsdatum", "04.05.1990", "Behandlungsdatum",
                  "20.10.2026", "Ziffer", "Diagnosen (ICD-10)", "Gesamtbetrag 360,00 €", "Bezahlter Betrag 0,00 €",
                  "Keine Abrechnung mit der Versicherung.", "Behandler", "Unterschrift Behandler"):
        assert words.lower() in text.lower(), words  # labels may be set in capitals
    for english in ("Superbill", "Date of service", "Total charges", "not a claim", "Providers"):
        assert english.lower() not in text.lower(), english


@pytest.mark.parametrize("point", ["send", "sent"])
def test_monthly_superbill_sent_once_after_a_crash(insured, point):
    insured.append("Sessions", coded("S-00001", date(2026, 10, 20), "F41.1"),
                   coded("S-00002", date(2026, 10, 27), "F41.1", provider="Tom"))
    insured.run(OCTOBER)
    done = subprocess.run([sys.executable, "-m", "tests.crashrun", str(insured.config_path), point, "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == KILLED, done.stderr
    report = insured.run()
    assert not report.errors
    insured.run()
    sent = superbill_mails(insured)
    assert len(sent) == 1
    assert Counter(m["Message-ID"] for m in insured.emails()).most_common(1)[0][1] == 1


def test_cms1500_data_six_sessions_to_a_form(insured, capsys):
    insured.append("Sessions", *[coded(f"S-{n:05d}", date(2026, 11, n), "F41.1, Z63.0" if n == 7 else "F41.1",
                                       provider="Tom" if n % 2 else "Maria") for n in range(1, 8)])
    insured.run()
    code, out = superbill(insured, capsys, "C-010", "--from", "2026-11-01", "--to", "2026-11-30", "--cms1500")
    assert code == 0
    forms = pdf_text(out.split("CMS-1500: ")[1].splitlines()[0]).split("\f")
    forms = [f for f in forms if f.strip()]
    assert len(forms) == 2  # six sessions, then one
    assert "STONE, EMMA" in forms[0] and "W123456789" in forms[0] and "05 04 1990" in forms[0]
    assert re.search(r"11 01 26 11 01 26 11\s+90837\s+95\s+A\s+180 00 1\s+1234567893", forms[0])
    assert re.search(r"1080 00", forms[0]) and re.search(r"180 00", forms[1])
    assert "F411" in forms[1] and "Z630" in forms[1] and re.search(r"\bAB\b", forms[1])
    assert "123456789" in forms[0] and "1234567893" in forms[0]  # EIN without its dash, the practice's NPI


def test_a_sessions_extras_are_service_lines_of_their_own(insured, capsys):
    """MLD15 x4 with BANDAGE x3 (coded A6448) and GEL (no code): 97140 keeps its own 66.00, the
    bandages are an A6448 line, the gel a line without a code on the superbill only."""
    insured.append("Services", ["MLD15", "Manual lymph drainage, per 15 min", Decimal("16.50"), 0, "15 min",
                                date(2026, 1, 1), "Yes", "97140", "GP"])
    insured.set("Services", "BANDAGE", "Procedure Code", "A6448")
    insured.append("Sessions", ["S-05001", date(2026, 11, 19), "C-010", "MLD15", 4, "BANDAGE x3, GEL", None, "Maria",
                                "Completed", None, None, None, None, "I97.2", "11"])
    insured.run()
    code, out = superbill(insured, capsys, "C-010", "--from", "2026-11-19", "--to", "2026-11-19", "--cms1500")
    assert code == 0
    text = pdf_text(out.split("Superbill: ")[1].splitlines()[0])
    assert re.search(r"19 Nov 2026\s+11\s+97140 GP\s+Manual lymph drainage, per 15 min\s+A\s+4\s+66.00 EUR", text)
    assert re.search(r"19 Nov 2026\s+11\s+A6448\s+Compression bandaging\s+A\s+3\s+44.63 EUR", text)
    assert re.search(r"19 Nov 2026\s+11\s+—\s+Skin care gel\s+A\s+1\s+8.21 EUR", text)
    assert re.search(r"Total charges\s+118.84 EUR", text)
    form, = [f for f in pdf_text(out.split("CMS-1500: ")[1].splitlines()[0]).split("\f") if f.strip()]
    assert re.search(r"11 19 26 11 19 26 11\s+97140\s+GP\s+A\s+66 00 4\b", form)
    assert re.search(r"11 19 26 11 19 26 11\s+A6448\s+A\s+44 63 3\b", form)
    assert "110 63 4" not in form and "8 21" not in form  # the gel has no code: not on the claim form
    assert re.search(r"110 63\s+0 00", form)  # box 28: the charges of its lines


def test_superbills_refuse_an_empty_period_and_a_client_without_superbills(insured, capsys):
    insured.append("Sessions", coded("S-00001", date(2026, 11, 3), "F41.1"),
                   coded("S-00002", date(2026, 11, 4), "F41.1", client="C-011"))
    insured.run()
    code = cli.main(["-q", "superbill", "--config", str(insured.config_path), "C-010", "--from", "2025-01-01",
                     "--to", "2025-01-31", "--cms1500"])
    err = capsys.readouterr().err
    assert code == 1 and "C-010 (Emma Stone) has no billed sessions from 2025-01-01 to 2025-01-31" in err
    code = cli.main(["-q", "superbill", "--config", str(insured.config_path), "C-011", "--from", "2026-11-01",
                     "--to", "2026-11-30", "--cms1500"])
    err = capsys.readouterr().err
    assert code == 1 and "C-011 (Paul Gray) is not set up for superbills" in err
    assert not list((insured.folder / "invoices").glob("*C-01[01] 2025*")) + \
        list((insured.folder / "invoices").glob("*C-011*"))


def test_lines_without_a_diagnosis_or_procedure_code_are_named_and_left_off_the_claim_form(insured, capsys):
    insured.set("Services", "BANDAGE", "Procedure Code", "A6448")
    insured.append("Sessions", coded("S-00001", date(2026, 11, 3), "F41.1"), coded("S-00002", date(2026, 11, 4), None))
    insured.append("Sessions", ["S-00003", date(2026, 11, 5), "C-010", "THER", None, "BANDAGE x2, GEL", None, "Maria",
                                "Completed", None, None, None, None, "F41.1", None])
    insured.run()
    code = cli.main(["-q", "superbill", "--config", str(insured.config_path), "C-010", "--from", "2026-11-01",
                     "--to", "2026-11-30", "--cms1500"])
    out, err = capsys.readouterr()
    assert code == 0
    assert err.splitlines() == [
        "  warning: S-00002 on 2026-11-04 (THER) has no diagnosis (fill in its Diagnosis in Sessions): "
        "an insurer will not pay that line; left out of the CMS-1500",
        "  warning: S-00003 on 2026-11-05 (GEL) has no procedure code (give GEL a Procedure Code in Services): "
        "an insurer will not pay that line; left out of the CMS-1500"]
    text = pdf_text(out.split("Superbill: ")[1].splitlines()[0])
    assert re.search(r"Total charges\s+577.96 EUR", text)  # 3 x 180.00, two bandages 29.75, a gel 8.21
    form, = [f for f in pdf_text(out.split("CMS-1500: ")[1].splitlines()[0]).split("\f") if f.strip()]
    assert len(re.findall(r"11 0\d 26 11 0\d 26 11\s+(?:90837|A6448)", form)) == 3
    assert "11 04 26" not in form and "8 21" not in form and re.search(r"389 75\s+0 00", form)
    code = cli.main(["-q", "superbill", "--config", str(insured.config_path), "C-010", "--from", "2026-11-04",
                     "--to", "2026-11-04", "--cms1500"])
    out, err = capsys.readouterr()
    assert code == 2 and "CMS-1500" not in out and "Superbill: " in out
    assert "CMS-1500 of C-010: not made: no line has both a diagnosis and a procedure code" in err


def test_a_monthly_superbill_with_a_line_without_diagnosis_is_named_by_the_run(insured):
    insured.append("Sessions", coded("S-00001", date(2026, 10, 20), "F41.1"), coded("S-00002", date(2026, 10, 27), None))
    insured.run(OCTOBER)
    report = insured.run()
    assert len(superbill_mails(insured)) == 1
    assert "attention: superbill of C-010 for 2026-10-01..2026-10-31: S-00002 on 2026-10-27 (THER) has no diagnosis " \
           "(fill in its Diagnosis in Sessions): an insurer will not pay that line" in report.for_a_person()
    assert not any("superbill of" in f for f in insured.run().flags)  # sent once, named once


def test_cms1500_starts_a_new_form_when_box_21_would_overflow(insured, capsys):
    """Four sessions of four diagnoses each: sixteen codes, box 21 holds twelve. The fourth session
    goes on a second form with all its diagnoses, instead of losing them on the first."""
    codes = "F41.1 Z63.0 F32.A F43.10 F43.21 F40.10 F42.2 F51.01 F41.0 F33.1 F90.0 F43.22 G47.00 Z63.5 Z56.0 F10.20"
    groups = [", ".join(codes.split()[n:n + 4]) for n in range(0, 16, 4)]
    insured.append("Sessions", *[coded(f"S-0000{n}", date(2026, 11, n), g) for n, g in enumerate(groups, start=2)])
    insured.run()
    code, out = superbill(insured, capsys, "C-010", "--from", "2026-11-01", "--to", "2026-11-30", "--cms1500")
    assert code == 0
    forms = [f for f in pdf_text(out.split("CMS-1500: ")[1].splitlines()[0]).split("\f") if f.strip()]
    assert len(forms) == 2
    assert re.search(r"11 04 26 11 04 26 11\s+90837\s+95\s+IJKL\b", forms[0]) and "G4700" not in forms[0]
    assert re.search(r"11 05 26 11 05 26 11\s+90837\s+95\s+ABCD\b", forms[1])
    assert all(c in forms[1] for c in ("G4700", "Z635", "Z560", "F1020")) and "F411" not in forms[1]
    assert re.search(r"540 00\s+0 00", forms[0]) and re.search(r"180 00\s+0 00", forms[1])


def test_a_superbill_without_insurer_member_id_or_birth_date_says_so(insured, capsys):
    """A superbill the insurer cannot match to a member is made all the same, with a warning that names
    the columns to fill in; the monthly one is named by the run."""
    insured.set("Clients", "C-010", "Member ID", None)
    insured.set("Clients", "C-010", "Date of Birth", None)
    insured.append("Sessions", coded("S-00001", date(2026, 10, 20), "F41.1"), coded("S-00002", date(2026, 11, 3), "F41.1"))
    insured.run(OCTOBER)
    report = insured.run()
    assert "attention: superbill of C-010 for 2026-10-01..2026-10-31: C-010 (Emma Stone) has no Member ID or Date of " \
           "Birth in Clients: an insurer cannot tell whose superbill it is; fill them in" in report.for_a_person()
    code = cli.main(["-q", "superbill", "--config", str(insured.config_path), "C-010", "--from", "2026-11-01",
                     "--to", "2026-11-30"])
    out, err = capsys.readouterr()
    assert code == 0 and "Superbill: " in out
    assert err.splitlines() == ["  warning: C-010 (Emma Stone) has no Member ID or Date of Birth in Clients: an insurer "
                                "cannot tell whose superbill it is; fill them in"]
    insured.set("Clients", "C-010", "Member ID", "W123456789")
    insured.set("Clients", "C-010", "Date of Birth", date(1990, 5, 4))
    code = cli.main(["-q", "superbill", "--config", str(insured.config_path), "C-010", "--from", "2026-11-01",
                     "--to", "2026-11-30"])
    assert code == 0 and capsys.readouterr().err == ""


def test_a_session_typed_with_the_clients_old_name_stays_on_the_superbill_after_a_rename(insured, capsys):
    """The Sessions row names the client as she was called then; her invoice says whose session it is."""
    insured.append("Sessions", coded("S-00001", date(2026, 11, 3), "F41.1", client="Emma Stone"),
                   coded("S-00002", date(2026, 11, 10), "F41.1"))
    insured.run()
    insured.set("Clients", "C-010", "Name", "Emma Stone-Miller")
    insured.run()
    code, out = superbill(insured, capsys, "C-010", "--from", "2026-11-01", "--to", "2026-11-30")
    assert code == 0
    text = pdf_text(out.split("Superbill: ")[1].splitlines()[0])
    assert re.search(r"3 Nov 2026\s+11\s+90837 95", text) and re.search(r"10 Nov 2026\s+11\s+90837 95", text)
    assert re.search(r"Total charges\s+360.00 EUR", text)
