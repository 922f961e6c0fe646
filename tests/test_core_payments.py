"""The payment plan: allocations, receipts, balances and credit, as the admin sees them."""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetbill.core.billing import BillingRules, plan_billing
from sheetbill.core.model import Allocation, Client, Invoice, InvoiceStatus, Ledger, Payment, ServicePrice, Session
from sheetbill.core.model import SessionStatus
from sheetbill.core.numbering import gaps_and_duplicates
from sheetbill.core.status import invoice_status
from sheetbill.core.payments import (PaymentRules, format_applied, parse_applied,
                                     plan_payments)

TODAY = date(2026, 11, 21)
M = Decimal
RULES = PaymentRules()
CLIENTS = (Client(2, "C-001", "Anna Meier", "anna@example.com", "", None, None, None, ""),
           Client(3, "C-002", "Jonas Becker", "jonas@example.com", "", None, None, None, ""),
           Client(4, "C-003", "Sofia Rossi", "sofia@example.com", "", None, None, None, ""))


def invoice(no, total, who="C-001", issued=date(2026, 11, 1), status="Finalized", paid="0", sessions=(), row=None):
    known = invoice_status(status)  # as the book reads the cell
    return Invoice(no, issued, issued + timedelta(days=14), who, "", tuple(sessions), M(total), M(0), M(total),
                   M(paid), M(total) - M(paid), known, row=row, unknown_status="" if known else status)


def payment(row=2, pid="", day=date(2026, 11, 10), who="", inv="", amount="50.00", method="Card",
            applied="", receipt="", problem="", errors=()):
    return Payment(row, pid, day, who, inv, None if amount is None else M(amount), method, "",
                   parse_applied(applied), receipt, "", problem, tuple(errors))


@dataclass(frozen=True)
class Book:
    """The workbook's Payments, Invoices and client Balance/Credit cells; `commit` writes a plan into it."""

    payments: tuple[Payment, ...]
    invoices: tuple[Invoice, ...] = ()
    cells: dict = field(default_factory=dict)
    sessions: tuple[Session, ...] = ()

    def run(self):
        ledger = Ledger(self.sessions, CLIENTS, (), self.invoices, (), self.payments)
        return plan_payments(ledger, self.invoices, RULES, TODAY, self.cells)

    def commit(self, plan):
        pays = {p.row: p for p in self.payments}
        invs = {i.invoice_no: i for i in self.invoices}
        cells = dict(self.cells)
        for w in plan.writes:
            if w.tab == "payments":
                value = {"applied": parse_applied(w.after)} if w.field == "applied_to" else {w.field: w.after}
                pays[w.row] = replace(pays[w.row], **value)
            elif w.tab == "invoices":
                after = InvoiceStatus(w.after) if w.field == "status" else w.after  # the cell's text, read back
                invs[w.key] = replace(invs[w.key], **{w.field: after})
            else:
                balance, credit = cells.get(w.key, (None, None))
                cells[w.key] = (w.after, credit) if w.field == "balance" else (balance, w.after)
        return Book(tuple(pays.values()), tuple(invs.values()), cells, self.sessions)


def plan(*payments, invoices=(), sessions=()):
    return Book(tuple(payments), tuple(invoices), {}, tuple(sessions)).run()


def written(p, tab, field):
    return {w.key: w.after for w in p.writes if w.tab == tab and w.field == field}


def problems(p):
    return {pr.row: pr.message for pr in p.problems}


INV1 = invoice("INV-2026-0001", "100.00", issued=date(2026, 11, 2), row=2)
INV2 = invoice("INV-2026-0002", "40.00", issued=date(2026, 11, 1), row=3)
INV3 = invoice("INV-2026-0003", "60.00", who="C-002", row=4)


def test_a_partial_payment_of_an_invoice_leaves_a_balance_and_gets_a_receipt():
    p = plan(payment(inv="INV-2026-0001", amount="30.00", method="cash"), invoices=[INV1, INV2])
    assert written(p, "payments", "payment_id") == {"": "P-00001"}
    assert written(p, "payments", "applied_to") == {"P-00001": "INV-2026-0001 30.00"}
    assert written(p, "payments", "receipt_no") == {"P-00001": "RCPT-2026-0001"}
    assert written(p, "payments", "method") == {"P-00001": "Cash"}
    assert written(p, "invoices", "status") == {"INV-2026-0001": "Partially Paid"}
    assert written(p, "invoices", "paid") == {"INV-2026-0001": M("30.00")}
    assert p.invoice_paid["INV-2026-0001"] == (M("30.00"), M("70.00"), "Partially Paid")
    assert p.client_balances["C-001"] == (M("110.00"), M("0"))  # 70.00 + 40.00 still open
    receipt, = p.receipts
    assert (receipt.receipt_no, receipt.payment_id, receipt.client_id, receipt.method) == \
        ("RCPT-2026-0001", "P-00001", "C-001", "Cash")
    assert receipt.allocations == (Allocation("INV-2026-0001", M("30.00")),)
    assert p.problems == ()


