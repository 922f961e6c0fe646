"""VAT treatments: each line's category, rate and reason; the notes an invoice must print;
gross prices whose totals stay exactly what the price list says."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetbill.core.billing import BillingRules, plan_billing
from sheetbill.core.invoice import allocate_tax, assemble, gross_tax, tax_summary
from sheetbill.core.model import Client, Ledger, Line, ServicePrice, Session, SessionStatus
from sheetbill.core.number import HUNDRED, money
from sheetbill.core.vat import (
    NOTE_REVERSE_CHARGE,
    NOTE_SMALL_BUSINESS,
    VatProblem,
    VatRules,
    split_reason,
    treatment,
    vat_notes,
)

M = Decimal
TODAY = date(2026, 11, 21)
CENT = M("0.01")
P14 = "VATEX-EU-132-1C Umsatzsteuerfrei gemäß § 4 Nr. 14 UStG"


def service(code="KG", rate="0", category="", reason="", prices="", price="50.00", row=2):
    return ServicePrice(row, code, code, M(price), M(rate), "", None, True, (), category, reason, prices)


def client(category="", tax_id="", vat_problem=""):
    return Client(2, "C-001", "Anna", "a@example.com", "", None, None, None, tax_id,
                  vat_category=category, vat_id_problem=vat_problem)


SMALL = VatRules(small_business=True)
DEFAULT_REASON = VatRules(exemption_reason="Exempt under Art. 132(1)(c)")

# service, client, rules -> category, rate, reason, VATEX code
TREATMENTS = [
    (service(rate="19"), client(), VatRules(), ("S", M(19), "", "")),
    (service(rate="7", category="reduced"), client(), VatRules(), ("S", M(7), "", "")),
    (service(), client(), VatRules(), ("E", M(0), "", "")),  # nothing configured: 0% is exempt
    (service(), client(), VatRules(zero_rate="Z"), ("Z", M(0), "", "")),
    (service(), client(), DEFAULT_REASON, ("E", M(0), "Exempt under Art. 132(1)(c)", "")),
    (service(category="E", reason=P14), client(), DEFAULT_REASON,
     ("E", M(0), "Umsatzsteuerfrei gemäß § 4 Nr. 14 UStG", "VATEX-EU-132-1C")),
    (service(rate="19"), client("AE"), VatRules(), ("AE", M(0), NOTE_REVERSE_CHARGE, "VATEX-EU-AE")),
    (service(rate="19"), client("reverse charge"), VatRules(), ("AE", M(0), NOTE_REVERSE_CHARGE, "VATEX-EU-AE")),
    (service(category="E", reason=P14), client("AE"), VatRules(),  # exempt stays exempt, whoever buys
     ("E", M(0), "Umsatzsteuerfrei gemäß § 4 Nr. 14 UStG", "VATEX-EU-132-1C")),
    (service(rate="19"), client("K"), VatRules(), ("K", M(0), "Intra-community supply, exempt from VAT.", "VATEX-EU-IC")),
    (service(category="O"), client(), VatRules(), ("O", M(0), "Not subject to VAT.", "VATEX-EU-O")),
    (service(rate="19"), client(), SMALL, ("E", M(0), NOTE_SMALL_BUSINESS, "")),
    (service(rate="19"), client("AE"), SMALL, ("E", M(0), NOTE_SMALL_BUSINESS, "")),
]


@pytest.mark.parametrize("svc, who, rules, expected", TREATMENTS)
def test_each_line_gets_its_category_rate_and_reason(svc, who, rules, expected):
    how = treatment(svc, who, rules)
    assert (how.category, how.rate, how.reason, how.vatex) == expected


PROBLEMS = [
    (service(rate="19", category="E"), client(), "is VAT Category E with Tax Rate 19%"),
    (service(category="S"), client(), "is VAT Category S with Tax Rate 0%"),
    (service(category="exempted"), client(), "has VAT Category 'exempted' (use S, Z, E, AE, K or O)"),
    (service(rate="19"), client("XX"), "Client C-001 has VAT Category 'XX'"),
    (service(rate="19"), client("AE", "DE123", "Tax ID 'DE123' is not a VAT ID of an EU country"),
     "Reverse charge for client C-001 needs their VAT ID: Tax ID 'DE123'"),
    (service(rate="19", prices="incl"), client(), "has Prices 'incl' (use gross or net)"),
    (service(category="E", reason="VATEX-EU-999"), client(),
     "Services row 2 (KG) has Exemption Reason code 'VATEX-EU-999', not on the VATEX code list"),
    (service(category="E", reason="vatex-eu-132-1r Heilbehandlung"), client(),
     "has Exemption Reason code 'VATEX-EU-132-1R', not on the VATEX code list"),
    (service(category="O", reason="VATEX-EU-0"), client(), "has Exemption Reason code 'VATEX-EU-0', not on"),
    (service(rate="19"), client("K", "", "the client has no Tax ID"),
     "Intra-community supply for client C-001 needs their VAT ID: the client has no Tax ID"),
]


@pytest.mark.parametrize("svc, who, message", PROBLEMS)
def test_a_treatment_that_cannot_be_decided_is_a_sentence(svc, who, message):
    with pytest.raises(VatProblem, match=message.replace("(", r"\(").replace(")", r"\)")):
        treatment(svc, who, VatRules())


@pytest.mark.parametrize("text, expected", [
    (P14, ("VATEX-EU-132-1C", "Umsatzsteuerfrei gemäß § 4 Nr. 14 UStG")),
    ("vatex-eu-79-c: Reimbursed costs", ("VATEX-EU-79-C", "Reimbursed costs")),
    ("Exempt under § 4 Nr. 21 UStG", ("", "Exempt under § 4 Nr. 21 UStG")),
])
def test_an_exemption_reason_may_start_with_its_vatex_code(text, expected):
    assert split_reason(text) == expected


def line(category="", rate="0", reason="", net="10.00", code="X"):
    return Line("", "S-1", TODAY, code, code, M(1), M(net), M(0), M(rate), M(net), M(0), M(net),
                vat_category=category, exemption_reason=reason)


NOTES = [
    ([line(rate="19")], ()),
    ([line()], ()),  # a 0% line without a configured reason: the summary says "VAT exempt"
    ([line("E", reason="§ 4 Nr. 14"), line("E", reason="§ 4 Nr. 14"), line(rate="19")], ("§ 4 Nr. 14",)),
    ([line("AE", reason=NOTE_REVERSE_CHARGE)],
     (NOTE_REVERSE_CHARGE, "Supplier VAT ID: DE136695976. Recipient VAT ID: FR40303265045.")),
    ([line("E", reason=NOTE_SMALL_BUSINESS)] * 3, (NOTE_SMALL_BUSINESS,)),
    ([line("Z")], ()),
    ([line("K", reason="Intra-community supply, exempt from VAT.")],
     ("Intra-community supply, exempt from VAT.", "Supplier VAT ID: DE136695976. Recipient VAT ID: FR40303265045.")),
]


@pytest.mark.parametrize("lines, notes", NOTES)
def test_each_required_note_is_printed_once(lines, notes):
    assert vat_notes(lines, "DE136695976", "FR40303265045") == notes


def test_tax_summary_is_per_category_and_rate():
    lines = [line("E", reason="§ 4"), line("AE", net="20.00"), line(rate="19", net="30.00"), line(rate="19", net="5.00")]
    summary = tax_summary(lines, CENT)
    assert [(t.category, t.rate, t.net, t.tax) for t in summary] == [
        ("AE", M(0), M("20.00"), M(0)), ("E", M(0), M("10.00"), M(0)), ("S", M(19), M("35.00"), M("6.65"))]
    assert summary[1].reason == "§ 4"


def test_a_gross_price_stays_the_invoice_total():
    gross = Line("", "S-1", TODAY, "GEL", "Gel", M(1), M("50.00"), M(0), M(19), M("50.00"), M(0), M("50.00"),
                 vat_category="S", gross=True)
    inv = assemble("INV-1", TODAY, TODAY, "C-001", "Anna", [gross], "Finalized", CENT)
    assert (inv.total, inv.tax, inv.net) == (M("50.00"), M("7.98"), M("42.02"))
    assert inv.lines[0].total == M("50.00") and inv.lines[0].net == M("42.02")


def test_gross_prices_from_the_config_through_the_plan():
    rules = BillingRules(vat=VatRules(gross_prices=True))
    svc = (service("GEL", rate="19"), service("KG", category="E", reason=P14, price="40.00", row=3))
    s = Session(2, "S-1", date(2026, 11, 3), "C-001", "KG", None, (), None, "", SessionStatus.COMPLETED, "", "", None, "")
    from sheetbill.core.model import Extra
    s = Session(2, "S-1", date(2026, 11, 3), "C-001", "KG", None, (Extra("GEL", M(1)),), None, "", SessionStatus.COMPLETED,
                "", "", None, "")
    p = plan_billing(Ledger((s,), (client(),), svc, (), ()), rules, TODAY)
    inv, = p.new_invoices
    assert inv.total == M("90.00") and inv.tax == M("7.98")
    assert [(l.category, l.gross) for l in inv.lines] == [("E", True), ("S", True)]


def test_reverse_charge_without_a_valid_vat_id_is_a_problem_on_the_session():
    s = Session(2, "S-1", date(2026, 11, 3), "C-001", "GEL", None, (), None, "", SessionStatus.COMPLETED, "", "", None, "")
    bad = client("AE", "", "the client has no Tax ID (their VAT ID, e.g. FR40303265045)")
    p = plan_billing(Ledger((s,), (bad,), (service("GEL", rate="19"),), (), ()), BillingRules(), TODAY)
    assert p.new_invoices == ()
    assert [pr.message for pr in p.problems] == [
        "Reverse charge for client C-001 needs their VAT ID: the client has no Tax ID (their VAT ID, e.g. FR40303265045)"]


amounts = st.integers(1, 100_000).map(lambda c: M(c) / 100)
rates = st.sampled_from([M(19), M(7), M("5.5"), M(20), M(21), M("8.1"), M(0), M(10), M(25)])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(amounts, rates, st.booleans()), min_size=1, max_size=8))
def test_gross_totals_are_kept_and_every_sum_adds_up(items):
    lines = [Line("", f"S-{i}", TODAY, f"C{i}", "x", M(1), a, M(0), r, a, M(0), a,
                  vat_category="S" if r else "E", gross=g) for i, (a, r, g) in enumerate(items)]
    inv = assemble("INV-1", TODAY, TODAY, "C-001", "Anna", lines, "Finalized", CENT)
    for before, after in zip(lines, inv.lines):
        if before.gross:  # the price list's gross amount is what the line costs
            assert after.total == before.total
        assert after.net + after.tax == after.total
    assert sum(l.net for l in inv.lines) == inv.net  # BR-CO-13: line nets add up to the net total
    assert sum(l.tax for l in inv.lines) == inv.tax
    assert sum(l.total for l in inv.lines) == inv.total == inv.net + inv.tax  # BR-CO-15
    summary = tax_summary(inv.lines, CENT)
    assert sum(t.tax for t in summary) == inv.tax and sum(t.net for t in summary) == inv.net
    if all(l.gross for l in lines):  # a gross price list: the invoice costs exactly the prices
        assert inv.total == sum(l.total for l in lines)
    for t in summary:  # BR-CO-17: category VAT = category net x rate, rounded (EN 16931 allows ±1)
        assert abs(money(t.net * t.rate / HUNDRED, CENT) - t.tax) <= CENT


@settings(max_examples=500, deadline=None)
@given(amounts, rates)
def test_the_tax_inside_a_gross_amount_gives_back_the_net(gross, rate):
    tax = gross_tax(gross, rate, CENT)
    assert abs(tax - gross * rate / (HUNDRED + rate)) < M("0.03")
    assert abs(money((gross - tax) * rate / HUNDRED, CENT) - tax) <= CENT


def test_net_prices_are_taxed_as_before():
    lines = [line(rate="19", net="28.71")]
    assert allocate_tax(lines, CENT)[0].tax == M("5.45")


def test_a_gross_price_sold_under_reverse_charge_is_billed_without_the_vat_it_included():
    rules = BillingRules(vat=VatRules(gross_prices=True))
    s = Session(2, "S-1", date(2026, 11, 3), "C-001", "GEL", M(2), (), None, "", SessionStatus.COMPLETED, "", "", None, "")
    abroad = client("AE", "FR40303265045")
    inv, = plan_billing(Ledger((s,), (abroad,), (service("GEL", rate="19"),), (), ()), rules, TODAY).new_invoices
    gel, = inv.lines
    assert (gel.category, gel.unit_price, gel.net, gel.tax, gel.gross) == ("AE", M("42.02"), M("84.04"), 0, False)
    assert inv.total == M("84.04")
    assert treatment(service(rate="19"), abroad, VatRules(gross_prices=True)).vat_removed == M(19)
    assert treatment(service(rate="19"), abroad, VatRules()).vat_removed == 0  # a net price is the net price


@pytest.mark.parametrize("gross", [False, True])
def test_a_taxed_line_keeps_everything_but_its_amounts_and_number(gross: bool) -> None:
    """allocate_tax copies each line field by field: none is lost or moved, whatever the line holds."""
    from dataclasses import fields, replace

    from sheetbill.core import invoice

    line = Line("", "S-1", date(2026, 11, 3), "LD60", "Drainage", Decimal(2), Decimal("39.90"), Decimal(5),
                Decimal(19), Decimal("75.80"), Decimal(0), Decimal("75.80"), row=7, vat_category="S",
                exemption_reason="reason", vatex="VATEX-EU-O", gross=gross)
    assert len(fields(Line)) == 17  # a field added to Line must be added to invoice._taxed too
    taxed = invoice._taxed(line, Decimal(1), Decimal(2), Decimal(3), "INV-2026-0001")
    assert taxed == replace(line, net=Decimal(1), tax=Decimal(2), total=Decimal(3), invoice_no="INV-2026-0001")
    assert (taxed.row, taxed.gross) == (7, gross)
    assert invoice._taxed(line, line.net, line.tax, line.total, None) == line
