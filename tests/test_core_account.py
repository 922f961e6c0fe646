"""core.account: a client's figures as of a moment, table-driven."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from sheetbill.core.account import AccountStatus, account_of, accounts, series_key
from sheetbill.core.model import Allocation, Client, Invoice, InvoiceStatus, Payment

OPEN, PAID, PARTIALLY_PAID, VOID = AccountStatus.OPEN, AccountStatus.PAID, AccountStatus.PARTIALLY_PAID, AccountStatus.VOID

D = Decimal
NOV = date(2026, 11, 1)


def day(n: int) -> date:
    return NOV + timedelta(n - 1)


def inv(number: str, issued: int, total: str, status: str = "Finalized", client: str = "C-1",
        credits: str = "") -> Invoice:
    amount = D(total)
    return Invoice(invoice_no=number, issue_date=day(issued), due_date=day(issued) + timedelta(14),
                   client_id=client, client_name="", session_ids=(credits,) if credits else (),
                   net=amount, tax=D(0), total=amount, paid=D(0), balance=amount, status=InvoiceStatus(status))


def pay(row: int, paid: int, amount: str, applied: str, client: str = "C-1", receipt: str = "") -> Payment:
    allocs = tuple(Allocation(ref, D(a)) for ref, a in (part.rsplit(" ", 1) for part in applied.split("; ") if part))
    return Payment(row=row, payment_id=f"P-{row}", date=day(paid), client=client, invoice_no="", amount=D(amount),
                   method="Cash", reference="", applied=allocs, receipt_no=receipt, receipt_sent_at="", problem="")


def account(invoices, payments):
    return account_of("C-1", invoices, payments, lambda p: p.client or None,
                      credit_note=lambda n: n.startswith("CN-"))


# Lena Wagner's batch: three invoices made in one run, nothing paid
BATCH = [inv("INV-5", 29, "25.00"), inv("INV-19", 29, "60.00"), inv("INV-20", 29, "25.00"),
         inv("INV-23", 29, "89.75")]


@pytest.mark.parametrize("invoices, payments, number, today, expected", [
    # (total, paid, balance, previous, amount due, status)
    pytest.param(BATCH, [], "INV-5", 29, ("25.00", "0", "25.00", "0", "25.00", OPEN),
                 id="first of a batch: later invoices are not previous"),
    pytest.param(BATCH, [], "INV-20", 29, ("25.00", "0", "25.00", "85.00", "110.00", OPEN),
                 id="third of a batch: the two before it"),
    pytest.param(BATCH, [], "INV-23", 29, ("89.75", "0", "89.75", "110.00", "199.75", OPEN),
                 id="last of a batch"),
    pytest.param([inv("INV-1", 29, "58.50")], [pay(2, 28, "58.50", "INV-1 58.50")], "INV-1", 29,
                 ("58.50", "58.50", "0.00", "0", "0", PAID), id="paid at the desk before the invoice was made"),
    pytest.param([inv("INV-1", 2, "65.00"), inv("INV-2", 20, "65.00")], [pay(2, 10, "15", "INV-1 15")],
                 "INV-2", 21, ("65.00", "0", "65.00", "50.00", "115.00", OPEN), id="earlier invoice part paid"),
    pytest.param([inv("INV-1", 2, "65.00"), inv("INV-2", 20, "65.00")], [pay(2, 10, "15", "INV-1 15")],
                 "INV-1", 21, ("65.00", "15", "50.00", "0", "50.00", PARTIALLY_PAID), id="partially paid"),
    pytest.param([inv("INV-1", 2, "52.00", status="Void"), inv("CN-1", 5, "-52.00", credits="INV-1"),
                  inv("INV-2", 5, "52.00")], [pay(2, 3, "20", "INV-1 20.00; INV-2 20.00")],
                 "INV-2", 5, ("52.00", "20.00", "32.00", "0", "32.00", PARTIALLY_PAID),
                 id="payment moved to the new invoice after a void"),
    pytest.param([inv("INV-1", 2, "52.00", status="Void"), inv("CN-1", 5, "-52.00", credits="INV-1")],
                 [pay(2, 3, "20", "INV-1 20.00")], "INV-1", 5, ("52.00", "0", "0", "0", "0", VOID),
                 id="a void invoice asks for nothing: what was paid on it is credit (its cancellation)"),
    pytest.param([inv("INV-1", 2, "30.00")], [pay(2, 1, "50", "Credit 50.00; INV-1 30.00")], "INV-1", 3,
                 ("30.00", "30.00", "0.00", "-20.00", "0", PAID), id="paid from credit, credit left"),
    pytest.param([inv("INV-1", 2, "30.00"), inv("INV-2", 3, "40.00")], [pay(2, 1, "10", "Credit 10.00")],
                 "INV-2", 3, ("40.00", "0", "40.00", "20.00", "60.00", OPEN),
                 id="unapplied credit lowers the previous balance"),
])
def test_invoice_figures(invoices, payments, number, today, expected):
    f = account(invoices, payments).invoice(number, day(today))
    total, paid, balance, previous, due, status = expected
    assert (f.total, f.paid, f.balance, f.previous_balance, f.amount_due, f.status) == \
        (D(total), D(paid), D(balance), D(previous), D(due), status)
    assert f.is_paid == (status == PAID)


def test_invoice_lists_its_payments_with_receipt_numbers():
    a = account([inv("INV-1", 2, "100")], [pay(2, 3, "40", "INV-1 40", receipt="RCPT-1"), pay(3, 4, "10", "INV-1 10")])
    assert [(p.date, p.reference, p.amount) for p in a.invoice("INV-1", day(5)).payments] == \
        [(day(3), "RCPT-1", D("40")), (day(4), "P-3", D("10"))]


def test_a_credit_note_asks_for_nothing():
    f = account([inv("INV-1", 2, "52"), inv("CN-1", 5, "-52", credits="INV-1")], []).invoice("CN-1", day(5))
    assert (f.total, f.amount_due, f.status, f.is_paid) == (D("-52"), D(0), "Credit note", False)


@pytest.mark.parametrize("payments, pid, expected", [
    # (kind, amount, allocations, unapplied, still open, credit)
    pytest.param([pay(2, 10, "50", "INV-1 50")], "P-2", ("receipt", "50", ["INV-1 50"], "0", "15.00", "0"),
                 id="invoices issued after the payment do not count as still open"),
    pytest.param([pay(2, 21, "100", "INV-1 65.00; INV-2 30.00; Credit 5.00")], "P-2",
                 ("receipt", "100", ["INV-1 65.00", "INV-2 30.00"], "5.00", "40.00", "5.00"),
                 id="more than the invoice named"),
    pytest.param([pay(2, 10, "10", "Credit 10.00; INV-2 10.00"), pay(3, 21, "20", "INV-1 20")], "P-2",
                 ("receipt", "10", [], "10", "65.00", "10.00"),
                 id="credit applied later is not on the receipt"),
    pytest.param([pay(2, 10, "10", "Credit 10.00; INV-2 10.00"), pay(3, 21, "20", "INV-1 20")], "P-3",
                 ("receipt", "20", ["INV-1 20"], "0", "105.00", "0"), id="a later receipt counts earlier money"),
    pytest.param([pay(2, 5, "70", "INV-1 65.00; Credit 5.00"), pay(3, 6, "-5", "Refund -5.00")], "P-3",
                 ("refund", "5", [], "0", "0", "0"), id="refund"),
])
def test_receipt_figures(payments, pid, expected):
    a = account([inv("INV-1", 2, "65.00"), inv("INV-2", 20, "70.00")], payments)
    f = a.receipt(pid)
    kind, amount, allocations, unapplied, still_open, credit = expected
    assert (f.kind, f.amount, [f"{x.invoice_no} {x.amount}" for x in f.allocations], f.unapplied,
            f.still_open, f.credit) == (kind, D(amount), allocations, D(unapplied), D(still_open), D(credit))


@pytest.mark.parametrize("payment, still_open, credit, on", [
    pytest.param(pay(2, 10, "50", "INV-1 50"), "15.00", "0", 10, id="the payment's own date"),
    pytest.param(pay(2, 1, "50", "INV-1 50"), "15.00", "0", 2,
                 id="paid before the invoice it paid was made: what that invoice still asks"),
    pytest.param(pay(2, 1, "70", "INV-1 65.00; INV-2 5.00"), "65.00", "0", 20,
                 id="as of the newest invoice it paid, whose rest is open"),
    pytest.param(pay(2, 1, "80", "Credit 80.00"), "0", "80.00", 1, id="all kept as credit: its own date"),
    pytest.param([pay(2, 1, "70", "INV-1 65.00; INV-2 5.00"), pay(3, 20, "65", "INV-2 65.00")], "0", "0", 20,
                 id="as of that day's end: a payment of that day counts"),
])
def test_a_receipt_never_says_nothing_is_open_beside_an_invoice_it_left_open(payment, still_open, credit, on):
    payments = payment if isinstance(payment, list) else [payment]
    f = account([inv("INV-1", 2, "65.00"), inv("INV-2", 20, "70.00")], payments).receipt("P-2")
    assert (f.still_open, f.credit, f.on) == (D(still_open), D(credit), day(on))


@pytest.mark.parametrize("applied, on", [
    ("INV-2 40.00", [day(3)]),  # paid at the desk before the invoice existed: from the payment's date
    ("Credit 40.00; INV-2 40.00", [day(20)]),  # credit applied later: from the invoice's date
    ("INV-1 40.00; INV-2 40.00", [day(3), day(20)]),  # moved after a void: the second one is later
])
def test_when_money_counts(applied, on):
    a = account([inv("INV-1", 2, "40", status="Void"), inv("INV-2", 20, "40")], [pay(2, 3, "40", applied)])
    assert [x.on for x in a.received[0].applications] == on


def test_other_clients_and_unapplied_payments_are_not_on_the_account():
    clients = [Client(row=2, client_id="C-1", name="Anna", email="", address="", discount=None, terms_days=14,
                      invoice_mode=None, tax_id=""),
               Client(row=3, client_id="C-2", name="Jonas", email="", address="", discount=None, terms_days=14,
                      invoice_mode=None, tax_id="")]
    invoices = [inv("INV-1", 2, "10"), inv("INV-2", 2, "20", client="C-2"), inv("DRAFT-S-1", 2, "5", status="Draft")]
    payments = [pay(2, 3, "5", "INV-1 5", client=""), pay(3, 3, "7", "", client="C-1"),
                pay(4, 3, "9", "Credit 9", client="Anna")]
    books = accounts(clients, invoices, payments)
    assert [c.invoice_no for c in books["C-1"].charges] == ["INV-1"]
    assert [r.payment_id for r in books["C-1"].received] == ["P-2", "P-4"]
    assert books["C-1"].credit(day(3)) == D("9") and books["C-2"].received == ()


def test_series_order_is_numeric():
    assert sorted(["INV-10", "INV-9", "INV-100"], key=series_key) == ["INV-9", "INV-10", "INV-100"]


VOIDED_LATER = ([inv("INV-1", 1, "50.00", status="Void"), inv("INV-2", 3, "50.00"),
                 inv("CN-1", 10, "-50.00", credits="INV-1")],
                [pay(2, 2, "50.00", "INV-1 50.00; INV-2 50.00")])  # freed by the void on 10 Nov, put on INV-2


@pytest.mark.parametrize("on, paid_on_inv2, credit, open_inv1", [
    (5, "0", "0", "0"),  # before the void: INV-1 is paid, INV-2 is open, no credit
    (10, "50.00", "0", "0"),  # the void frees the money, which pays INV-2 that day
])
def test_money_freed_by_a_void_counts_from_the_credit_notes_date(on, paid_on_inv2, credit, open_inv1):
    a = account(*VOIDED_LATER)
    assert a.paid_on("INV-2", day(on)) == D(paid_on_inv2)
    assert a.credit(day(on)) == D(credit)
    assert [o.invoice_no for o in a.open_invoices(day(on))] == ([] if on >= 10 else ["INV-2"])


VOID_ON_5 = [inv("INV-1", 2, "20.00", status="Void"), inv("CN-1", 5, "-20.00", credits="INV-1")]


@pytest.mark.parametrize("invoices, applied, amount, on, expected", [
    pytest.param([inv("INV-1", 2, "30.00")], "INV-1 30.00; Credit 20.00", "50", 3, "INV-1 30.00; Credit 20.00",
                 id="what it paid when it was applied, the rest credit"),
    pytest.param([inv("INV-1", 10, "30.00")], "INV-1 30.00; Credit 20.00", "50", 9, "Credit 50",
                 id="paid before the invoice was issued: credit until then"),
    pytest.param([inv("INV-1", 10, "30.00")], "INV-1 30.00; Credit 20.00", "50", 10, "INV-1 30.00; Credit 20.00",
                 id="and on the invoice from its issue date"),
    pytest.param([inv("INV-1", 2, "30.00"), inv("INV-2", 10, "40.00")], "INV-1 30.00; Credit 20.00; INV-2 20.00",
                 "50", 9, "INV-1 30.00; Credit 20.00", id="credit a later invoice uses is credit before it"),
    pytest.param([inv("INV-1", 2, "30.00"), inv("INV-2", 10, "40.00")], "INV-1 30.00; Credit 20.00; INV-2 20.00",
                 "50", 10, "INV-1 30.00; INV-2 20.00", id="and on that invoice from its issue date"),
    pytest.param(VOID_ON_5 + [inv("INV-2", 5, "20.00")], "INV-1 20.00; INV-2 20.00", "20", 4, "INV-1 20.00",
                 id="on the invoice until its credit note"),
    pytest.param(VOID_ON_5 + [inv("INV-2", 5, "20.00")], "INV-1 20.00; INV-2 20.00", "20", 5, "INV-2 20.00",
                 id="moved by the void to the invoice billed again"),
    pytest.param(VOID_ON_5 + [inv("INV-2", 8, "20.00")], "INV-1 20.00; INV-2 20.00", "20", 6, "Credit 20",
                 id="credit between the void and the new invoice"),
    pytest.param([inv("INV-1", 2, "30.00"), inv("INV-2", 2, "30.00")], "INV-1 30.00; INV-2 30.00", "40", 3,
                 "INV-1 30.00; INV-2 10.00", id="never more than the payment"),
    pytest.param([], "Refund -20.00", "-20", 3, "Refund -20", id="a refund"),
])
def test_where_a_payments_money_was_at_a_periods_end(invoices, applied, amount, on, expected):
    a = account(invoices, [pay(2, 3, amount, applied)])
    assert "; ".join(f"{x.invoice_no} {x.amount}" for x in a.payment_on("P-2", day(on))) == expected