def test_the_rest_of_an_overpayment_pays_the_oldest_open_invoices_then_becomes_credit():
    p = plan(payment(inv="INV-2026-0001", amount="150.00"), invoices=[INV1, INV2])
    assert written(p, "payments", "applied_to") == {
        "P-00001": "INV-2026-0001 100.00; INV-2026-0002 40.00; Credit 10.00"}
    assert written(p, "invoices", "status") == {"INV-2026-0001": "Paid", "INV-2026-0002": "Paid"}
    assert written(p, "invoices", "balance") == {"INV-2026-0001": M("0"), "INV-2026-0002": M("0")}
    assert written(p, "clients", "credit") == {"C-001": M("10.00"), "C-002": M("0"), "C-003": M("0")}


def test_a_payment_naming_only_the_client_pays_the_oldest_invoices_first():
    other = invoice("INV-2026-0004", "25.00", issued=date(2026, 11, 1), row=5)
    p = plan(payment(who="Anna Meier", amount="50.00"), invoices=[INV1, INV2, other])
    assert written(p, "payments", "applied_to") == {"P-00001": "INV-2026-0002 40.00; INV-2026-0004 10.00"}
    assert p.invoice_paid["INV-2026-0001"] == (M("0"), M("100.00"), "Finalized")


def test_time_of_session_billing_applies_the_payment_to_the_invoice_made_this_same_cycle():
    session = Session(2, "S-00001", date(2026, 11, 20), "C-001", "LD60", None, (), None, "", SessionStatus.COMPLETED,
                      "", "", None, "")
    prices = (ServicePrice(2, "LD60", "Massage", M("70.00"), M("0"), "session", None, True),)
    billing = plan_billing(Ledger((session,), CLIENTS, prices, (), ()), BillingRules(), TODAY)
    made, = billing.new_invoices
    p = plan(payment(day=date(2026, 11, 20), inv="S-00001", amount="70.00"), invoices=[made], sessions=[session])
    assert written(p, "payments", "applied_to") == {"P-00001": f"{made.invoice_no} 70.00"}
    assert p.invoice_paid[made.invoice_no] == (M("70.00"), M("0.00"), "Paid")
    assert [w for w in p.writes if w.tab == "invoices"] == []  # not in the tab yet: appended as settled
    assert p.settled([made])[0].status == "Paid"


@pytest.mark.parametrize("pay, message", [
    (payment(errors=("Amount: 'abc' is not a number",)), "Amount: 'abc' is not a number"),
    (payment(amount=None, who="C-001"), "No Amount given"),
    (payment(amount="0", who="C-001"), "Amount is 0; enter the amount received, or a negative amount for a refund"),
    (payment(amount="10.005", who="C-001"), "Amount 10.005 has more decimals than the currency has"),
    (payment(day=None, who="C-001"), "No Date given"),
    (payment(day=date(2026, 11, 22), who="C-001"),
     "Date 2026-11-22 is in the future; enter the payment once it is received"),
    (payment(method="Paypal", who="C-001"), "Unknown Method 'Paypal' (use Card, Bank transfer, Cash or Other)"),
    (payment(method="", who="C-001"), "No Method given (use Card, Bank transfer, Cash or Other)"),
    (payment(inv="INV-2026-0099"),
     "Unknown Invoice No 'INV-2026-0099' (not an Invoice No in Invoices, nor a Session ID on an invoice)"),
    (payment(inv="S-00007"), "Session S-00007 is not invoiced yet; the payment is applied once it is"),
    (payment(who="Ana Meier"), "Unknown client 'Ana Meier' (not a Client ID or exact name in Clients); "
                               "did you mean 'Anna Meier'?"),
    (payment(who="C-002", inv="INV-2026-0001"), "Invoice INV-2026-0001 is for client C-001, not C-002"),
    (payment(inv="INV-2026-0005"),
     "Invoice INV-2026-0005 is void; name the invoice that replaced it, or only the Client"),
    (payment(inv="S-00009"),
     "Invoice INV-2026-0006 is not finalized yet; finalize it first, or name only the Client"),
    (payment(inv="CN-2026-0001"), "CN-2026-0001 is a credit note; name an invoice, or only the Client"),
    (payment(inv="INV-2025-0001"), "Invoice INV-2025-0001 is archived; name another invoice, or only the Client"),
    (payment(who="C-001", amount="-20.00"),
     "Refund of 20.00 is more than client C-001's Credit still there from payments up to 2026-11-10 (0.00)"),
    (payment(who="", inv=""), "No Client or Invoice No given"),
    (payment(inv="INV-2024-0001"), "Invoice INV-2024-0001 is cancelled; name another invoice, or only the Client"),
    (payment(inv="INV-2024-0002"), "Invoice INV-2024-0002 is without a Status; name another invoice, or only the Client"),
])
def test_a_payment_that_cannot_be_applied_says_why_and_is_left_alone(pay, message):
    invoices = [INV1, invoice("INV-2026-0005", "10.00", status="Void"),
                invoice("INV-2026-0006", "10.00", status="Draft", sessions=["S-00009"]),
                invoice("CN-2026-0001", "-10.00"), invoice("INV-2025-0001", "10.00", status="Archived"),
                invoice("INV-2024-0001", "10.00", status="Cancelled"), invoice("INV-2024-0002", "10.00", status="")]
    sessions = [Session(9, "S-00007", TODAY, "C-001", "LD60", None, (), None, "", SessionStatus.SCHEDULED, "", "", None, "")]
    p = plan(pay, invoices=invoices, sessions=sessions)
    assert problems(p) == {2: message}
    assert written(p, "payments", "problem") == {"P-00001": message}
    assert p.receipts == () and written(p, "payments", "applied_to") == {}
    assert written(p, "invoices", "paid") == {}


