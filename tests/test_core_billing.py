"""The billing plan: which sessions become which invoices, and what rows say."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetbill.core.billing import BillingRules, is_session_row, plan_billing
from sheetbill.core.model import Client, Discount, Extra, Ledger, ServicePrice, Session
from sheetbill.core.model import InvoiceMode, InvoiceStatus, SessionStatus
from sheetbill.core.status import billing_status, invoice_mode, session_status

TODAY = date(2026, 11, 21)
M = Decimal


def client(cid="C-001", name="Anna Meier", email="anna@example.com", discount=None, mode="", terms=None):
    return Client(2, cid, name, email, "Street 1", discount, terms, invoice_mode(mode), "",
                  unknown_invoice_mode="" if invoice_mode(mode) else mode)


def service(code, price, rate="0", since=None, active=True, row=2):
    return ServicePrice(row, code, code.title(), M(price), M(rate), "session", since, active)


SERVICES = (service("LD60", "65.00", since=date(2026, 1, 1), row=2), service("LD60", "70.00", since=date(2026, 11, 1), row=3),
            service("BANDAGE", "12.50", "19", row=4), service("GEL", "6.90", "19", row=5),
            service("NOSHOW", "30.00", row=6))


def session(row=2, sid="", day=date(2026, 11, 3), who="C-001", code="LD60", qty=None, extras=(),
            discount=None, status="Completed", **kw):
    billing = kw.get("billing", "")
    return Session(row, sid, day, who, code, qty, tuple(extras), discount, "", session_status(status), "",
                   kw.get("invoice_no", ""), billing_status(billing), kw.get("problem", ""), kw.get("errors", ()),
                   status_text=status, unknown_billing_status="" if billing_status(billing) else billing)


def plan(sessions, clients=None, rules=None, invoices=(), lines=(), services=SERVICES):
    clients = (client(),) if clients is None else clients
    rules = BillingRules() if rules is None else rules
    return plan_billing(Ledger(tuple(sessions), tuple(clients), services, tuple(invoices), tuple(lines)), rules, TODAY)


def problems(p):
    return {pr.row: pr.message for pr in p.problems}


def test_a_completed_session_becomes_a_numbered_invoice_priced_on_its_date():
    p = plan([session(sid="S-00001", day=date(2026, 10, 30)), session(row=3, sid="S-00002", day=date(2026, 11, 2))])
    a, b = p.new_invoices
    assert (a.invoice_no, a.total) == ("INV-2026-0001", M("65.00"))  # before the price rise
    assert (b.invoice_no, b.total) == ("INV-2026-0002", M("70.00"))
    assert a.issue_date == TODAY and a.due_date == date(2026, 12, 5)
    cells = {(w.row, w.field): w.after for w in p.writes}
    assert cells[(2, "invoice_no")] == "INV-2026-0001" and cells[(2, "billing_status")] == "Invoiced"


def test_extras_discount_and_tax_once_per_rate():
    s = session(sid="S-1", extras=[Extra("BANDAGE", M(2)), Extra("GEL", M(1))], discount=Discount(percent=M(10)))
    inv, = plan([s]).new_invoices
    # LD60 70.00 -10% = 63.00 (0%); BANDAGE 25.00-2.50 = 22.50, GEL 6.90-0.69 = 6.21 (19%)
    assert [l.net for l in inv.lines] == [M("63.00"), M("22.50"), M("6.21")]
    assert inv.net == M("91.71")
    assert inv.tax == M("5.45")  # 19% of 28.71 = 5.4549 -> 5.45, computed once
    assert sum(l.tax for l in inv.lines) == inv.tax
    assert inv.total == inv.net + inv.tax


def test_client_discount_applies_when_the_session_has_none_and_an_amount_comes_off():
    c = client(discount=Discount(amount=M("5")))
    inv, = plan([session(sid="S-1")], clients=[c]).new_invoices
    assert inv.total == M("65.00")
    inv, = plan([session(sid="S-1", discount=Discount(amount=M("0")))], clients=[c]).new_invoices
    assert inv.total == M("70.00")


def test_session_ids_are_given_to_rows_without_one():
    p = plan([session(sid="S-00007"), session(row=3, sid="")])
    assert [(w.row, w.after) for w in p.writes if w.field == "session_id"] == [(3, "S-00008")]
    assert {i.session_ids for i in p.new_invoices} == {("S-00007",), ("S-00008",)}


def row(**cells):
    """A Sessions row without a Session ID holding only `cells` (the others empty)."""
    blank = dict(sid="", day=None, who="", code="", status="")
    return session(**{**blank, **cells})


FORMULA = ("Quantity is a formula with no saved value (open the workbook in Excel or LibreOffice and save it once)",)


@pytest.mark.parametrize("cells, numbered", [
    # the admin's own rows: a total, a label, a note, something typed ahead of the rest
    (dict(), False),
    (dict(code="Total", qty=M(12)), False),
    (dict(code="Total", errors=FORMULA), False),
    (dict(errors=("Date 'Total' is not a date (write 2026-11-03 or 03.11.2026)",), qty=M(12)), False),
    (dict(status="12", code="Total"), False),  # a count of the Status column
    (dict(status="1,5"), False),
    (dict(day=date(2026, 11, 3)), False),
    (dict(who="Total", qty=M(12)), False),
    (dict(code="LD60", qty=M(2)), False),
    # sessions, however little is filled in
    (dict(status="Completed"), True),
    (dict(status="Completed", code="Total", qty=M(12)), True),
    (dict(status="Scheduled"), True),
    (dict(status="No-show", who="C-001"), True),
    (dict(status="Complted", day=date(2026, 11, 3)), True),  # a typo is still meant as a Status
    (dict(status="Total"), True),
    (dict(day=date(2026, 11, 3), who="C-001"), True),
    (dict(day=date(2026, 11, 3), who="Bob", code="MASSAGE"), True),
])
def test_which_rows_without_an_id_are_sessions(cells, numbered):
    assert is_session_row(row(**cells)) is numbered


def test_a_total_under_the_sessions_is_left_alone_and_a_half_filled_session_is_flagged():
    p = plan([session(sid="S-00007"),
              row(row=3, code="Total", errors=FORMULA),  # `Total` and =SUM(E2:E40), never saved by Excel
              row(row=4, code="Total", qty=M(12), status="12"),  # the SUM and a COUNTIF as Excel saved them
              row(row=5, status="Completed", who="C-001"),  # no Date
              row(row=6, status="Completed", day=date(2026, 11, 3), code="LD60"),  # no Client
              row(row=7, day=date(2026, 11, 3), who="C-001", code="LD60", status="Complted")])
    assert [(w.row, w.after) for w in p.writes if w.field == "session_id"] == [
        (5, "S-00008"), (6, "S-00009"), (7, "S-00010")]
    assert not [w for w in p.writes if w.row in (3, 4)]
    assert problems(p) == {5: "No Date given", 6: "No Client given",
                           7: "Unknown Status 'Complted' (use Scheduled, Completed, Cancelled or No-show)"}
    assert [i.session_ids for i in p.new_invoices] == [("S-00007",)]


@pytest.mark.parametrize("change, expected", [
    (dict(who="Bob"), "Unknown client 'Bob'"),
    (dict(who="anna meier"), "did you mean 'Anna Meier'"),
    (dict(code="MASSAGE"), "Unknown service 'MASSAGE'"),
    (dict(extras=[Extra("WAX", M(1))]), "Unknown service 'WAX'"),
    (dict(day=date(2025, 12, 1)), "No price for LD60 on 2025-12-01"),
    (dict(day=date(2026, 12, 1)), "is in the future"),
    (dict(day=None), "No Date"),
    (dict(qty=M(0)), "Quantity must be more than 0"),
    (dict(status="Complete"), "Unknown Status 'Complete'"),
    (dict(discount=Discount(amount=M("500"))), "Discount 500 is more than"),
    (dict(errors=("Date '31.02.2026' is not a valid date",)), "31.02.2026"),
])
def test_bad_rows_get_a_problem_and_the_rest_goes_on(change, expected):
    p = plan([session(sid="S-1", **change), session(row=3, sid="S-2")])
    assert expected in problems(p)[2]
    assert [i.session_ids for i in p.new_invoices] == [("S-2",)]
    assert {(w.row, w.field): w.after for w in p.writes}[(2, "billing_status")] == "Problem"


def test_client_without_email_and_ambiguous_names():
    p = plan([session(sid="S-1", who="C-002"), session(row=3, sid="S-2", who="Max")],
             clients=[client("C-002", "Max", email=""), client("C-003", "Max")])
    assert "has no Email" in problems(p)[2]
    assert "matches 2 clients" in problems(p)[3]


def test_duplicate_session_ids_are_never_billed_twice():
    p = plan([session(sid="S-1"), session(row=3, sid="S-1")])
    assert p.new_invoices == ()
    assert "Duplicate Session ID S-1" in problems(p)[2] and "row 3" in problems(p)[2]


def test_daily_mode_groups_a_clients_day_once_the_day_is_over():
    c = client(mode="daily")
    p = plan([session(sid="S-1"), session(row=3, sid="S-2", extras=[Extra("GEL", M(1))]),
              session(row=4, sid="S-3", day=TODAY)], clients=[c])
    inv, = p.new_invoices
    assert inv.session_ids == ("S-1", "S-2")
    assert p.waiting == ("S-3",)
    per_session = plan([session(sid="S-1"), session(row=3, sid="S-2")],
                       rules=BillingRules(default_mode=InvoiceMode.DAILY))
    assert len(per_session.new_invoices) == 1


def test_no_show_is_billed_only_with_a_fee_service():
    s = session(sid="S-1", status="No-show", extras=[Extra("GEL", M(1))])
    assert plan([s]).new_invoices == ()
    inv, = plan([s], rules=BillingRules(no_show_service="NOSHOW")).new_invoices
    assert [(l.code, l.net) for l in inv.lines] == [("NOSHOW", M("30.00"))]


def _billed(sessions, **kw):
    """Plan once and return the ledger a commit would leave."""
    p = plan(sessions, **kw)
    by_row = {}
    for w in p.writes:
        by_row.setdefault(w.row, {})[w.field] = w.after
    updated = [replace(s, session_id=by_row.get(s.row, {}).get("session_id", s.session_id),
                       invoice_no=by_row.get(s.row, {}).get("invoice_no", s.invoice_no),
                       billing_status=billing_status(by_row.get(s.row, {}).get("billing_status", s.billing_status_text)),
                       problem=by_row.get(s.row, {}).get("problem", s.problem)) for s in sessions]
    lines = [l for i in p.new_invoices for l in i.lines]
    return updated, list(p.new_invoices), lines


def test_a_second_plan_on_the_result_of_the_first_does_nothing():
    sessions, invoices, lines = _billed([session(sid="S-1"), session(row=3, sid="", who="Bob")])
    again = plan(sessions, invoices=invoices, lines=lines)
    assert again.new_invoices == () and again.appends == () and again.writes == ()


def test_a_session_changed_after_invoicing_is_shown_and_never_billed_twice():
    sessions, invoices, lines = _billed([session(sid="S-1")])
    edited = [replace(sessions[0], quantity=M(2))]
    p = plan(edited, invoices=invoices, lines=lines)
    assert p.new_invoices == ()
    assert "changed after it was invoiced on INV-2026-0001" in problems(p)[2]
    p = plan([replace(sessions[0], status=SessionStatus.CANCELLED, status_text="Cancelled")], invoices=invoices, lines=lines)
    assert "Status changed to 'Cancelled'" in problems(p)[2]


@pytest.mark.parametrize("billed, now, problem", [
    (None, None, ""),
    (Discount(percent=M(10)), Discount(percent=M(10)), ""),
    (Discount(amount=M("5.00")), Discount(amount=M(5)), ""),  # the same, typed otherwise
    (Discount(percent=M(10)), Discount(percent=M(50)), "Discount changed after it was invoiced on INV-2026-0001 "
                                                       "(7.00 off -> 35.00 off)"),
    (None, Discount(percent=M(50)), "(0.00 off -> 35.00 off)"),
    (Discount(amount=M(5)), Discount(amount=M(500)), "(5.00 off -> more than the session)"),
    (Discount(percent=M(10)), None, ""),  # cleared: the client's Discount may apply; not compared
])
def test_a_sessions_discount_changed_after_invoicing_is_shown(billed, now, problem):
    sessions, invoices, lines = _billed([session(sid="S-1", discount=billed)])
    p = plan([replace(sessions[0], discount=now)], invoices=invoices, lines=lines)
    assert p.new_invoices == ()
    found = problems(p).get(2, "")
    assert (problem in found and found.endswith("(void it to re-bill)")) if problem else found == ""


@pytest.mark.parametrize("typed", ["sent?", "invoiced", "Problem"])
def test_a_billing_status_typed_over_is_written_back_from_what_it_held(typed):
    sessions, invoices, lines = _billed([session(sid="S-1")])
    typed_over = [replace(sessions[0], billing_status=billing_status(typed),
                          unknown_billing_status="" if billing_status(typed) else typed)]
    p = plan(typed_over, invoices=invoices, lines=lines)
    assert [(w.field, w.before, w.after) for w in p.writes] == [("billing_status", typed, "Invoiced")]


def test_the_projection_is_repaired_from_the_ledger():
    sessions, invoices, lines = _billed([session(sid="S-1")])
    wiped = [replace(sessions[0], invoice_no="", billing_status=None)]
    p = plan(wiped, invoices=invoices, lines=lines)
    assert p.new_invoices == ()
    assert {w.field: w.after for w in p.writes} == {"invoice_no": "INV-2026-0001", "billing_status": "Invoiced"}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 20), st.sampled_from(["C-001", "C-002", "Bob"]),
                          st.sampled_from(["LD60", "BANDAGE", "NOPE"]), st.sampled_from(["Completed", "Scheduled"])),
                min_size=1, max_size=25),
       st.integers(0, 24))
def test_billing_in_two_runs_equals_billing_in_one(rows, split):
    """However the sessions arrive, each billable one is on exactly one invoice and the series is gapless."""
    clients = [client(), client("C-002", "Jonas", mode="daily")]
    all_sessions = [session(row=i + 2, sid=f"S-{i:03}", day=date(2026, 11, d), who=w, code=c, status=st_)
                    for i, (d, w, c, st_) in enumerate(rows)]
    first, invoices, lines = _billed(all_sessions[:split], clients=clients)
    rest = all_sessions[split:]
    p = plan(first + rest, clients=clients, invoices=invoices, lines=lines)
    invoices += list(p.new_invoices)
    billed = [sid for inv in invoices for sid in inv.session_ids]
    assert len(billed) == len(set(billed))
    expected = {s.session_id for s in all_sessions if s.status is SessionStatus.COMPLETED and s.client != "Bob"
                and s.service != "NOPE"}
    assert set(billed) == expected
    seqs = sorted(int(i.invoice_no.rsplit("-", 1)[1]) for i in invoices)
    assert seqs == list(range(1, len(seqs) + 1))


def test_an_invoiced_session_whose_id_was_changed_is_not_billed_twice():
    sessions, invoices, lines = _billed([session(sid="S-1")])
    assert sessions[0].invoice_no == "INV-2026-0001"
    renamed = replace(sessions[0], session_id="S-1b")  # the admin tidied the ID; the row says INV-2026-0001 still
    p = plan([renamed], invoices=invoices, lines=lines)
    assert p.new_invoices == ()
    assert problems(p)[2] == ("Invoice No INV-2026-0001 lists S-1, not S-1b: if the Session ID was changed, put it "
                              "back (the invoice stays as sent); if this is a new session, clear its Invoice No")
    assert [(w.field, w.after) for w in p.writes if w.row == 2 and w.field == "invoice_no"] == []  # kept: the evidence
    void = tuple(replace(i, status=InvoiceStatus.VOID) for i in invoices)
    assert [i.session_ids for i in plan([renamed], invoices=void, lines=lines).new_invoices] == [("S-1b",)]
    assert len(plan([replace(renamed, invoice_no="")], invoices=invoices, lines=lines).new_invoices) == 1
