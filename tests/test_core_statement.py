"""core.statement: balances, entries, credit and aging of a client's statement."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetbill.core.model import Allocation, Client, Invoice, InvoiceStatus, Payment
from sheetbill.core.statement import Aging, statement_for

D = Decimal
CLIENT = Client(row=2, client_id="C-1", name="Anna Meier", email="anna@example.org",
                address="", discount=None, terms_days=14, invoice_mode=None, tax_id="")
OTHER = "C-2"


def invoice(number: str, issued: date, total: str, client: str = "C-1", status: str = "Finalized",
            due: date | None = None, credits: str = "") -> Invoice:
    amount = D(total)
    return Invoice(invoice_no=number, issue_date=issued, due_date=due or issued + timedelta(14),
                   client_id=client, client_name="", session_ids=(credits,) if credits else (),
                   net=amount, tax=D(0), total=amount, paid=D(0), balance=amount, status=InvoiceStatus(status))


def payment(row: int, paid: date, amount: str, *applied: tuple[str, str], client: str = "") \
        -> Payment:
    return Payment(row=row, payment_id=f"P-{row}", date=paid, client=client, invoice_no="",
                   amount=D(amount), method="Card", reference=f"ref {row}",
                   applied=tuple(Allocation(no, D(a)) for no, a in applied),
                   receipt_no="", receipt_sent_at="", problem="")


OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)
END = date(2026, 11, 30)

LEDGER = (
    invoice("INV-1", date(2026, 9, 10), "100.00"),                     # before: paid in Sept
    invoice("INV-2", date(2026, 9, 20), "80.00"),                      # before: paid in Nov
    invoice("INV-3", date(2026, 10, 5), "50.00", status="Void"),       # voided in the period
    invoice("CN-1", date(2026, 10, 6), "-50.00", credits="INV-3"),
    invoice("INV-4", date(2026, 11, 3), "120.00"),                     # half paid
    invoice("INV-5", date(2026, 12, 2), "60.00"),                      # after the period
    invoice("INV-X", date(2026, 10, 7), "999.00", client=OTHER),       # another client
    invoice("DRAFT-S-9", date(2026, 10, 8), "70.00", status="Draft"),  # not billed yet
)
PAYMENTS = (  # Applied To as the payments plan writes it
    payment(2, date(2026, 9, 25), "100.00", ("INV-1", "100.00")),
    payment(3, date(2026, 11, 10), "150.00", ("INV-2", "80.00"), ("inv-4 ", "60.00"),
            ("Credit", "10.00")),
    payment(4, date(2026, 11, 12), "25.00", ("Credit", "25.00"), client="Anna Meier"),
    payment(5, date(2026, 11, 13), "999.00", ("INV-X", "999.00"), client=OTHER),
    payment(6, date(2026, 11, 14), "40.00", client="C-1"),  # not applied yet: not counted
)


def test_the_statement_of_a_busy_quarter():
    s = statement_for(CLIENT, LEDGER, PAYMENTS, OCT, END, today=date(2026, 12, 5))
    assert s.opening == D("80.00")  # INV-2 open at 1 Oct
    assert [(e.date.day, e.kind, e.reference, e.invoice_no, e.amount, e.balance)
            for e in s.entries] == [
        (5, "invoice", "INV-3", "INV-3", D("50.00"), D("130.00")),
        (6, "credit_note", "CN-1", "INV-3", D("-50.00"), D("80.00")),
        (3, "invoice", "INV-4", "INV-4", D("120.00"), D("200.00")),
        (10, "payment", "P-3", "INV-2, INV-4", D("-140.00"), D("60.00")),
        (12, "payment", "P-4", "", D("0.00"), D("60.00")),  # kept as credit: shown, balance unchanged
    ]
    assert [e.received for e in s.entries[3:]] == [D("150.00"), D("25.00")]
    assert (s.invoiced, s.paid, s.closing) == (D("120.00"), D("140.00"), D("60.00"))
    assert s.credit == D("35.00")  # 10 left of P-3, and P-4
    assert s.due == D("25.00")
    assert [(i.invoice_no, i.open, i.days_overdue) for i in s.open_items] == \
        [("INV-4", D("60.00"), 18), ("INV-5", D("60.00"), -11)]
    assert s.aging == Aging(not_due=D("60.00"), days_0_30=D("60.00"))
    assert s.entries[3].method == "Card" and s.entries[3].payment_reference == "ref 3"


@pytest.mark.parametrize("days, bucket", [
    (-1, "not_due"), (0, "days_0_30"), (30, "days_0_30"), (31, "days_31_60"),
    (60, "days_31_60"), (61, "days_61_90"), (90, "days_61_90"), (91, "over_90"),
    (400, "over_90"),
])
def test_aging_buckets(days, bucket):
    due = date(2026, 6, 1)
    s = statement_for(CLIENT, [invoice("INV-1", date(2026, 5, 1), "10.00", due=due)], [],
                      OCT, END, today=due + timedelta(days))
    assert getattr(s.aging, bucket) == D("10.00") and s.aging.total == D("10.00")


def test_credit_applied_to_a_later_invoice_counts_when_that_invoice_is_issued():
    ledger = [invoice("INV-1", date(2026, 9, 1), "40.00"),
              invoice("INV-2", date(2026, 11, 5), "30.00")]
    payments = [payment(2, date(2026, 9, 15), "70.00", ("INV-1", "40.00"), ("Credit", "30.00"),
                        ("INV-2", "30.00"))]  # as the payments plan appends it
    october = statement_for(CLIENT, ledger, payments, OCT, date(2026, 10, 31), date(2026, 10, 31))
    assert (october.opening, october.closing, october.credit) == (D(0), D(0), D("30.00"))
    november = statement_for(CLIENT, ledger, payments, NOV, END, END)
    assert november.opening == october.closing
    assert [(e.date, e.amount) for e in november.entries] == \
        [(date(2026, 11, 5), D("30.00")), (date(2026, 11, 5), D("-30.00"))]
    assert (november.closing, november.credit, november.open_items) == (D(0), D(0), ())


def test_payments_are_the_clients_by_name_id_or_allocation():
    ledger = [invoice("INV-1", OCT, "100.00"), invoice("INV-X", OCT, "100.00", client=OTHER)]
    payments = [payment(2, OCT, "5", ("Credit", "5"), client="C-1"),
                payment(3, OCT, "6", ("Credit", "6"), client=" Anna  Meier "),
                payment(4, OCT, "7", ("Credit", "7"), client="anna meier"),
                payment(5, OCT, "8", ("Credit", "8"), client=OTHER),
                payment(6, OCT, "9", ("INV-1", "9")),
                payment(7, OCT, "10", ("INV-X", "10"))]
    s = statement_for(CLIENT, ledger, payments, OCT, END, END)
    assert (s.credit, s.paid) == (D("11"), D("9"))


def test_money_paid_on_a_voided_invoice_is_credit_until_a_refund():
    ledger = [invoice("INV-1", date(2026, 10, 2), "50.00", status="Void"),
              invoice("CN-1", date(2026, 10, 9), "-50.00", credits="INV-1")]
    payments = [payment(2, date(2026, 10, 5), "50.00", ("INV-1", "50.00")),
                payment(3, date(2026, 11, 20), "-50.00", ("Refund", "-50.00"), client="C-1")]
    october = statement_for(CLIENT, ledger, payments, OCT, date(2026, 10, 31), NOV)
    # paid on 5 Oct while the invoice was live; on 9 Oct its credit note cancels it and the
    # money leaves it for the client's credit
    assert [(e.kind, e.amount) for e in october.entries] == \
        [("invoice", D("50.00")), ("payment", D("-50.00")), ("credit_note", D("-50.00")), ("released", D("50.00"))]
    assert (october.closing, october.credit, october.due, october.open_items) == \
        (D(0), D("50.00"), D("-50.00"), ())
    november = statement_for(CLIENT, ledger, payments, NOV, END, END)
    assert (november.closing, november.credit, november.due) == (D(0), D(0), D(0))


def test_an_empty_period_and_a_backwards_one():
    s = statement_for(CLIENT, [], [], OCT, OCT, OCT)
    assert (s.opening, s.entries, s.closing, s.credit, s.aging.total) == (0, (), 0, 0, 0)
    with pytest.raises(ValueError, match="ends"):
        statement_for(CLIENT, [], [], NOV, OCT, NOV)


def test_amounts_are_rounded_to_the_minor_unit():
    s = statement_for(CLIENT, [invoice("INV-1", OCT, "1000")], [], OCT, END, END, minor=D("1"))
    assert str(s.closing) == "1000"


# properties ---------------------------------------------------------------

DAYS = st.integers(min_value=0, max_value=200).map(lambda n: date(2026, 6, 1) + timedelta(n))
AMOUNTS = st.integers(min_value=1, max_value=50_000).map(lambda n: D(n) / 100)


@st.composite
def ledgers(draw):  # noqa: ANN001, ANN201 - hypothesis strategy
    count = draw(st.integers(0, 8))
    invoices = [invoice(f"INV-{n}", draw(DAYS), str(draw(AMOUNTS)),
                        client=draw(st.sampled_from(["C-1", "C-1", OTHER])),
                        status=draw(st.sampled_from(["Finalized", "Paid", "Void"])))
                for n in range(count)]
    payments = []
    for row in range(2, 2 + draw(st.integers(0, 6))):
        applied = []
        if invoices:
            for target in draw(st.lists(st.sampled_from(invoices), max_size=3, unique=True)):
                applied.append((target.invoice_no, str(draw(AMOUNTS))))
        if draw(st.booleans()):
            applied.append(("Credit", str(draw(AMOUNTS))))
        payments.append(payment(row, draw(DAYS), str(draw(AMOUNTS)), *applied,
                                client=draw(st.sampled_from(["", "C-1", OTHER]))))
    return invoices, payments


@settings(max_examples=200, deadline=None)
@given(ledgers(), DAYS, st.integers(0, 120), st.integers(0, 120))
def test_opening_plus_invoiced_minus_paid_is_closing(ledger, start, length, later):
    invoices, payments = ledger
    end = start + timedelta(length)
    s = statement_for(CLIENT, invoices, payments, start, end, end + timedelta(later))
    assert s.opening + s.invoiced - s.paid == s.closing
    if s.entries:
        assert s.entries[-1].balance == s.closing
    assert [e.date for e in s.entries] == sorted(e.date for e in s.entries)
    assert all(start <= e.date <= end for e in s.entries)
    assert s.aging.total == sum((i.open for i in s.open_items), D(0))
    assert s.credit >= 0


@settings(max_examples=200, deadline=None)
@given(ledgers(), DAYS, st.integers(0, 90), st.integers(1, 90))
def test_one_periods_closing_is_the_next_periods_opening(ledger, start, first, second):
    invoices, payments = ledger
    middle = start + timedelta(first)
    one = statement_for(CLIENT, invoices, payments, start, middle, middle)
    two = statement_for(CLIENT, invoices, payments, middle + timedelta(1),
                        middle + timedelta(second), middle)
    both = statement_for(CLIENT, invoices, payments, start, middle + timedelta(second), middle)
    assert two.opening == one.closing and both.closing == two.closing
    assert both.entries == one.entries + two.entries


def test_an_invoice_comes_before_the_credit_note_that_cancels_it_on_the_same_day():
    ledger = [invoice("INV-2026-0007", NOV, "55.00", status="Void"),
              invoice("CN-2026-0001", NOV, "-55.00", credits="INV-2026-0007")]
    s = statement_for(CLIENT, ledger, [], NOV, END, END, credit_note=lambda n: n.startswith("CN-"))
    assert [(e.kind, e.balance) for e in s.entries] == [("invoice", D("55.00")), ("credit_note", D("0.00"))]


def test_nothing_to_pay_only_when_nothing_is_open():
    # the period's closing balance is 0, but an invoice issued since is open on the statement's date
    ledger = [invoice("INV-1", date(2026, 12, 2), "386.23")]
    s = statement_for(CLIENT, ledger, [], OCT, END, today=date(2026, 12, 5))
    assert (s.due, s.aging.total, s.nothing_to_pay) == (D(0), D("386.23"), False)
    paid = statement_for(CLIENT, ledger, [payment(2, date(2026, 12, 3), "386.23", ("INV-1", "386.23"))],
                         OCT, END, today=date(2026, 12, 5))
    assert paid.nothing_to_pay


def test_a_refund_is_listed_on_its_date_and_takes_back_credit():
    payments = [payment(2, date(2026, 10, 5), "50.00", ("Credit", "50.00"), client="C-1"),
                payment(3, date(2026, 10, 9), "-20.00", ("Refund", "-20.00"), client="C-1")]
    s = statement_for(CLIENT, [], payments, OCT, END, END)
    assert [(e.kind, e.received, e.amount) for e in s.entries] == \
        [("payment", D("50.00"), D("0.00")), ("refund", D("-20.00"), D("0.00"))]
    assert (s.received, s.credit, s.due) == (D("30.00"), D("30.00"), D("-30.00"))


# INV-1 and INV-2 paid on 3 Oct and voided by credit notes of 9 and 12 Oct
TWO_VOIDS = [invoice("INV-1", date(2026, 10, 2), "65.00", status="Void"),
             invoice("INV-2", date(2026, 10, 2), "65.00", status="Void"),
             invoice("CN-1", date(2026, 10, 9), "-65.00", credits="INV-1"),
             invoice("CN-2", date(2026, 10, 12), "-65.00", credits="INV-2")]
BOTH_PAID = [payment(2, date(2026, 10, 3), "65.00", ("INV-1", "65.00")),
             payment(3, date(2026, 10, 3), "65.00", ("INV-2", "65.00"))]


@pytest.mark.parametrize("payments, expected", [
    # the refund's line: (what of it is owed until its credit comes, the voids whose credit settles it)
    pytest.param([*BOTH_PAID, payment(4, date(2026, 10, 5), "-10.00", ("Refund", "-10.00"), client="C-1")],
                 (D("10.00"), "INV-1"), id="ahead of the first void"),
    pytest.param([*BOTH_PAID, payment(4, date(2026, 10, 5), "-100.00", ("Refund", "-100.00"), client="C-1")],
                 (D("100.00"), "INV-1, INV-2"), id="ahead of both voids"),
    pytest.param([*BOTH_PAID, payment(4, date(2026, 10, 4), "4.00", ("Credit", "4.00"), client="C-1"),
                  payment(5, date(2026, 10, 5), "-10.00", ("Refund", "-10.00"), client="C-1")],
                 (D("6.00"), "INV-1"), id="part out of the credit there was"),
    pytest.param([*BOTH_PAID, payment(4, date(2026, 10, 10), "-10.00", ("Refund", "-10.00"), client="C-1")],
                 (D("0"), ""), id="after a void: out of its credit"),
])
def test_a_refund_ahead_of_its_credit_names_the_voids_that_settle_it(payments, expected):
    s = statement_for(CLIENT, TWO_VOIDS, payments, OCT, date(2026, 10, 31), NOV)
    (refund,) = [e for e in s.entries if e.kind == "refund"]
    assert (refund.ahead, refund.settled_by) == expected
    assert refund.amount == refund.ahead  # the balance counts it owed, as the line says


@pytest.mark.parametrize("payments, expected", [
    # each void's money back: (the change of the balance, the refunds it settles: their date and how much)
    pytest.param([*BOTH_PAID, payment(4, date(2026, 10, 5), "-10.00", ("Refund", "-10.00"), client="C-1")],
                 [(D("55.00"), ((date(2026, 10, 5), D("10.00")),)), (D("65.00"), ())], id="ahead of the first void"),
    pytest.param([*BOTH_PAID, payment(4, date(2026, 10, 5), "-100.00", ("Refund", "-100.00"), client="C-1")],
                 [(D("0.00"), ((date(2026, 10, 5), D("65.00")),)), (D("30.00"), ((date(2026, 10, 5), D("35.00")),))],
                 id="ahead of both voids"),
    pytest.param([*BOTH_PAID, payment(4, date(2026, 10, 5), "-10.00", ("Refund", "-10.00"), client="C-1"),
                  payment(5, date(2026, 10, 6), "-5.00", ("Refund", "-5.00"), client="C-1")],
                 [(D("50.00"), ((date(2026, 10, 5), D("10.00")), (date(2026, 10, 6), D("5.00")))), (D("65.00"), ())],
                 id="two refunds ahead"),
    pytest.param([*BOTH_PAID, payment(4, date(2026, 10, 10), "-10.00", ("Refund", "-10.00"), client="C-1")],
                 [(D("65.00"), ()), (D("65.00"), ())], id="after a void: it settles nothing"),
])
def test_the_money_a_void_sets_free_says_which_refund_paid_back_ahead_it_settles(payments, expected):
    for start in (OCT, date(2026, 10, 8)):  # also when the refund is before the period
        s = statement_for(CLIENT, TWO_VOIDS, payments, start, date(2026, 10, 31), NOV)
        released = [e for e in s.entries if e.kind == "released"]
        assert [(e.amount, e.settles) for e in released] == expected
        assert all(e.amount + e.settled == D("65.00") for e in released)


def test_a_refund_ahead_of_two_voids_of_one_day_is_settled_by_the_one_its_row_names():
    voids = [*TWO_VOIDS[:2], invoice("CN-1", date(2026, 10, 9), "-65.00", credits="INV-1"),
             invoice("CN-2", date(2026, 10, 9), "-65.00", credits="INV-2")]
    refund = replace(payment(4, date(2026, 10, 5), "-10.00", ("Refund", "-10.00"), client="C-1"), invoice_no="INV-2")
    s = statement_for(CLIENT, voids, [*BOTH_PAID, refund], OCT, date(2026, 10, 31), NOV)
    (line,) = [e for e in s.entries if e.kind == "refund"]
    assert (line.ahead, line.settled_by) == (D("10.00"), "INV-2")
    assert [(e.invoice_no, e.amount, e.settles) for e in s.entries if e.kind == "released"] == [
        ("INV-2", D("55.00"), ((date(2026, 10, 5), D("10.00")),)), ("INV-1", D("65.00"), ())]