def test_a_fixed_row_is_applied_next_cycle_and_its_problem_cleared():
    book = Book((payment(method="Paypal", who="C-001"),), (INV1,))
    book = book.commit(book.run())
    fixed = Book((replace(book.payments[0], method="Bank transfer"),), book.invoices, book.cells)
    p = fixed.run()
    assert written(p, "payments", "problem") == {"P-00001": ""}
    assert written(p, "payments", "applied_to") == {"P-00001": "INV-2026-0001 50.00"}


def test_credit_pays_an_invoice_made_later_by_appending_to_the_paying_payment():
    book = Book((payment(who="C-001", amount="30.00"),))
    book = book.commit(book.run())
    assert book.payments[0].applied == (Allocation("Credit", M("30.00")),)
    assert book.cells["C-001"] == (M("0"), M("30.00"))
    later = Book(book.payments, (INV2,), book.cells)
    p = later.run()
    assert written(p, "payments", "applied_to") == {"P-00001": "Credit 30.00; INV-2026-0002 30.00"}
    assert written(p, "payments", "receipt_no") == {} and p.receipts == ()
    assert p.invoice_paid["INV-2026-0002"] == (M("30.00"), M("10.00"), "Partially Paid")
    assert p.client_balances["C-001"] == (M("10.00"), M("0"))


def test_a_refund_comes_out_of_credit_and_gets_a_refund_receipt_in_the_same_series():
    book = Book((payment(who="C-001", amount="50.00"),
                 payment(row=3, day=date(2026, 11, 12), who="C-001", amount="-20.00", method="Cash")))
    p = book.run()
    assert written(p, "payments", "applied_to") == {"P-00001": "Credit 50.00", "P-00002": "Refund -20.00"}
    assert [(r.payment_id, r.receipt_no, r.amount) for r in p.receipts] == \
        [("P-00001", "RCPT-2026-0001", M("50.00")), ("P-00002", "RCPT-2026-0002", M("-20.00"))]
    assert p.client_balances["C-001"] == (M("0"), M("30.00"))


def test_a_refund_needs_the_credit_there_was_on_its_date():
    p = Book((payment(who="C-001", amount="50.00"),
              payment(row=3, day=date(2026, 11, 9), who="C-001", amount="-20.00"),
              payment(row=4, day=date(2026, 11, 11), who="C-001", amount="-60.00"))).run()
    assert problems(p) == {3: "Refund of 20.00 is more than client C-001's Credit still there from payments up to 2026-11-09 (0.00)",
                           4: "Refund of 60.00 is more than client C-001's Credit still there from payments up to 2026-11-11 (50.00)"}


def test_a_refused_refund_names_the_credit_left_not_a_figure_its_date_never_had():
    """The client had 50.00 of credit on the refund's date; an invoice since used 30.00 of it.
    The Problem says what is left to refund now, and does not date that figure."""
    p = Book((payment(who="C-001", amount="50.00"),
              payment(row=3, day=date(2026, 11, 11), who="C-001", amount="-60.00")),
             (invoice("INV-2026-0001", "30.00", issued=date(2026, 11, 12)),)).run()
    assert problems(p) == {3: "Refund of 60.00 is more than client C-001's Credit still there from payments "
                              "up to 2026-11-11 (20.00)"}


