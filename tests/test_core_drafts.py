"""core.drafts: a draft follows its sessions and the price list (review mode)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from sheetbill.core.billing import BillingRules, draft_key
from sheetbill.core.cycle import plan_cycle
from sheetbill.core.drafts import HAND, plan_drafts
from sheetbill.core.model import Discount, Extra, InvoiceMode, InvoiceStatus, Ledger, SessionStatus

from .test_core_billing import SERVICES, TODAY, _billed, client, service, session

M = Decimal
REVIEW = BillingRules(finalize="review", default_mode=InvoiceMode.DAILY)
DAY = date(2026, 11, 3)


def drafted():
    """Two sessions of one day on one daily draft, as the workbook holds them (rows 2 and 3)."""
    sessions, invoices, lines = _billed([session(sid="S-1", extras=(Extra("GEL", M(1)),)), session(row=3, sid="S-2", code="LD60")],
                                        rules=REVIEW)
    (draft,) = invoices
    draft = replace(draft, row=2, lines=tuple(replace(l, row=2 + i) for i, l in enumerate(draft.lines)))
    return Ledger(tuple(sessions), (client(),), SERVICES, (draft,), draft.lines)


def changed(ledger: Ledger, what: str) -> Ledger:
    s1, s2 = ledger.sessions
    (draft,) = ledger.invoices
    if what == "quantity":
        return replace(ledger, sessions=(replace(s1, quantity=M(2)), s2))
    if what == "discount":
        return replace(ledger, sessions=(replace(s1, discount=Discount(percent=M(10))), s2))
    if what == "client discount":
        return replace(ledger, clients=(replace(client(), discount=Discount(amount=M(5))),))
    if what == "price":
        return replace(ledger, services=SERVICES + (service("LD60", "72.00", since=date(2026, 11, 2), row=9),))
    if what == "cancelled":
        return replace(ledger, sessions=(replace(s1, status=SessionStatus.CANCELLED, status_text="Cancelled"), s2))
    if what == "deleted":
        return replace(ledger, sessions=(s2,))
    if what == "typed over":
        lines = (replace(draft.lines[0], unit_price=M(50)),) + draft.lines[1:]
        return replace(ledger, invoices=(replace(draft, lines=lines),), lines=lines)
    if what == "sorted":  # the Sessions tab sorted the other way: the same sessions in other rows
        return replace(ledger, sessions=(replace(s2, row=2), replace(s1, row=3)))
    if what == "finalized":  # what the admin does to a draft that is right
        return replace(ledger, invoices=(replace(draft, status=InvoiceStatus.FINALIZED),))
    if what == "renamed":  # a description is not an amount
        lines = (replace(draft.lines[0], description="Lymph drainage"),) + draft.lines[1:]
        return replace(ledger, invoices=(replace(draft, lines=lines),), lines=lines)
    assert what == "nothing"
    return ledger


@pytest.mark.parametrize("what, why", [
    ("nothing", ""), ("sorted", ""), ("finalized", ""), ("renamed", ""),
    ("quantity", "its sessions, prices or discounts changed"),
    ("discount", "its sessions, prices or discounts changed"),
    ("client discount", "its sessions, prices or discounts changed"),
    ("price", "its sessions, prices or discounts changed"),
    ("cancelled", "session S-1 is Cancelled now"),
    ("deleted", "session S-1 is no longer in Sessions"),
    ("typed over", HAND),
])
def test_a_draft_is_dropped_exactly_when_it_no_longer_says_what_its_sessions_say(what, why):
    ledger = changed(drafted(), what)
    plan = plan_drafts(ledger, REVIEW, TODAY)
    assert [r.why for r in plan.redrafts] == ([why] if why else [])
    assert [(w.row, w.field, w.after) for w in plan.writes] == ([(2, "status", "Void")] if why else [])
    assert [i.status for i in plan.invoices] == [InvoiceStatus.VOID if why else ledger.invoices[0].status]


def test_the_cycle_makes_the_draft_again_under_a_key_of_its_own_and_never_numbers_the_stale_one():
    ledger = changed(changed(drafted(), "typed over"), "finalized")
    cycle = plan_cycle(ledger, REVIEW, TODAY)
    assert cycle.finalized == ()  # the admin's Finalized is not taken for a draft typed over
    (again,) = cycle.plan.new_invoices
    assert again.invoice_no == "DRAFT-S-1-2" and again.status is InvoiceStatus.DRAFT
    assert again.total == ledger.invoices[0].total  # made from the sessions, as it was before the edit
    assert sum(l.net for l in again.lines) == again.net
    assert [r.was_finalized for r in cycle.redrafts] == [True]
    assert {(w.row, w.field, w.after) for w in cycle.plan.writes if w.tab == "invoices"} == {(2, "status", "Void")}


def test_a_draft_key_is_never_taken_twice():
    taken = {"DRAFT-S-1", "DRAFT-S-1-2", "INV-2026-0001"}
    assert [draft_key("S-1", taken), draft_key("S-1", taken), draft_key("S-9", taken)] == \
        ["DRAFT-S-1-3", "DRAFT-S-1-4", "DRAFT-S-9"]
