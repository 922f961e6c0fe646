"""core.cancellation: where the money paid on a void invoice went, as of a day, table-driven."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sheetbill.core.cancellation import cancellation
from sheetbill.core.model import Allocation

from .test_core_account import D, account, day, inv, pay

VOIDED = [inv("INV-1", 2, "52.00", status="Void"), inv("CN-1", 5, "-52.00", credits="INV-1")]
REBILLED = [*VOIDED, inv("INV-2", 5, "30.00")]


@pytest.mark.parametrize("invoices, payments, today, expected", [
    # (paid on the void invoice, set against, kept as credit)
    pytest.param(VOIDED, [], 5, ("0", [], "0"), id="nothing paid"),
    pytest.param(VOIDED, [pay(2, 3, "20", "INV-1 20.00")], 5, ("20.00", [], "20.00"), id="all kept as credit"),
    pytest.param([*VOIDED, inv("INV-2", 5, "52.00")], [pay(2, 3, "20", "INV-1 20.00; INV-2 20.00")], 5,
                 ("20.00", ["INV-2 20.00"], "0"), id="all set against the invoice that replaces it"),
    pytest.param(REBILLED, [pay(2, 3, "50", "INV-1 50.00; INV-2 30.00")], 5,
                 ("50.00", ["INV-2 30.00"], "20.00"), id="part set against, the rest kept"),
    pytest.param(REBILLED, [pay(2, 3, "70", "INV-1 52.00; Credit 18.00; INV-2 30.00")], 5,
                 ("52.00", ["INV-2 12.00"], "40.00"),
                 id="the payment's own credit is spent first, then what the void freed"),
    pytest.param(REBILLED, [pay(2, 3, "20", "INV-1 20.00; INV-2 20.00"), pay(3, 4, "10", "INV-1 10.00; INV-2 10.00")],
                 5, ("30.00", ["INV-2 30.00"], "0"), id="two payments, both moved"),
    pytest.param([*REBILLED, inv("INV-3", 9, "40.00")], [pay(2, 3, "50", "INV-1 50.00; INV-2 30.00; INV-3 20.00")],
                 9, ("50.00", ["INV-2 30.00", "INV-3 20.00"], "0"), id="credit used by a later invoice too"),
    pytest.param([*REBILLED, inv("INV-3", 9, "40.00")], [pay(2, 3, "50", "INV-1 50.00; INV-2 30.00; INV-3 20.00")],
                 5, ("50.00", ["INV-2 30.00"], "20.00"), id="as of the credit note's day: the later invoice not yet"),
])
def test_where_the_money_of_a_void_invoice_went(invoices, payments, today, expected):
    c = cancellation(account(invoices, payments), "INV-1", day(today))
    paid, against, kept = expected
    assert (c.invoice_no, c.credit_note, c.on) == ("INV-1", "CN-1", day(5))
    assert (c.paid, c.set_against, c.kept) == (
        D(paid), tuple(Allocation(a.split()[0], D(a.split()[1])) for a in against), D(kept))


def test_only_a_void_invoice_has_a_cancellation():
    a = account(REBILLED, [])
    assert cancellation(a, "INV-2", day(5)) is None and cancellation(a, "INV-9", day(5)) is None


def test_the_credit_note_and_the_void_invoice_carry_the_same_cancellation():
    a = account(REBILLED, [pay(2, 3, "50", "INV-1 50.00; INV-2 30.00")])
    note, void = a.invoice("CN-1", day(5)), a.invoice("INV-1", day(5))
    assert note.cancellation == void.cancellation == cancellation(a, "INV-1", day(5))
    assert (void.paid, void.balance, void.amount_due, void.payments) == (D(0), D(0), D(0), ())


# two invoices paid on 3 Nov and voided on 5 Nov; 10.00 refunded on 4 Nov, before either void
TWO_VOIDED = [inv("INV-1", 2, "65.00", status="Void"), inv("INV-2", 2, "65.00", status="Void"),
              inv("CN-1", 5, "-65.00", credits="INV-1"), inv("CN-2", 5, "-65.00", credits="INV-2")]
TWO_PAID = [pay(2, 3, "65", "INV-1 65.00"), pay(3, 3, "65", "INV-2 65.00")]


@pytest.mark.parametrize("payments, today, expected", [
    # (refunded, kept) of INV-1, then of INV-2
    pytest.param(TWO_PAID, 5, (("0", "65.00"), ("0", "65.00")), id="no refund: each keeps its own"),
    pytest.param([*TWO_PAID, pay(4, 4, "-10", "Refund -10.00")], 5, (("10.00", "55.00"), ("0", "65.00")),
                 id="a refund before the voids: the first void's, not each one's"),
    pytest.param([*TWO_PAID, pay(4, 5, "-80", "Refund -80.00")], 5, (("65.00", "0"), ("15.00", "50.00")),
                 id="a refund larger than one void's money"),
    pytest.param([*TWO_PAID, pay(4, 1, "30", "Credit 30.00"), pay(5, 4, "-10", "Refund -10.00")], 5,
                 (("0", "65.00"), ("0", "65.00")), id="a refund out of credit no void set free"),
    pytest.param([*TWO_PAID, replace(pay(4, 4, "-10", "Refund -10.00"), invoice_no="INV-2")], 5,
                 (("0", "65.00"), ("10.00", "55.00")), id="a refund naming the newer void: out of its money"),
    pytest.param([*TWO_PAID, replace(pay(4, 4, "-80", "Refund -80.00"), invoice_no="inv-2 ")], 5,
                 (("15.00", "50.00"), ("65.00", "0")), id="the void it names first, then the oldest"),
    pytest.param([*TWO_PAID, replace(pay(4, 4, "-10", "Refund -10.00"), invoice_no="INV-9")], 5,
                 (("10.00", "55.00"), ("0", "65.00")), id="naming no void: the oldest void's"),
])
def test_the_voids_of_one_day_keep_together_no_more_than_the_credit(payments, today, expected):
    a = account(TWO_VOIDED, payments)
    said = tuple(cancellation(a, number, day(today)) for number in ("INV-1", "INV-2"))
    assert tuple((c.refunded, c.kept) for c in said if c is not None) == tuple(
        (D(refunded), D(kept)) for refunded, kept in expected)
    assert sum((c.kept for c in said if c is not None), D(0)) <= max(D(0), a.credit(day(today)))


@pytest.mark.parametrize("payments, refund, expected", [
    # the refund receipt: (what of it was paid back ahead of the credit, the voids whose cancellation settles it)
    pytest.param([*TWO_PAID, pay(4, 4, "-10", "Refund -10.00")], "P-4", ("10.00", ("INV-1",)),
                 id="before the voids: the first void's credit settles it"),
    pytest.param([*TWO_PAID, pay(4, 4, "-80", "Refund -80.00")], "P-4", ("80.00", ("INV-1", "INV-2")),
                 id="more than one void's money"),
    pytest.param([*TWO_PAID, pay(4, 1, "4", "Credit 4.00"), pay(5, 4, "-10", "Refund -10.00")], "P-5",
                 ("6.00", ("INV-1",)), id="part out of the credit there was"),
    pytest.param([*TWO_PAID, pay(4, 1, "30", "Credit 30.00"), pay(5, 4, "-10", "Refund -10.00")], "P-5",
                 ("0", ()), id="out of the credit there was"),
    pytest.param([*TWO_PAID, pay(4, 6, "-10", "Refund -10.00")], "P-4", ("0", ()), id="after the voids"),
    pytest.param([*TWO_PAID, replace(pay(4, 4, "-80", "Refund -80.00"), invoice_no="INV-2")], "P-4",
                 ("80.00", ("INV-2", "INV-1")), id="the void its row names first"),
])
def test_a_refund_receipt_names_the_voids_whose_credit_settles_it(payments, refund, expected):
    a = account(TWO_VOIDED, payments)
    f = a.receipt(refund)
    assert (f.ahead, f.settled_by) == (D(expected[0]), expected[1])
    for number in f.settled_by:  # the credit notes of those voids say that much of their money was refunded
        c = cancellation(a, number, day(9))
        assert c is not None and c.refunded > 0


@pytest.mark.parametrize("payments, expected", [
    # (refunded, reversed by the bank, kept) of INV-1, then of INV-2
    pytest.param([*TWO_PAID, pay(4, 4, "-10", "Refund -10.00"),
                  replace(pay(5, 4, "-65", "Chargeback -65.00"), invoice_no="INV-2")],
                 (("10.00", "0", "55.00"), ("0", "65.00", "0")),
                 id="a chargeback before the voids comes out of the void its row names, the refund the oldest's"),
    pytest.param([*TWO_PAID, pay(4, 4, "-80", "Chargeback -80.00")],
                 (("0", "65.00", "0"), ("0", "15.00", "50.00")), id="a chargeback larger than one void's money"),
])
def test_a_chargeback_before_the_voids_is_told_apart_from_a_refund_on_the_void_it_comes_out_of(payments, expected):
    a = account(TWO_VOIDED, payments)
    said = [cancellation(a, number, day(5)) for number in ("INV-1", "INV-2")]
    assert [(c.refunded, c.reversed, c.kept) for c in said if c is not None] == [
        tuple(D(x) for x in each) for each in expected]
    f = a.receipt(payments[-1].payment_id)  # its notice: a chargeback, settled by the voids it comes out of
    assert (f.kind, f.ahead, f.settled_by) == ("chargeback", D(payments[-1].amount).copy_abs(),
                                               tuple(n for n, c in zip(("INV-1", "INV-2"), said)
                                                     if c is not None and c.reversed > 0))


def test_a_refund_of_a_charge_that_paid_both_voids_before_them_comes_off_the_last_paid_first_everywhere():
    """One charge paid INV-1 and INV-2; 100.00 of it refunded (naming both) before both were voided: the
    refund receipt's invoices, the voids it names as settling it and the credit notes say the same."""
    paid = [pay(2, 3, "130", "INV-1 65.00; INV-2 65.00"),
            replace(pay(3, 4, "-100", "Refund -100.00"), invoice_no="INV-1, inv-2")]
    a = account(TWO_VOIDED, paid)
    f = a.receipt("P-3")
    assert (f.allocations, f.ahead, f.settled_by) == (
        (Allocation("INV-2", D("65.00")), Allocation("INV-1", D("35.00"))), D("100.00"), ("INV-2", "INV-1"))
    said = [cancellation(a, number, day(5)) for number in ("INV-1", "INV-2")]
    assert [(c.refunded, c.kept) for c in said if c is not None] == [(D("35.00"), D("30.00")), (D("65.00"), D(0))]