def test_a_refund_entered_with_a_new_invoice_is_paid_out_before_credit_is_applied():
    book = Book((payment(pid="P-00001", who="C-001", amount="50.00", applied="Credit 50.00",
                         receipt="RCPT-2026-0001"),
                 payment(row=3, day=date(2026, 11, 12), who="C-001", amount="-50.00")), (INV2,))
    p = book.run()
    assert written(p, "payments", "applied_to") == {"P-00002": "Refund -50.00"}
    assert p.client_balances["C-001"] == (M("40.00"), M("0"))


def test_receipts_continue_the_series_in_date_order_by_the_payments_year():
    p = Book((payment(pid="P-00004", who="C-001", amount="10.00", receipt="RCPT-2026-0007", applied="Credit 10.00"),
              payment(row=3, day=date(2026, 11, 15), who="C-001"),
              payment(row=4, day=date(2026, 11, 3), who="C-002"),
              payment(row=5, day=date(2025, 12, 31), who="C-003"))).run()
    assert [w.after for w in p.writes if w.field == "payment_id"] == ["P-00005", "P-00006", "P-00007"]
    assert written(p, "payments", "receipt_no") == {"P-00007": "RCPT-2025-0001", "P-00006": "RCPT-2026-0008",
                                                   "P-00005": "RCPT-2026-0009"}


def test_applications_are_never_changed_even_when_they_no_longer_look_optimal():
    earlier = payment(pid="P-00001", inv="INV-2026-0001", amount="20.00", applied="INV-2026-0001 20.00",
                      receipt="RCPT-2026-0001")
    p = Book((earlier, payment(row=3, who="C-001", amount="100.00")), (INV1, INV2)).run()
    assert written(p, "payments", "applied_to") == {"P-00002": "INV-2026-0002 40.00; INV-2026-0001 60.00"}
    assert p.invoice_paid["INV-2026-0001"] == (M("80.00"), M("20.00"), "Partially Paid")


def test_paid_and_status_follow_the_allocations_back_down():
    stale = invoice("INV-2026-0001", "100.00", status="Paid", paid="100.00", row=2)
    p = plan(invoices=[stale])
    assert written(p, "invoices", "status") == {"INV-2026-0001": "Finalized"}
    assert written(p, "invoices", "balance") == {"INV-2026-0001": M("100.00")}


def test_draft_dropped_draft_archived_and_credit_notes_are_left_untouched():
    untouched = [invoice("DRAFT-S-00005", "10.00", status="Void", row=5),
                 invoice("INV-2026-0006", "10.00", status="Draft"),
                 invoice("INV-2025-0001", "10.00", status="Archived", paid="10.00"),
                 invoice("CN-2026-0001", "-10.00")]
    p = plan(invoices=untouched)
    assert [w for w in p.writes if w.tab == "invoices"] == []
    assert p.invoice_paid["INV-2025-0001"] == (M("10.00"), M("0.00"), "Archived")


def test_a_void_invoice_shows_nothing_open_and_keeps_what_was_paid_on_it_as_paid():
    voided = invoice("INV-2026-0001", "100.00", status="Void", paid="40.00", row=2)  # Balance 60.00 shown
    paid = payment(pid="P-00001", inv="INV-2026-0001", amount="40.00", applied="INV-2026-0001 40.00",
                   receipt="RCPT-2026-0001")
    book = Book((paid,), (voided,))
    p = book.run()
    assert [(w.key, w.field, w.before, w.after) for w in p.writes if w.tab == "invoices"] == [
        ("INV-2026-0001", "balance", M("60.00"), M("0"))]
    assert p.invoice_paid["INV-2026-0001"] == (M("40.00"), M("0"), "Void")
    assert p.client_balances["C-001"] == (M("0"), M("40.00"))  # the 40.00 paid on it is credit again
    assert [w for w in book.commit(p).run().writes if w.tab != "payments"] == []  # and stays so


