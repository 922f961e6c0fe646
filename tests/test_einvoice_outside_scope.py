"""Lines outside the scope of VAT (O, e.g. a no-show fee) and other lines on one
invoice: fine on paper, forbidden in an EN 16931 e-invoice (BR-O-11 to
BR-O-14). A client who receives e-invoices gets the day's outside-scope
sessions on an invoice of their own; a session that mixes them is a Problem;
an invoice that mixes them anyway is not sent as an e-invoice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from sheetbill.core.billing import BillingRules, plan_billing
from sheetbill.core.model import Extra, InvoiceMode, Ledger, Session, SessionStatus
from sheetbill.einvoice.delivery import einvoice_xml, schema_problem, with_einvoice
from sheetbill.einvoice.mapping import einvoice_for, rule_problem

from .test_core_vat import TODAY, client, service
from .test_einvoice import doc, line, rules  # noqa: F401 (rules: the compiled EN 16931 rules)

M = Decimal
DAY = date(2026, 11, 18)
SERVICES = (service("REPORT", rate="19", price="120.00"), service("FEE", category="O", price="30.00", row=3),
            service("GEL", rate="19", price="8.00", row=4))


def session(row: int, code: str, extras=()) -> Session:
    return Session(row, f"S-{row}", DAY, "C-001", code, None, tuple(Extra(c, M(1)) for c in extras), None, "",
                   SessionStatus.COMPLETED, "", "", None, "")


def plan(e_invoice: str, *sessions: Session):
    buyer = replace(client(tax_id="DE 987 654 321"), invoice_mode=InvoiceMode.DAILY, e_invoice=e_invoice)
    return plan_billing(Ledger(sessions, (buyer,), SERVICES, (), ()), BillingRules(), TODAY)


def test_an_einvoice_clients_outside_scope_sessions_get_an_invoice_of_their_own():
    made = plan("xrechnung-cii", session(2, "REPORT"), session(3, "FEE"), session(4, "GEL")).new_invoices
    assert [sorted({l.category for l in inv.lines}) for inv in made] == [["S"], ["O"]]
    assert [inv.session_ids for inv in made] == [("S-2", "S-4"), ("S-3",)]
    assert [inv.total for inv in made] == [M("152.32"), M("30.00")]


@pytest.mark.parametrize("setting", ["", "none"])
def test_a_paper_invoice_keeps_the_day_on_one_invoice(setting):
    made = plan(setting, session(2, "REPORT"), session(3, "FEE")).new_invoices
    assert [inv.session_ids for inv in made] == [("S-2", "S-3")]


def test_a_session_that_mixes_them_is_a_problem_for_an_einvoice_client():
    p = plan("facturx", session(2, "FEE", extras=("GEL",)), session(3, "REPORT"))
    assert [inv.session_ids for inv in p.new_invoices] == [("S-3",)]
    assert [pr.message for pr in p.problems] == [
        "Client C-001 receives e-invoices: an item outside the scope of VAT (O) cannot share an e-invoice with "
        "other VAT categories (EN 16931 BR-O-11); bill it in a session of its own"]
    assert plan("", session(2, "FEE", extras=("GEL",))).problems == ()


def test_per_session_invoices_never_mix_what_their_sessions_do_not():
    buyer = replace(client(), invoice_mode=InvoiceMode.PER_SESSION, e_invoice="peppol")
    made = plan_billing(Ledger((session(2, "REPORT"), session(3, "FEE")), (buyer,), SERVICES, (), ()),
                        BillingRules(), TODAY).new_invoices
    assert len(made) == 2


MIXED = [line("REPORT", "120.00", "19"), line("FEE", "30.00", "0", category="O", reason="Not subject to VAT.",
                                              vatex="VATEX-EU-O")]


def test_the_split_invoices_pass_the_en16931_rules_and_a_mixed_one_would_not(rules):  # noqa: F811
    apart = [doc(MIXED[:1], number="INV-2026-0042"), doc(MIXED[1:], number="INV-2026-0043")]
    for one in apart:
        one = replace(one, client=replace(one.client, e_invoice="facturx"))
        assert rules.failures("cii", einvoice_xml(one, "facturx")[0]) == []
        assert rules.failures("ubl", einvoice_xml(one, "peppol")[0]) == []
    mixed = replace(doc(MIXED), client=replace(doc(MIXED).client, e_invoice="facturx"))
    failed = {f.split(":")[0] for f in rules.failures("cii", einvoice_xml(mixed, "facturx")[0])}
    assert {"BR-O-11", "BR-O-12"} <= failed  # what the rule check below stands for


def test_an_invoice_that_mixes_them_is_not_sent_as_an_einvoice():
    mixed = doc(MIXED)
    assert rule_problem(einvoice_for(mixed)).startswith("an item outside the scope of VAT (O) cannot share")
    assert rule_problem(einvoice_for(doc(MIXED[1:]))) == ""
    einvoiced = replace(mixed, client=replace(mixed.client, e_invoice="xrechnung-cii", buyer_reference="04011000-1"))
    assert schema_problem(einvoiced).startswith("INV-2026-0042: e-invoice not valid: an item outside the scope")
    with pytest.raises(ValueError, match="BR-O-11"):
        with_einvoice(einvoiced, b"%PDF")
    assert with_einvoice(mixed, b"%PDF") == (b"%PDF", None)  # a paper client: as before


def test_check_writes_the_next_invoice_of_an_einvoice_client():
    from sheetbill.einvoice.check import einvoice_findings

    mixed = doc(MIXED)
    buyer = replace(mixed.client, e_invoice="peppol")
    found = einvoice_findings((buyer,), (), mixed.practice, 14, upcoming=(mixed.invoice,))
    assert found == [f"workbook: Clients row 2 (C-001): INV-2026-0042: e-invoice not valid: {rule_problem(einvoice_for(mixed))}"]
    assert einvoice_findings((buyer,), (), mixed.practice, 14, upcoming=(doc(MIXED[:1]).invoice,)) == []
    assert einvoice_findings((replace(buyer, e_invoice=""),), (), mixed.practice, 14, upcoming=(mixed.invoice,)) == []
