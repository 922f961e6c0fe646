"""The Cash tab: what the admin sees next to each day's drawer."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetbill.core.cash import plan_cash
from sheetbill.core.model import Allocation, CashDay, Payment
from sheetbill.core.plan import RowProblem

M = Decimal
MON, TUE, WED = date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18)


def day(on, opening=None, counted=None, row=2, errors=(), **shown):
    return CashDay(row, on, None if opening is None else M(opening), None if counted is None else M(counted),
                   shown.get("cash_in"), shown.get("cash_out"), shown.get("expected"), shown.get("variance"),
                   shown.get("status", ""), tuple(errors))


def pay(on, amount, method="Cash", applied=True, row=2):
    allocs = (Allocation("INV-2026-0001", M(amount)),) if applied else ()
    return Payment(row, f"P-{row:05}", on, "C-001", "", M(amount), method, "", allocs, "", "", "")


def cells(plan):
    """{(date, field): value} of the writes, as the admin would read the row afterwards."""
    return {(w.key, w.field): w.after for w in plan.writes}


def commit(days, plan):
    by_row = {d.row: d for d in days}
    for w in plan.writes:
        by_row[w.row] = replace(by_row[w.row], **{w.field: w.after})
    return tuple(by_row.values())


PAYMENTS = (pay(MON, "40.00"), pay(MON, "25.00", method="cash"), pay(MON, "-10.00"),
            pay(MON, "50.00", method="Card"), pay(MON, "99.00", applied=False), pay(TUE, "15.00"))


@pytest.mark.parametrize("counted, variance, status", [
    (None, None, "Open"), ("155.00", M("0.00"), "Balanced"), ("150", M("-5.00"), "Short"),
    ("160.50", M("5.50"), "Over"),
])
def test_a_day_expects_opening_plus_cash_taken_minus_cash_refunded(counted, variance, status):
    p = plan_cash([day(MON, "100", counted)], [p for p in PAYMENTS if p.date == MON])
    key = MON.isoformat()
    assert cells(p) == {(key, "cash_in"): M("65.00"), (key, "cash_out"): M("10.00"),
                        (key, "expected"): M("155.00"), (key, "status"): status,
                        **({(key, "variance"): variance} if variance is not None else {})}
    assert p.notes == ()


def test_a_day_without_opening_starts_from_the_last_count_or_else_the_last_expected():
    days = [day(MON, "100", "150", row=2), day(TUE, row=3), day(WED, row=4)]
    p = plan_cash(days, PAYMENTS)
    assert cells(p)[(TUE.isoformat(), "expected")] == M("165.00")  # counted 150 + 15 taken
    assert cells(p)[(WED.isoformat(), "expected")] == M("165.00")
    assert p.notes == ("Cash 2026-11-18: no Opening, and 2026-11-17 was not counted; "
                       "its Expected 165.00 is taken as the Opening",)


def test_the_first_day_without_opening_starts_at_zero_and_says_so():
    p = plan_cash([day(TUE, counted="15.00")], PAYMENTS)
    assert cells(p)[(TUE.isoformat(), "status")] == "Balanced"
    assert "Cash 2026-11-17: no Opening and no earlier day; the drawer is taken to open at 0.00" in p.notes


def test_rows_are_taken_by_date_whatever_their_order_in_the_tab():
    p = plan_cash([day(TUE, row=2), day(MON, "100", "150", row=3)], PAYMENTS)
    assert cells(p)[(TUE.isoformat(), "expected")] == M("165.00")


def test_a_second_row_for_the_same_date_is_flagged_and_left_alone():
    p = plan_cash([day(MON, "100", row=2), day(MON, "70", "70", row=3)], PAYMENTS)
    assert [(w.row, w.field, w.after) for w in p.writes if w.row == 3] == [(3, "status", "Duplicate date")]
    assert cells(p)[(MON.isoformat(), "expected")] == M("155.00")
    assert p.problems == (RowProblem("cash", 3, MON.isoformat(), "Duplicate date (also on row 2); keep one row per day"),)


def test_a_cell_that_cannot_be_read_shows_as_a_problem_status():
    p = plan_cash([day(MON, errors=("Counted: 'lots' is not a number",)),
                   day(None, errors=("Date: '32.11.' is not a date",), row=3)], PAYMENTS)
    assert cells(p) == {(MON.isoformat(), "status"): "Problem: Counted: 'lots' is not a number",
                        ("", "status"): "Problem: Date: '32.11.' is not a date"}
    assert p.problems == (RowProblem("cash", 2, MON.isoformat(), "Counted: 'lots' is not a number"),
                          RowProblem("cash", 3, "", "Date: '32.11.' is not a date"))


@pytest.mark.parametrize("counted", [None, "155.00", "150", "160.50"])
def test_a_day_read_and_reconciled_is_no_problem_even_short_or_over(counted):
    assert plan_cash([day(MON, "100", counted)], PAYMENTS).problems == ()


def test_cash_taken_on_a_day_without_a_row_is_told():
    p = plan_cash([day(MON, "100")], PAYMENTS)
    assert p.notes == ("Cash payments on 2026-11-17 (in 15.00, out 0.00) but no Cash row for that day",)


def test_only_cells_whose_value_changes_are_written():
    shown = day(MON, "100", "150", cash_in=M("65.00"), cash_out=M("10.00"), expected=M("155.00"),
                variance=M("-5.00"), status="Short")
    assert plan_cash([shown], PAYMENTS).writes == ()
    recount = replace(shown, counted=M("155"))
    assert cells(plan_cash([recount], PAYMENTS)) == {(MON.isoformat(), "variance"): M("0.00"),
                                                     (MON.isoformat(), "status"): "Balanced"}


def test_no_yen_cents():
    p = plan_cash([day(MON, "1000")], [pay(MON, "500")], minor=M("1"))
    assert cells(p)[(MON.isoformat(), "expected")] == M("1500")


CASH_DAY = st.tuples(st.integers(0, 9), st.none() | st.integers(0, 50000), st.none() | st.integers(0, 50000))
PAYMENT = st.tuples(st.integers(0, 9), st.integers(-5000, 20000).filter(bool), st.sampled_from(["Cash", "Card"]),
                    st.booleans())
START = date(2026, 11, 1)


def cents(n):
    return None if n is None else M(n).scaleb(-2)


@settings(max_examples=200, deadline=None)
@given(st.lists(CASH_DAY, max_size=10, unique_by=lambda d: d[0]), st.lists(PAYMENT, max_size=30))
def test_the_drawer_adds_up_and_a_second_plan_changes_nothing(day_specs, payment_specs):
    days = tuple(day(START + timedelta(days=d), cents(o), cents(c), row=i + 2)
                 for i, (d, o, c) in enumerate(day_specs))
    payments = [pay(START + timedelta(days=d), cents(a), method=m, applied=ok, row=i + 2)
                for i, (d, a, m, ok) in enumerate(payment_specs)]
    after = commit(days, plan_cash(days, payments))
    carried = M(0)
    for d in sorted(after, key=lambda d: d.date):
        taken = [p.amount for p in payments if p.date == d.date and p.method == "Cash" and p.applied]
        assert d.cash_in == sum(a for a in taken if a > 0) and d.cash_out == -sum(a for a in taken if a < 0)
        assert d.expected == (d.opening if d.opening is not None else carried) + d.cash_in - d.cash_out
        if d.counted is None:
            assert d.variance is None and d.status == "Open"
        else:
            assert d.counted == d.expected + d.variance
            assert d.status == {-1: "Short", 0: "Balanced", 1: "Over"}[(d.variance > 0) - (d.variance < 0)]
        carried = d.counted if d.counted is not None else d.expected
    assert plan_cash(after, payments).writes == ()