def test_money_paid_on_an_invoice_later_voided_becomes_credit_for_the_invoice_replacing_it():
    voided = invoice("INV-2026-0001", "100.00", status="Void", paid="100.00", row=2)
    paid = payment(pid="P-00001", inv="INV-2026-0001", amount="100.00", applied="INV-2026-0001 100.00",
                   receipt="RCPT-2026-0001")
    p = plan(paid, invoices=[voided, INV2])
    assert written(p, "payments", "applied_to") == {"P-00001": "INV-2026-0001 100.00; INV-2026-0002 40.00"}
    assert p.client_balances["C-001"] == (M("0"), M("60.00"))
    # the 40.00 INV-2026-0002 took is its Paid, no longer the void invoice's too: 60.00 + 40.00 received
    assert (p.invoice_paid["INV-2026-0001"], p.invoice_paid["INV-2026-0002"][0]) == \
        ((M("60.00"), M("0"), "Void"), M("40.00"))


def test_a_cleared_applied_to_after_a_receipt_is_flagged_and_never_applied_twice():
    cleared = payment(pid="P-00001", inv="INV-2026-0001", amount="100.00", receipt="RCPT-2026-0001")
    paid_inv = invoice("INV-2026-0001", "100.00", status="Paid", paid="100.00", row=2)
    p = plan(cleared, payment(row=3, who="C-001", amount="40.00"), invoices=[paid_inv, INV2])
    assert problems(p) == {
        2: "Applied To was cleared after the receipt RCPT-2026-0001 was issued; restore it from the Changelog",
        3: "Not applied while payment P-00001 of client C-001 has its Applied To cleared; restore that first"}
    assert written(p, "payments", "applied_to") == {} and p.receipts == ()
    assert [w for w in p.writes if w.tab == "invoices" or w.key == "C-001"] == []


def test_an_applied_to_that_cannot_be_read_is_not_applied_again():
    garbled = payment(pid="P-00001", who="C-001", amount="40.00", receipt="RCPT-2026-0001",
                      errors=("Applied To part 'INV-2026-0002 forty' is not like 'INV-2026-0001 40.00'",))
    p = plan(garbled, invoices=[INV2])
    assert problems(p) == {2: "Applied To part 'INV-2026-0002 forty' is not like 'INV-2026-0001 40.00'; "
                              "restore it from the Changelog"}
    assert [(w.key, w.field) for w in p.writes if w.key != "C-002" and w.key != "C-003"] == \
        [("P-00001", "problem")]  # nothing is applied, no balance moves, while the ledger cannot be read


def test_an_amount_edited_after_it_was_applied_is_flagged_and_the_allocations_stay():
    edited = payment(pid="P-00001", inv="INV-2026-0001", amount="30.00", applied="INV-2026-0001 50.00",
                     receipt="RCPT-2026-0001")
    p = plan(edited, invoices=[INV1])
    assert problems(p) == {2: "Amount 30.00 is less than the 50.00 already applied; restore it from the Changelog"}
    assert p.invoice_paid["INV-2026-0001"] == (M("50.00"), M("50.00"), "Partially Paid")


def test_a_copied_payment_row_is_flagged_and_its_money_not_counted_twice():
    row = payment(pid="P-00001", inv="INV-2026-0001", amount="50.00", applied="INV-2026-0001 50.00",
                  receipt="RCPT-2026-0001")
    p = plan(row, replace(row, row=3), invoices=[INV1])
    assert problems(p) == {3: "Duplicate Payment ID P-00001 (also on row 2); give this row a new ID or clear it, "
                              "and clear its Applied To and Receipt No"}
    assert p.invoice_paid["INV-2026-0001"][0] == M("50.00")


def test_applied_to_typed_by_hand_counts_for_the_invoice_it_names():
    typed = payment(pid="P-00001", who="C-001", amount="40", applied="inv-2026-0002 40", receipt="RCPT-2026-0001")
    p = plan(typed, payment(row=3, who="C-001", amount="10.00"), invoices=[INV2])
    assert p.invoice_paid["INV-2026-0002"] == (M("40"), M("0"), "Paid")
    assert written(p, "payments", "applied_to") == {"P-00001": "INV-2026-0002 40.00", "P-00002": "Credit 10.00"}


def test_parse_applied_reads_what_people_type_and_refuses_nonsense():
    assert parse_applied(" inv-1 40 ;credit 1,50; ") == (Allocation("inv-1", M("40")),
                                                         Allocation("Credit", M("1.50")))
    assert parse_applied("") == ()
    with pytest.raises(ValueError, match="Applied To part 'INV-1' is not like 'INV-2026-0001 40.00'"):
        parse_applied("INV-1")


REFS = st.sampled_from(["INV-2026-0001", "CN-2025-0012", "Credit", "Refund", "S-00012", "2026/17"])
CENTS = st.integers(min_value=-10**9, max_value=10**9).map(lambda c: M(c).scaleb(-2))


@given(st.lists(st.builds(Allocation, REFS, CENTS), max_size=8))
def test_applied_to_text_round_trips(allocations):
    assert parse_applied(format_applied(allocations)) == tuple(allocations)


