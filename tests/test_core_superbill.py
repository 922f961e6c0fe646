"""`core.superbill`: the superbill's service lines, one per invoice line, each
with its own procedure code, units, charge and share of what was paid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sheetbill.core.insurance import Coding, InsuredClient, ServiceCoding, SessionCoding
from sheetbill.core.model import (Client, Extra, Invoice, InvoiceStatus, Ledger, Line, ServicePrice, Session,
                                  SessionStatus)
from sheetbill.core.superbill import superbill_for

DAY = date(2026, 11, 26)
CLIENT = Client(2, "C-009", "Emma Stone", "emma@example.com", "", None, 14, None, "")
CODING = Coding(
    clients={"C-009": InsuredClient("C-009", True)},
    sessions={5: SessionCoding(5, "I97.2, Z85.3", "11")},
    services=(ServiceCoding("MLD15", None, "97140", ("GP",)), ServiceCoding("BANDAGE", None, "A6448")))
SERVICES = tuple(ServicePrice(n, code, text, Decimal(price), Decimal(0), "piece", date(2026, 1, 1), True)
                 for n, (code, text, price) in enumerate([("MLD15", "Manual lymph drainage, per 15 min", "16.50"),
                                                          ("BANDAGE", "Compression bandaging", "12.50"),
                                                          ("GEL", "Skin care gel", "6.90"),
                                                          ("NOSHOW", "Missed appointment fee", "30.00")], start=2))


def line(code: str, quantity: str, total: str, description: str = "") -> Line:
    amount = Decimal(total)
    return Line("INV-1", "S-05001", DAY, code, description or code, Decimal(quantity), amount / Decimal(quantity),
                Decimal(0), Decimal(0), amount, Decimal(0), amount)


def bill(*lines: Line, paid: str = "0", service: str = "MLD15", coding: Coding = CODING):
    total = sum((x.total for x in lines), Decimal(0))
    session = Session(5, "S-05001", DAY, "C-009", service, Decimal(4), tuple(Extra(x.code, x.quantity) for x in lines[1:]),
                      None, "Maria", SessionStatus.COMPLETED, "", "INV-1", None, "")
    invoice = Invoice("INV-1", DAY, DAY, "C-009", "Emma Stone", ("S-05001",), total, Decimal(0), total, Decimal(0),
                      total, InvoiceStatus.FINALIZED, lines=lines)
    ledger = Ledger((session,), (CLIENT,), SERVICES, (invoice,), lines)
    return superbill_for(CLIENT, ledger, coding, {"S-05001": Decimal(paid)}, {}, DAY, DAY, DAY)


@pytest.mark.parametrize("lines, paid, expected", [
    # the tester's session: MLD15 x4 with BANDAGE x3 (A6448), 44.63 of bandages including VAT
    ([line("MLD15", "4", "66.00"), line("BANDAGE", "3", "44.63")], "0",
     [("97140", ("GP",), "4", "66.00", "0"), ("A6448", (), "3", "44.63", "0")]),
    # paid money goes to the session's lines in their order, each up to its own charge
    ([line("MLD15", "4", "66.00"), line("BANDAGE", "3", "44.63")], "80.00",
     [("97140", ("GP",), "4", "66.00", "66.00"), ("A6448", (), "3", "44.63", "14.00")]),
    # an extra without a procedure code is a line of its own, uncoded, never inside 97140's charge
    ([line("MLD15", "4", "66.00"), line("GEL", "1", "8.21")], "0",
     [("97140", ("GP",), "4", "66.00", "0"), ("", (), "1", "8.21", "0")]),
    ([line("MLD15", "4", "66.00")], "66.00", [("97140", ("GP",), "4", "66.00", "66.00")]),
])
def test_each_invoice_line_is_a_service_line(lines, paid, expected):
    s = bill(*lines, paid=paid)
    got = [(x.procedure_code, x.modifiers, x.units, x.charge, x.paid) for x in s.lines]
    assert got == [(c, m, Decimal(u), Decimal(ch), Decimal(p)) for c, m, u, ch, p in expected]
    assert all(x.date == DAY and x.session_id == "S-05001" and x.pointers == ("A", "B") for x in s.lines)
    assert s.charged == sum((x.total for x in lines), Decimal(0)) and s.paid == Decimal(paid)


def test_the_lines_keep_their_own_descriptions_and_services():
    s = bill(line("MLD15", "4", "66.00", "Manual lymph drainage, per 15 min"),
             line("BANDAGE", "3", "44.63", "Compression bandaging"))
    assert [(x.service, x.description) for x in s.lines] == [("MLD15", "Manual lymph drainage, per 15 min"),
                                                            ("BANDAGE", "Compression bandaging")]


def test_a_no_show_fee_does_not_carry_the_sessions_procedure_code():
    s = bill(line("NOSHOW", "1", "30.00", "Missed appointment fee"))
    assert [(x.procedure_code, x.description, x.charge) for x in s.lines] == [
        ("", "Missed appointment fee", Decimal("30.00"))]


@pytest.mark.parametrize("pointers, procedure, claim, expected", [
    (("A",), "97140", False, ""),
    (("A",), "97140", True, ""),
    ((), "97140", False, "S-05001 on 2026-11-26 (MLD15) has no diagnosis (fill in its Diagnosis in Sessions): "
                         "an insurer will not pay that line"),
    (("A",), "", True, "S-05001 on 2026-11-26 (GEL) has no procedure code (give GEL a Procedure Code in Services): "
                       "an insurer will not pay that line; left out of the CMS-1500"),
    ((), "", True, "S-05001 on 2026-11-26 (GEL) has no diagnosis (fill in its Diagnosis in Sessions) and no "
                   "procedure code (give GEL a Procedure Code in Services): an insurer will not pay that line; "
                   "left out of the CMS-1500"),
])
def test_a_line_an_insurer_will_not_accept_is_named(pointers, procedure, claim, expected):
    from dataclasses import replace

    from sheetbill.core.superbill import unpayable

    service = "MLD15" if procedure else "GEL"
    superbill_line = replace(bill(line(service, "1", "10.00")).lines[0], pointers=pointers,
                             procedure_code=procedure, service=service)
    assert unpayable(superbill_line, claim) == expected


def test_the_claim_form_keeps_only_lines_with_a_diagnosis_and_a_procedure_code():
    from dataclasses import replace

    from sheetbill.insurance.cms1500 import claim_lines

    s = bill(line("MLD15", "4", "66.00"), line("BANDAGE", "3", "44.63"), line("GEL", "1", "8.21"))
    no_dx = replace(s.lines[0], session_id="S-05002", pointers=())
    kept, left_out = claim_lines(s.lines + (no_dx,))
    assert [x.procedure_code for x in kept] == ["97140", "A6448"]
    assert [(x.service, x.session_id) for x in left_out] == [("GEL", "S-05001"), ("MLD15", "S-05002")]


@pytest.mark.parametrize("pointers, per_form, expected", [
    (["AB"] * 7, 6, [6, 1]),  # six lines to a form
    (["ABCD", "EFGH", "IJKL", "MN"], 6, [3, 1]),  # box 21 full after three lines: a new form
    (["ABCD", "EFGH", "IJKL", "AB"], 6, [4]),  # the fourth line's diagnoses are in box 21 already
    (["ABCDEFGHIJ", "KL", "M", "A"], 6, [2, 2]),
    (["ABCDEFGHIJKL", "ABCDEFGHIJKL"], 6, [2]),
    ([], 6, [0]),  # an empty superbill: one empty form (the command refuses it before)
])
def test_a_new_form_starts_when_box_21_would_overflow(pointers, per_form, expected):
    from dataclasses import replace

    from sheetbill.insurance.cms1500 import forms

    first = bill(line("MLD15", "1", "16.50")).lines[0]
    lines = [replace(first, pointers=tuple(p)) for p in pointers]
    chunks = forms(lines, per_form)
    assert [len(c) for c in chunks] == expected
    assert all(len({p for x in c for p in x.pointers}) <= 12 for c in chunks)
    assert [x for c in chunks for x in c] == lines
