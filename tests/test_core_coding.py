"""Codes a superbill carries: ICD-10-CM diagnoses, place of service, NPI, EIN;
and the amount paid per session."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sheetbill.core.coding import diagnosis_codes, diagnosis_problem, place_problem
from sheetbill.core.model import Allocation, Invoice, InvoiceStatus, Line, Payment
from sheetbill.core.session_paid import paid_per_session
from sheetbill.insurance.codes import Icd10Cm, Icd10Who
from sheetbill.insurance.ids import ein_problem, npi_problem

ICD = Icd10Cm()
WHO = Icd10Who()


@pytest.mark.parametrize("typed, codes", [
    ("F41.1", ("F41.1",)),
    ("f411, z63.0", ("F41.1", "Z63.0")),
    ("F32A; F41.1  ", ("F32.A", "F41.1")),
    ("", ()),
    (" , ", ()),
])
def test_diagnosis_codes_are_read_as_written_or_without_the_dot(typed, codes):
    assert diagnosis_codes(typed) == codes


@pytest.mark.parametrize("typed, problem", [
    ("F41.1", ""),
    ("F41.1, Z63.0, F32.A", ""),
    ("f43.10", ""),
    ("", "Diagnosis missing"),
    ("F41", "F41 is a category"),
    ("F40-F48", "not an ICD-10-CM code"),
    ("Z99.99", "Z99.99 is not an ICD-10-CM code"),
    ("anxiety", "not an ICD-10-CM code"),
    ("F41.1, F41.1", "twice"),
    (", ".join(["F41.1", "F41.0", "F41.8", "F41.9", "F32.A", "F32.0", "F32.1", "F32.2", "F43.10", "F43.12",
                "Z63.0", "Z63.1", "Z63.8"]), "at most 12"),
])
def test_diagnosis_cells(typed, problem):
    found = diagnosis_problem(typed, ICD)
    assert (problem in found) if problem else found == ""


@pytest.mark.parametrize("typed, in_cm, in_who", [
    ("F41.9", "", ""),                                   # in both lists
    ("F41.1, Z63.0", "", ""),
    ("S93.401A", "", "S93.401A is not an ICD-10 (WHO) code"),  # the WHO's list has no 7th characters
    ("F32.A", "", "F32.A is not an ICD-10 (WHO) code"),       # added by ICD-10-CM
    ("M54.50", "", "M54.50 is not an ICD-10 (WHO) code"),
    ("M54.5", "M54.5 is a category, not a billable ICD-10-CM code", ""),  # complete in the WHO's list only
    ("A16.2", "A16.2 is not an ICD-10-CM code", ""),          # the WHO's tuberculosis codes, not the US's
    ("F41", "F41 is a category, not a billable ICD-10-CM code",
     "F41 is a category, not a billable ICD-10 (WHO) code"),
    ("F40-F48", "not an ICD-10-CM code", "not an ICD-10 (WHO) code"),
    ("", "put the ICD-10-CM code(s)", "put the ICD-10 (WHO) code(s)"),
])
def test_each_code_list_names_itself_when_it_rejects_a_code(typed, in_cm, in_who):
    for codes, problem in ((ICD, in_cm), (WHO, in_who)):
        found = diagnosis_problem(typed, codes)
        assert (problem in found) if problem else found == "", (codes.name, typed, found)


def test_the_who_list_gives_titles():
    assert WHO.describe("M54.5") == "Low back pain" and WHO.describe("S93.401A") == ""


@pytest.mark.parametrize("typed, ok", [("11", True), ("02", True), ("10", True), ("", True), ("2", False),
                                       ("office", False), ("111", False)])
def test_place_of_service_is_two_digits(typed, ok):
    assert (place_problem(typed) == "") is ok


@pytest.mark.parametrize("npi, ok", [
    ("1234567893", True),   # the CMS example
    ("1245319599", True),
    ("1234567890", False),  # wrong check digit
    ("123456789", False),   # nine digits
    ("3234567893", False),  # starts with neither 1 nor 2
    ("12345678AB", False),
])
def test_npi_by_its_luhn_check(npi, ok):
    assert (npi_problem(npi) == "") is ok


@pytest.mark.parametrize("ein, ok", [("12-3456789", True), ("123456789", True), ("07-1234567", False),
                                     ("12-345678", False), ("AB-1234567", False)])
def test_ein_format(ein, ok):
    assert (ein_problem(ein) == "") is ok


def _invoice(no, sessions, status="Finalized"):
    lines = tuple(Line(no, sid, date(2026, 11, 2), "THER", "Therapy", Decimal(1), amount, Decimal(0), Decimal(0),
                       amount, Decimal(0), amount) for sid, amount in sessions)
    total = sum((a for _, a in sessions), Decimal(0))
    return Invoice(no, date(2026, 11, 2), date(2026, 11, 16), "C-010", "Emma", tuple(s for s, _ in sessions),
                   total, Decimal(0), total, Decimal(0), total, InvoiceStatus(status), lines=lines)


def _paid(day, *applied):
    return Payment(1, "P-1", day, "C-010", "", sum((a for _, a in applied), Decimal(0)), "Card", "",
                   tuple(Allocation(no, a) for no, a in applied), "", "", "")


D = Decimal
INVOICES = (_invoice("INV-1", [("S-1", D("180"))]), _invoice("INV-2", [("S-2", D("180"))]),
            _invoice("INV-3", [("S-3", D("100")), ("S-4", D("80"))]),
            _invoice("INV-4", [("S-5", D("180"))], status="Void"))


@pytest.mark.parametrize("payments, expected", [
    ((), {}),
    ((_paid(date(2026, 11, 5), ("INV-1", D("180"))),), {"S-1": D("180")}),
    ((_paid(date(2026, 11, 5), ("inv-2 ", D("50"))),), {"S-2": D("50")}),  # spelt by hand, partly paid
    ((_paid(date(2026, 11, 5), ("INV-3", D("130"))),), {"S-3": D("100"), "S-4": D("30")}),  # in line order
    ((_paid(date(2026, 11, 5), ("INV-3", D("500"))),), {"S-3": D("100"), "S-4": D("80")}),  # never more
    ((_paid(date(2026, 12, 5), ("INV-1", D("180"))),), {}),  # after the superbill's day
    ((_paid(date(2026, 11, 5), ("INV-4", D("180")), ("Credit", D("10"))),), {}),  # void, credit
])
def test_paid_per_session(payments, expected):
    paid = paid_per_session(INVOICES, payments, date(2026, 11, 30))
    assert {k: v for k, v in paid.items() if v} == expected