# -- properties over random books --------------------------------------------------------------

METHODS = st.sampled_from(["Card", "cash", "Bank transfer", "Other"])
DAYS = st.integers(min_value=0, max_value=50)  # days after 2025-12-01: across a year end, never after today
PAYMENT = st.tuples(st.integers(0, 2), st.none() | st.integers(0, 5), st.booleans(),
                    st.integers(-4000, 30000).filter(bool), METHODS, DAYS)
INVOICE = st.tuples(st.integers(0, 2), st.integers(1, 20000), DAYS)


def make_invoices(specs, first=1):
    specs = sorted(specs, key=lambda s: s[2])
    return tuple(invoice(f"INV-2026-{first + i:04}", M(cents).scaleb(-2), CLIENTS[c].client_id,
                         date(2025, 12, 1) + timedelta(days=day), row=first + i + 1)
                 for i, (c, cents, day) in enumerate(specs))


def make_payments(specs, invoices):
    out = []
    for i, (c, inv, name_client, cents, method, day) in enumerate(sorted(specs, key=lambda s: s[5])):
        named = invoices[inv].invoice_no if inv is not None and inv < len(invoices) else ""
        who = CLIENTS[c].client_id if name_client or not named else ""
        out.append(payment(row=i + 2, day=date(2025, 12, 1) + timedelta(days=day), who=who, inv=named,
                           amount=M(cents).scaleb(-2), method=method))
    return tuple(out)


def check_money(book, p):
    """Money is conserved per client, no invoice is overpaid, and receipts are gapless."""
    owner = {i.invoice_no: i.client_id for i in book.invoices}
    into, out = {}, {}
    for pay in p.payments:
        if not pay.applied:
            continue
        cid = pay.client or owner[pay.invoice_no]
        into[cid] = into.get(cid, 0) + max(pay.amount, 0)
        to_invoices = sum(a.amount for a in pay.applied if a.invoice_no not in ("Credit", "Refund"))
        out[cid] = out.get(cid, 0) + to_invoices + max(-pay.amount, 0)  # refunds paid back
    for c in CLIENTS:
        balance, credit = p.client_balances[c.client_id]
        assert into.get(c.client_id, 0) == out.get(c.client_id, 0) + credit
        assert credit >= 0
        assert credit == 0 or balance == 0  # credit is only kept while nothing is owed
    for inv in book.invoices:
        paid, balance, _ = p.invoice_paid[inv.invoice_no]
        assert paid == sum(a.amount for q in p.payments for a in q.applied if a.invoice_no == inv.invoice_no)
        assert 0 <= paid <= inv.total and balance == inv.total - paid
    assert gaps_and_duplicates(RULES.receipt_pattern, [q.receipt_no for q in p.payments if q.receipt_no]) == []
    assert {q.receipt_no for q in p.payments if q.receipt_no} == \
        {q.receipt_no for q in p.payments if q.applied}  # refunds get a refund receipt too


@settings(max_examples=150, deadline=None)
@given(st.lists(INVOICE, max_size=6), st.lists(PAYMENT, max_size=12))
def test_money_is_conserved_and_a_second_plan_changes_nothing(invoice_specs, payment_specs):
    invoices = make_invoices(invoice_specs)
    book = Book(make_payments(payment_specs, invoices), invoices)
    p = book.run()
    check_money(book, p)
    after = book.commit(p)
    assert after.payments == p.payments and after.invoices == p.settled(book.invoices)
    again = after.run()
    assert again.writes == () and again.receipts == ()
    assert again.problems == p.problems


@settings(max_examples=150, deadline=None)
@given(st.lists(INVOICE, max_size=6), st.lists(PAYMENT, max_size=12), st.integers(0, 12))
def test_running_in_two_halves_equals_running_once(invoice_specs, payment_specs, cut):
    invoices = make_invoices(invoice_specs)
    payments = make_payments(payment_specs, invoices)
    once = Book(payments, invoices)
    once = once.commit(once.run())
    first = Book(payments[:cut], invoices)
    first = first.commit(first.run())
    second = Book(first.payments + payments[cut:], first.invoices, first.cells)
    assert second.commit(second.run()) == once


