"""Sequences the money oracle (tests/test_oracle.py) found wrong, kept as plain
tests: each names what an admin did and the figure a client must read
(contract: the template contexts of issue 7), computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from .oracle.checks import MONEY, amount
from .oracle.machine import Desk


def documents(desk: Desk, kind: str) -> dict[str, dict]:
    """The latest context of each document of a kind, by number (receipts by payment ID,
    statements by client and period)."""
    def key(context):
        if kind == "statement":
            return f"{context['client']['id']} {context['period_from']}"
        return context["payment_id" if kind == "receipt" else "number"]
    return {key(r.context): r.context for r in desk.renders if r.kind == kind}


def figures(context: dict, *keys: str) -> tuple:
    return tuple(amount(context[k]) if isinstance(context[k], str) and MONEY.fullmatch(context[k]) else context[k]
                 for k in keys)


def desk_for(tmp_path, **kw) -> Desk:
    return Desk(root=tmp_path, **kw)


def test_previous_balance_counts_only_earlier_invoices_of_one_batch(tmp_path):
    desk = desk_for(tmp_path)
    c = desk.add_client(daily=False, email=True)
    desk.log_session(c, 1, 0, 1, True)  # 65.00, yesterday
    desk.log_session(c, 3, 0, 0, True)  # 195.00, today
    desk.run()
    invoices = documents(desk, "invoice")
    first, second = invoices["INV-2026-0001"], invoices["INV-2026-0002"]
    assert figures(first, "total", "previous_balance", "amount_due") == (Decimal("65.00"), 0, Decimal("65.00"))
    assert figures(second, "total", "previous_balance", "amount_due") == (
        Decimal("195.00"), Decimal("65.00"), Decimal("260.00"))


def test_an_invoice_paid_at_the_desk_says_paid_and_asks_for_nothing(tmp_path):
    desk = desk_for(tmp_path)
    c = desk.add_client(daily=False, email=True)
    s = desk.log_session(c, 1, 0, 0, True)
    desk.pay(Decimal("65.00"), invoice=s, method="Cash")
    desk.run()
    inv = documents(desk, "invoice")["INV-2026-0001"]
    assert figures(inv, "total", "paid", "balance", "amount_due", "is_paid", "status") == (
        Decimal("65.00"), Decimal("65.00"), 0, 0, True, "Paid")
    assert [p["reference"] for p in inv["payments"]] in (["P-00001"], ["RCPT-2026-0001"])
    mail = next(m for m in desk.practice.emails() if "INV-2026-0001" in m["Subject"])
    assert "Please pay 65.00" not in mail.get_body(preferencelist=("plain",)).get_content()


def test_a_paid_invoice_still_names_what_earlier_invoices_leave_open(tmp_path):
    """amount_due = max(0, balance + previous_balance): the desk-paid invoice asks
    only for what is open on the earlier ones (45.00 + 65.00)."""
    desk = desk_for(tmp_path)
    c = desk.add_client(daily=False, email=True)
    desk.log_session(c, 1, 0, 2, True)
    desk.run()  # INV-2026-0001 65.00
    desk.pay(Decimal("20.00"), invoice="INV-2026-0001")
    desk.pass_days(1)
    desk.log_session(c, 1, 0, 0, True)  # INV-2026-0002 65.00
    s = desk.log_session(c, 2, 0, 0, True)  # INV-2026-0003 130.00, paid at the desk
    desk.pay(Decimal("130.00"), invoice=s, method="Cash")
    desk.run()
    third = documents(desk, "invoice")["INV-2026-0003"]
    assert figures(third, "paid", "balance", "previous_balance", "amount_due", "is_paid") == (
        Decimal("130.00"), 0, Decimal("110.00"), Decimal("110.00"), True)


def test_a_credit_note_asks_for_nothing(tmp_path):
    desk = desk_for(tmp_path)
    c = desk.add_client(daily=False, email=True)
    desk.log_session(c, 1, 0, 0, True)
    desk.run()
    desk.void("INV-2026-0001")
    desk.run()
    note = documents(desk, "invoice")["CN-2026-0001"]
    assert figures(note, "total", "amount_due", "status") == (Decimal("-65.00"), 0, "Credit note")


def test_each_receipt_counts_the_payments_up_to_its_own(tmp_path):
    desk = desk_for(tmp_path)
    c = desk.add_client(daily=True, email=True)
    desk.pay(Decimal("44.51"), client="Client 1")
    desk.pay(Decimal("6.38"), client=c, method="Bank transfer")
    desk.run()
    receipts = documents(desk, "receipt")
    assert figures(receipts["P-00001"], "amount", "unapplied", "credit") == (
        Decimal("44.51"), Decimal("44.51"), Decimal("44.51"))
    assert figures(receipts["P-00002"], "amount", "unapplied", "credit") == (
        Decimal("6.38"), Decimal("6.38"), Decimal("50.89"))


def test_a_refund_gets_a_refund_receipt(tmp_path):
    desk = desk_for(tmp_path)
    c = desk.add_client(daily=False, email=True)
    desk.pay(Decimal("50.00"), client=c)
    desk.run()
    desk.pay(Decimal("-20.00"), client=c, method="Bank transfer")
    desk.run()
    refund = documents(desk, "receipt")["P-00002"]
    assert figures(refund, "kind", "amount", "unapplied", "credit") == ("refund", Decimal("20.00"), 0,
                                                                       Decimal("30.00"))


def test_previous_balance_is_the_earlier_balance_less_credit(tmp_path):
    """A client with 219.31 credit whose new session is paid at the desk:
    nothing earlier is open, so the previous balance is the credit, negative."""
    desk = desk_for(tmp_path)
    c = desk.add_client(daily=False, email=False)
    desk.pay(Decimal("219.31"), client=c)
    desk.run()
    s = desk.log_session(c, 1, 0, 0, True)
    desk.pay(Decimal("65.00"), invoice=s)
    desk.run()
    inv = documents(desk, "invoice")["INV-2026-0001"]
    assert figures(inv, "balance", "previous_balance", "has_previous_balance", "amount_due") == (
        0, Decimal("-219.31"), True, 0)


def test_emails_are_dated_when_they_are_written(tmp_path):
    desk = desk_for(tmp_path)
    c = desk.add_client(daily=False, email=True)
    desk.log_session(c, 1, 0, 3, True)
    desk.pay(Decimal("10.00"), client=c)
    desk.run()
    written = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
    assert {m["Subject"].split()[0]: m["Date"].datetime for m in desk.practice.emails()} == {
        "Invoice": written, "Receipt": written}


def test_a_receipt_dated_before_a_void_does_not_count_the_voided_money_as_credit(tmp_path):
    """On the desk payment's date (22 Nov) the client's other invoice was still
    live and paid; its credit note (23 Nov) comes after: no credit then."""
    desk = desk_for(tmp_path)
    c = desk.add_client(daily=True, email=True)
    s = desk.log_session(c, 1, 0, 0, True)
    desk.pay(Decimal("65.00"), invoice=s, method="Cash")  # 21 Nov, billed on 22 Nov
    desk.pass_days(1)
    desk.run()  # INV-2026-0001 65.00, paid
    desk.void("INV-2026-0001")
    s = desk.log_session(c, 1, 0, 0, True)
    desk.pay(Decimal("65.00"), invoice=s, method="Cash")  # 22 Nov
    desk.pass_days(1)
    desk.run()  # CN-2026-0001 and the rebilled INV-2026-0002, INV-2026-0003 for 22 Nov
    receipt = documents(desk, "receipt")["P-00002"]
    assert figures(receipt, "amount", "unapplied", "still_open", "credit") == (Decimal("65.00"), 0, 0, 0)


def test_a_statement_of_a_month_before_a_void_shows_the_invoice_paid(tmp_path):
    """November: INV-2026-0001 issued and paid. It is voided on 1 Dec, in the run that
    sends November's statement: the credit note is December's, and November ends at 0."""
    desk = desk_for(tmp_path, monthly_statements=True)
    c = desk.add_client(daily=False, email=True)
    desk.log_session(c, 1, 0, 0, True)
    desk.run()
    desk.pay(Decimal("65.00"), invoice="INV-2026-0001")
    desk.run()
    desk.pass_days(10)  # 1 Dec
    desk.void("INV-2026-0001")
    desk.run()
    statement, = documents(desk, "statement").values()
    assert statement["period_from"] == "1 Nov 2026"
    assert figures(statement, "opening", "charges", "payments", "closing", "credit", "due") == (0, Decimal("65.00"),
                                                                                              Decimal("65.00"), 0, 0, 0)


def test_a_reminder_names_what_is_open_and_attaches_the_invoice_saying_so(tmp_path):
    desk = desk_for(tmp_path)
    c = desk.add_client(daily=False, email=True)
    s = desk.log_session(c, 2, 1, 0, True)  # 138.21, due 5 Dec
    desk.pay(Decimal("69.10"), invoice=s, method="Cash")
    desk.run()
    desk.pass_days(21)  # 12 Dec: 7 days overdue
    desk.run()
    reminder, = [m for m in desk.practice.emails() if "eminder" in m["Subject"]]
    assert "69.11 EUR is still open" in reminder.get_body(preferencelist=("plain",)).get_content()
    pdf, = [a.get_content() for a in reminder.iter_attachments()]
    attached, = [r.context for r in desk.renders if r.pdf == pdf]
    assert figures(attached, "total", "paid", "balance") == (Decimal("138.21"), Decimal("69.10"), Decimal("69.11"))


def test_a_payment_is_on_the_statement_of_its_own_date(tmp_path):
    """Paid at the desk on 30 Nov; the daily client's day is invoiced on 1 Dec.
    November's statement shows the payment on 30 Nov; the invoice is December's."""
    desk = desk_for(tmp_path, monthly_statements=True)
    c = desk.add_client(daily=True, email=True)
    desk.pass_days(9)  # 30 Nov
    s = desk.log_session(c, 1, 0, 0, True)
    desk.pay(Decimal("65.00"), invoice=s, method="Card")
    desk.pass_days(1)
    desk.run()
    november = documents(desk, "statement")["C-001 1 Nov 2026"]
    assert [(e["date_iso"], e["kind"], e["reference"]) for e in november["entries"]] == [
        ("2026-11-30", "payment", "P-00001")]
    assert figures(november, "opening", "charges", "payments", "closing", "credit", "due", "nothing_to_pay") == (
        0, 0, Decimal("65.00"), Decimal("-65.00"), 0, 0, True)  # the amount due never below 0.00


def test_a_desk_payment_kept_whole_as_credit_gets_its_receipt(tmp_path):
    """Earlier money of the client pays the session's invoice first (payments are
    applied in date order), so the desk payment naming the session is all credit:
    it gets a receipt number, and must get the receipt too."""
    desk = desk_for(tmp_path)
    c = desk.add_client(daily=False, email=False)
    desk.pay(Decimal("65.00"), client=c)  # 21 Nov, nothing to pay yet
    desk.pass_days(1)
    s = desk.log_session(c, 1, 0, 0, True)
    desk.pay(Decimal("65.00"), invoice=s, method="Cash")
    desk.run()
    desk.run()
    receipt = documents(desk, "receipt")["P-00002"]
    assert figures(receipt, "amount", "unapplied", "credit") == (Decimal("65.00"), Decimal("65.00"),
                                                                 Decimal("65.00"))


def test_bank_transfers_from_the_statement_folder_agree_with_the_oracle(tmp_path):
    desk = desk_for(tmp_path, monthly_statements=True)
    a = desk.add_client(daily=False, email=True)
    b = desk.add_client(daily=False, email=True)
    desk.log_session(a, 1, 1, 1, True)  # 73.21
    desk.log_session(b, 2, 0, 0, True)  # 130.00
    assert desk.run() == []
    desk.bank_transfer("INV-2026-0001", Decimal("73.21"), days_back=0)  # in full, by its RF reference
    desk.bank_transfer("INV-2026-0002", Decimal("50.00"), days_back=0)  # in part
    desk.pay(Decimal("20.00"), invoice="INV-2026-0002", method="Cash")  # and at the desk (numbered after the bank's)
    assert desk.run() == []
    receipts = documents(desk, "receipt")
    assert len(receipts) == 3
    desk.bank_transfer("INV-2026-0002", Decimal("60.00"))  # the rest
    desk.pass_days(9)
    assert desk.run() == []
    assert sorted(p.amount for p in desk.book.payments) == [Decimal("20.00"), Decimal("50.00"), Decimal("60.00"),
                                                            Decimal("73.21")]
    assert len({p.pid for p in desk.book.payments}) == 4


def test_money_a_void_frees_counts_on_a_receipt_only_from_the_credit_notes_date(tmp_path):
    """A cash payment on INV-2027-0003, which is voided the next day: the worker moves the freed
    73.21 on to the open invoices (4.40 of it to INV-2027-0002). A receipt dated the day before
    the void still shows INV-2027-0002 open by what the freed money later paid."""
    desk = desk_for(tmp_path)
    c = desk.add_client(daily=True, email=False)
    desk.pass_days(30)
    desk.log_session(c, 1, 0, 0, True)  # 65.00
    desk.pay(Decimal("32.50"), invoice="S-00001")
    desk.year_end()  # 2 Jan 2027
    desk.log_session(c, 2, 1, 3, False)
    desk.log_session(c, 2, 2, 1, False)
    assert desk.run() == []
    s = desk.log_session(c, 1, 1, 0, True)  # 73.21
    desk.pay(Decimal("73.21"), invoice=s, method="Cash")
    desk.pass_days(1)  # 3 Jan
    desk.void("INV-2027-0001")  # re-billed as INV-2027-0002, its 32.50 moved there
    assert desk.run() == []
    desk.pay(Decimal("16.25"), invoice="INV-2027-0002")  # P-00003
    desk.log_session(c, 1, 1, 0, True)
    desk.pay(Decimal("73.21"), invoice="S-00005", method="Bank transfer")  # P-00004
    desk.void("INV-2027-0003")  # the cash payment's invoice: its 73.21 is free from 4 Jan
    desk.pay(Decimal("11.85"), client=c, method="Bank transfer")  # P-00005
    desk.complete("S-00003")
    desk.pass_days(1)  # 4 Jan
    assert desk.run() == []
    receipts = documents(desk, "receipt")
    # on 3 Jan INV-2027-0002 (65.00) had 32.50 + 16.25 on it: 16.25 open; the 4.40 came on 4 Jan
    assert figures(receipts["P-00003"], "still_open") == (Decimal("16.25"),)
    assert figures(receipts["P-00005"], "still_open") == (Decimal("4.40"),)
    applied = {p.pid: p.applied for p in desk.book.payments}
    assert ("INV-2027-0002", Decimal("4.40")) in applied["P-00002"]


def test_an_invoice_paid_online_by_card_is_imported_applied_and_receipted(tmp_path):
    desk = desk_for(tmp_path)
    c = desk.add_client(daily=False, email=True)
    desk.log_session(c, 1, 0, 1, True)  # INV-2026-0001, 65.00
    desk.log_session(c, 1, 1, 0, True)  # INV-2026-0002, 73.51
    assert desk.run() == []
    assert desk.card_payment("INV-2026-0001")
    desk.pass_days(1)
    assert desk.run() == []
    (payment,) = desk.book.payments
    assert (payment.amount, payment.applied, payment.day) == (
        Decimal("65.00"), [("INV-2026-0001", Decimal("65.00"))], datetime(2026, 11, 21).date())
    receipt = documents(desk, "receipt")[payment.pid]
    assert figures(receipt, "amount", "unapplied", "credit") == (Decimal("65.00"), 0, 0)
    assert not desk.card_payment("INV-2026-0001")  # paid: its link is switched off


def test_a_statement_shows_money_taken_off_a_voided_invoice_on_the_credit_notes_date(tmp_path):
    """A session paid by card in November, its invoice voided on 7 December: December's statement
    lists the credit note and the payment's money taken off the voided invoice, both on 7 December
    (the payment itself is November's), not as a payment received nor as credit applied to the
    invoice it was taken off."""
    desk = desk_for(tmp_path, monthly_statements=True)
    c = desk.add_client(daily=False, email=True)
    s = desk.log_session(c, 1, 0, 0, True)  # 65.00, 21 Nov
    desk.pay(Decimal("65.00"), invoice=s, method="Card")  # P-00001
    assert desk.run() == []
    desk.pass_days(16)  # 7 Dec
    desk.void("INV-2026-0001")
    assert desk.run() == []
    desk.year_end()  # 2 Jan 2027: December's statement
    assert desk.run() == []
    december = documents(desk, "statement")[f"{c} 1 Dec 2026"]
    released = [e for e in december["entries"] if e["kind"] == "released"]
    assert [(e["date_iso"], e["reference"], e["invoice_no"], e["payment"], e["amount"]) for e in released] == [
        ("2026-12-07", "P-00001", "INV-2026-0001", "-65.00 EUR", "65.00 EUR")]
    # the session is billed again on 7 Dec and the freed 65.00 put on that invoice: no money came in
    assert [(e["kind"], e["reference"], e["invoice_no"], e["charge"], e["payment"], e["received"], e["balance"])
            for e in december["entries"]] == [
        ("invoice", "INV-2026-0002", "INV-2026-0002", "65.00 EUR", "", "", "65.00 EUR"),
        ("credit_note", "CN-2026-0001", "INV-2026-0001", "-65.00 EUR", "", "", "0.00 EUR"),
        ("released", "P-00001", "INV-2026-0001", "", "-65.00 EUR", "", "65.00 EUR"),
        ("payment", "P-00001", "INV-2026-0002", "", "65.00 EUR", "", "0.00 EUR")]
    assert figures(december, "opening", "charges", "payments", "received", "closing") == (0, 0, 0, 0, 0)


def test_an_invoice_a_whole_discount_brings_to_nothing_does_not_speak_of_credit(tmp_path):
    """A session at 100 % off, for a client who has paid nothing and owes nothing: its invoice is
    of 0.00 and asks for nothing. It must not tell the client that their credit on account covers
    it (they have none), on the invoice nor in its email."""
    from .oracle.account import Discount

    desk = desk_for(tmp_path)
    c = desk.add_client(daily=False, email=True)
    desk.log_session(c, 1, 1, 1, True, discount=Discount("text", Decimal("100")))  # 65.00 + 6.90 GEL, all off
    assert desk.run() == []
    invoice = documents(desk, "invoice")["INV-2026-0001"]
    assert figures(invoice, "total", "previous_balance", "amount_due") == (0, 0, 0)
    assert desk.book.credit(c, desk.today) == 0
    mail = next(m for m in desk.practice.emails() if "INV-2026-0001" in m["Subject"])
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "credit" not in invoice["payment_terms"].lower()
    assert "credit" not in body.lower()
    assert "quote" not in body.lower()  # no transfer to make: no reference to quote


def test_a_refund_made_before_its_invoices_void_leaves_no_credit_below_nothing(tmp_path):
    """65.00 paid on 21 Nov, 10.00 of it given back on 22 Nov before the invoice is voided (its row
    waits, saying to void it), the void on 23 Nov. The refund receipt is of 22 Nov, when the 65.00
    was still on the invoice: its credit said -10.00 EUR; the client had no credit, they owed the
    10.00 back until the void."""
    desk = desk_for(tmp_path)
    c = desk.add_client(daily=False, email=True)
    desk.log_session(c, 1, 0, 1, True)
    desk.pay(Decimal("65.00"), invoice=desk.log_session(c, 1, 0, 0, True), method="Cash")  # INV-2026-0002
    assert desk.run() == []
    desk.pass_days(1)
    refund = desk.refund_paid_invoice("INV-2026-0002", Decimal("10.00"), "Cash", void=False)
    assert desk.run() == []  # the refund waits for the void
    desk.pass_days(1)
    desk.void("INV-2026-0002")
    assert desk.run() == []
    receipt = documents(desk, "receipt")[refund]
    assert figures(receipt, "kind", "amount", "credit", "has_credit") == ("refund", Decimal("10.00"), 0, False)


def test_a_refund_of_a_voided_invoices_money_comes_before_a_refund_still_waiting_for_its_void(tmp_path):
    """Two invoices paid 58.10 each; 29.05 of the first given back by card (its row waits for
    the first's void), then 58.10 of the second given back and the second voided in the same
    save. The second's money is the second refund's: it was refused as more than the credit,
    because the first refund, applied first, had taken 29.05 of it."""
    desk = desk_for(tmp_path)
    c = desk.add_client(daily=False, email=True)
    s1 = desk.log_session(c, 1, 0, 0, True)
    desk.pay(Decimal("65.00"), invoice=s1)
    desk.run()
    s2 = desk.log_session(c, 1, 0, 0, True)
    desk.pay(Decimal("65.00"), invoice=s2)
    desk.run()
    first, second = sorted(d.no for d in desk.paid_invoices())
    early = desk.refund_paid_invoice(first, Decimal("29.05"), "Card", False)
    late = desk.refund_paid_invoice(second, Decimal("65.00"), "Cash", True)
    assert desk.run() == []
    problems = {p.split(":")[0]: p for p in desk.book.problems}
    assert late not in problems and f"which is paid: void {first}," in problems[early]
    refund = documents(desk, "receipt")[late]
    assert figures(refund, "kind", "amount") == ("refund", Decimal("65.00"))