@settings(max_examples=150, deadline=None)
@given(st.lists(INVOICE, max_size=4), st.lists(PAYMENT, max_size=10), st.lists(INVOICE, min_size=1, max_size=4))
def test_invoices_made_later_are_paid_from_credit_without_changing_earlier_allocations(early, payment_specs, late):
    invoices = make_invoices(early)
    book = Book(make_payments(payment_specs, invoices), invoices)
    book = book.commit(book.run())
    later = Book(book.payments, book.invoices + make_invoices(late, first=len(invoices) + 1), book.cells)
    p = later.run()
    check_money(later, p)
    for before, now in zip(book.payments, p.payments):
        assert now.applied[:len(before.applied)] == before.applied
        assert now.receipt_no == before.receipt_no
    assert later.commit(p).run().writes == ()


DISPUTE = "Disputed on Stripe: answer the dispute; clear this Problem once it is settled"


@pytest.mark.parametrize("credit, problem_after_clearing, applied_after_clearing", [
    ("80.00", "", "Refund -65.00"),  # the credit pays the chargeback out once a person cleared the dispute
    ("0", "Refund of 65.00 is more than client C-001's Credit still there from payments up to 2026-11-12 (0.00)", None),
])
def test_a_disputed_row_waits_with_its_words_until_a_person_clears_them(credit, problem_after_clearing,
                                                                        applied_after_clearing):
    earlier = [payment(row=2, pid="P-00001", who="C-001", amount=credit, applied=f"Credit {credit}",
                       receipt="RCPT-2026-0001")] if credit != "0" else []
    dispute = payment(row=3, pid="P-00002", day=date(2026, 11, 12), who="C-001", amount="-65.00",
                      problem=DISPUTE)
    book = Book((*earlier, dispute))
    for _ in range(2):  # the words stay, cycle after cycle, and nothing is applied
        p = book.run()
        assert problems(p)[3] == DISPUTE
        assert written(p, "payments", "problem") == {} and written(p, "payments", "applied_to") == {}
        assert p.receipts == ()
        book = book.commit(p)
    cleared = Book(tuple(replace(x, problem="") if x.row == 3 else x for x in book.payments), book.invoices,
                   book.cells)
    p = cleared.run()
    assert problems(p).get(3, "") == problem_after_clearing
    assert written(p, "payments", "applied_to").get("P-00002") == applied_after_clearing


@pytest.mark.parametrize("paid, method, said", [
    ("100.00", "Bank transfer", "Client C-001 was refunded 20.00 by bank transfer for INV-2026-0001, which is paid"),
    ("60.00", "Cash", "Client C-001 was refunded 20.00 in cash for INV-2026-0001, which has 60.00 paid on it"),
])
def test_a_refund_of_money_on_an_invoice_says_to_void_it_and_is_applied_once_it_is(paid, method, said):
    """No credit to take it from: the money is on the invoice, which a credit note gives back."""
    inv = invoice("INV-2026-0001", "100.00", issued=date(2026, 11, 2), row=2)
    on_it = payment(row=2, pid="P-00001", who="C-001", inv="INV-2026-0001", amount=paid,
                    applied=f"INV-2026-0001 {paid}", receipt="RCPT-2026-0001")
    refund = payment(row=3, pid="P-00002", day=date(2026, 11, 12), who="C-001", inv="INV-2026-0001",
                     amount="-20.00", method=method)
    p = plan(on_it, refund, invoices=[inv])
    assert problems(p)[3] == (f"{said}: void INV-2026-0001, and correct or cancel the sessions refunded so that "
                              "the invoice made again bills only the rest; the next run then takes the refund out "
                              "of the credit the void leaves")
    p = plan(on_it, refund, invoices=[replace(inv, status=InvoiceStatus.VOID)])
    assert problems(p) == {} and written(p, "payments", "applied_to") == {"P-00002": "Refund -20.00"}


def test_a_payment_named_by_a_clients_old_name_stays_hers():
    """Anna Meier, renamed Anna Meier-Schulz: her payment on her invoices is still hers (no Problem,
    her credit counted); one that was all credit says on its row that the name names nobody."""
    from sheetbill.core.payments import PaymentRules, plan_payments

    anna = Client(2, "C-001", "Anna Meier-Schulz", "a@example.com", "", None, 14, None, "")
    inv = Invoice(invoice_no="INV-2026-0001", issue_date=date(2026, 11, 2), due_date=date(2026, 11, 16),
                  client_id="C-001", client_name="Anna Meier", session_ids=("S-00001",), net=Decimal("65"), tax=Decimal("0"),
                  total=Decimal("65"), paid=Decimal("65"), balance=Decimal("0"), status=InvoiceStatus.PAID, row=2)

    def paid(row, applied):
        return Payment(row=row, payment_id=f"P-{row}", date=date(2026, 11, 10), client="Anna Meier", invoice_no="",
                       amount=Decimal("80"), method="Cash", reference="", applied=applied, receipt_no=f"RCPT-2026-000{row}",
                       receipt_sent_at="", problem="")
    on_invoice = paid(2, (Allocation("INV-2026-0001", Decimal("65")), Allocation("Credit", Decimal("15"))))
    credit_only = paid(3, (Allocation("Credit", Decimal("80")),))
    plan = plan_payments(Ledger((), (anna,), (), (inv,), (), (on_invoice,)), (inv,), PaymentRules(), date(2026, 11, 21))
    assert plan.problems == () and plan.client_balances["C-001"] == (Decimal("0"), Decimal("15"))
    assert plan.invoice_paid["INV-2026-0001"][2] is InvoiceStatus.PAID
    plan = plan_payments(Ledger((), (anna,), (), (inv,), (), (credit_only,)), (inv,), PaymentRules(), date(2026, 11, 21))
    problem, = plan.problems
    assert "Client 'Anna Meier' of this applied payment is not in Clients" in problem.message


def test_a_payment_dated_a_year_before_the_client_had_anything_is_held_naming_the_likely_date():
    from sheetbill.core.limits import Limits

    rules = replace(RULES, limits=Limits(prepayment_days=90))
    first = invoice("INV-2026-0001", "65.00", issued=date(2026, 11, 3))
    typo = payment(pid="P-00001", day=date(2025, 11, 20), who="C-001", amount="65.00")
    deposit = payment(row=3, pid="P-00002", day=date(2026, 9, 1), who="C-002", amount="50.00")  # no session yet
    ledger = Ledger((), CLIENTS, (), (first,), (), (typo, deposit))
    p = plan_payments(ledger, (first,), rules, TODAY)
    assert problems(p) == {2: "Date 2025-11-20 is 348 days before client C-001's first invoice INV-2026-0001 "
                              "(2026-11-03): likely a typo; if it is 2026-11-20, correct the year. If it is right "
                              "(paid that far ahead), raise limits.prepayment_days in the config and the next run "
                              "goes on"}
    assert written(p, "payments", "applied_to") == {"P-00002": "Credit 50.00"}  # a deposit ahead: applied
    assert [r.payment_id for r in p.receipts] == ["P-00002"]
    fixed = replace(typo, date=date(2026, 11, 20))
    p = plan_payments(replace(ledger, payments=(fixed, deposit)), (first,), rules, TODAY)
    assert written(p, "payments", "applied_to")["P-00001"] == "INV-2026-0001 65.00" and 2 not in problems(p)


def test_a_refund_of_a_payment_that_paid_several_invoices_says_what_came_off_each_and_what_to_void():
    """The refund names the invoices the card payment paid (`INV-1, INV-2`): the account takes it back
    from the last paid first, and the row says so and asks to void only the invoices it came off; a
    lost dispute of the same payment says the bank reversed it; an invoice of another client is refused."""
    invoices = (invoice("INV-1", "65.00", paid="65.00"), invoice("INV-2", "65.00", paid="65.00"))
    charge = payment(row=2, pid="P-1", who="C-001", amount="130.00", applied="INV-1 65.00; INV-2 65.00", receipt="R-1")
    refund = payment(row=3, who="C-001", inv="INV-1, INV-2", amount="-10.00", day=date(2026, 11, 11))
    assert problems(plan(charge, refund, invoices=invoices))[3] == (
        "Client C-001 was refunded 10.00 by card of a payment that paid INV-1 and INV-2: 10.00 taken back from INV-2 "
        "(the last paid first). Void INV-2, and correct or cancel the sessions refunded so that the invoice made "
        "again bills only the rest; the next run then takes the refund out of the credit the void leaves")
    lost = replace(refund, amount=M("-100.00"), problem="Dispute lost on Stripe on 2026-11-11: ...")
    assert problems(plan(charge, lost, invoices=invoices))[3] == (
        "Dispute lost: client C-001's payment by card that paid INV-1 and INV-2 was disputed and 100.00 of it "
        "reversed by the bank: 65.00 taken back from INV-2 and 35.00 from INV-1 (the last paid first). Void INV-2 "
        "and INV-1, and correct or cancel the sessions refunded so that the invoices made again bill only the rest; "
        "the next run then takes the reversal out of the credit the voids leave")
    voided = tuple(replace(i, status=InvoiceStatus.VOID) for i in invoices)
    assert 3 not in problems(plan(charge, lost, invoices=voided))  # the voids left the credit: applied
    others = (*invoices, invoice("INV-3", "65.00", who="C-002"))
    assert problems(plan(charge, replace(refund, invoice_no="INV-1, INV-3"), invoices=others))[3] == (
        "Invoice INV-3 is for client C-002, not C-001")
