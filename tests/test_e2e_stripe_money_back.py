"""Money that goes back to a client on Stripe's side, end to end on a real workbook against the fake
Stripe, as an admin lives it cycle after cycle: a refund made in the Stripe dashboard, a dispute won
or lost."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from sheetbill.payments.card_events import DISPUTE

from .conftest import NOW, FixedClock, session
from .stripe_practice import with_stripe
from .test_e2e_account import attached_text, body, emails_about
from .test_render_payment import pdf_text as raw_text

pytest_plugins = ["tests.conftest_stripe"]

REFUNDED = ("Client C-001 was refunded 10.00 by card for INV-2026-0001, which is paid: void INV-2026-0001, and "
            "correct or cancel the sessions refunded so that the invoice made again bills only the rest; the next "
            "run then takes the refund out of the credit the void leaves")


def money(v) -> Decimal:
    return Decimal(str(v)).quantize(Decimal("0.01"))


def on(day: int) -> FixedClock:
    """The run of `day` November 2026, 10:30 in Berlin (after AutoPay's hour)."""
    return FixedClock(NOW + timedelta(days=day - 21))


def autopay_client(practice, fake_stripe) -> dict:
    """Anna on AutoPay, billed 65.00 on 21 Nov and charged it the same run: her PaymentIntent."""
    practice.configure("monthly: false", "monthly: true")
    with_stripe(practice, autopay={"C-001": "cus_anna"})
    fake_stripe.add_customer("cus_anna")
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run(on(21))
    (pi,) = fake_stripe.of_kind("payment_intent")
    assert practice.rows("Invoices")[0]["Status"] == "Paid"
    return pi


def test_a_refund_made_in_stripe_on_a_paid_invoice_waits_for_its_void_then_comes_out_of_the_credit(
        practice, fake_stripe):
    """The practice refunds Anna 10.00 of her paid 65.00 in the Stripe dashboard. The invoice stays
    Paid and the refund's row says what happened and what to do (it said the refund was 'more than
    client C-001's Credit'); once the admin voids the invoice and bills the session again with 10.00
    off, the next run applies the refund from the credit the void leaves, with no Problem left, no
    AutoPay charge, and receipts and a statement that add up."""
    pi = autopay_client(practice, fake_stripe)
    refund = fake_stripe.refund(pi["id"], 1000, datetime(2026, 11, 22, 8, tzinfo=UTC))
    for day in (22, 23):
        report = practice.run(on(day))
        row = practice.rows("Payments")[1]
        assert (row["Reference"], money(row["Amount"]), row["Invoice No"], row["Applied To"], row["Problem"]) == (
            refund["id"], Decimal("-10.00"), "INV-2026-0001", None, REFUNDED)
        assert [p.message for p in report.problems] == [REFUNDED]
        assert practice.rows("Invoices")[0]["Status"] == "Paid"
    assert not emails_about(practice, "Refund receipt")

    practice.set("Invoices", "INV-2026-0001", "Status", "Void")  # the admin's credit note
    practice.set("Sessions", "S-00001", "Discount", "10.00")  # billed again for what Anna keeps paying
    assert not practice.run(on(24)).problems
    assert not practice.run(on(25)).problems
    payments = practice.rows("Payments")
    assert [(p["Reference"][:3], money(p["Amount"]), p["Applied To"], p["Receipt No"], p["Problem"])
            for p in payments] == [
        ("pi_", Decimal("65.00"), "INV-2026-0001 65.00; INV-2026-0002 55.00", "RCPT-2026-0001", None),
        ("re_", Decimal("-10.00"), "Refund -10.00", "RCPT-2026-0002", None)]
    assert [(i["Invoice No"], money(i["Total"]), money(i["Paid"]), money(i["Balance"]), i["Status"])
            for i in practice.rows("Invoices")] == [
        ("INV-2026-0001", Decimal("65.00"), Decimal("0.00"), Decimal("0.00"), "Void"),  # none of it is credit now
        ("CN-2026-0001", Decimal("-65.00"), Decimal("0.00"), Decimal("0.00"), "Finalized"),
        ("INV-2026-0002", Decimal("55.00"), Decimal("55.00"), Decimal("0.00"), "Paid")]
    anna = practice.rows("Clients")[0]
    assert (money(anna["Balance"]), money(anna["Credit"])) == (Decimal("0.00"), Decimal("0.00"))
    assert [i["amount"] for i in fake_stripe.of_kind("payment_intent")] == [6500]  # nothing charged again

    (receipt,) = emails_about(practice, "Refund receipt")
    assert ("We have refunded 10.00 EUR to you on 22 Nov 2026 (Card), from what you paid on invoice INV-2026-0001, "
            "to be settled by the credit its cancellation leaves.") in body(receipt)  # she had no credit then
    assert "No credit is left on your account." in body(receipt)
    text = attached_text(practice, receipt)
    assert "Amount refunded 10.00 EUR" in text and "Reference: " + refund["id"] in text

    practice.run(FixedClock(datetime(2026, 12, 1, 8, tzinfo=UTC)))  # November's statement
    (statement,) = emails_about(practice, "Statement")
    assert ("Opening balance: 0.00 EUR Invoiced: 55.00 EUR Paid: 55.00 EUR Closing balance: 0.00 EUR Thank you: "
            "there is nothing to pay.") in body(statement)
    text = attached_text(practice, statement)
    assert ("22 Nov 2026 Refund of 10.00 EUR paid back to you from -10.00 EUR 10.00 EUR what you paid on invoice "
            "INV-2026-0001, to be settled by the credit its cancellation leaves") in text  # she had no credit then
    assert "23 Nov 2026" not in text  # the void was on 24 Nov


MANY = ("Client C-001 was refunded 100.00 by card of a payment that paid INV-2026-0001 and INV-2026-0002: 65.00 "
        "taken back from INV-2026-0002 and 35.00 from INV-2026-0001 (the last paid first). Void INV-2026-0002 and "
        "INV-2026-0001, and correct or cancel the sessions refunded so that the invoices made again bill only the "
        "rest; the next run then takes the refund out of the credit the voids leave")


def test_a_refund_of_an_autopay_charge_that_paid_two_invoices_names_both_and_what_each_gave_back(
        practice, fake_stripe):
    """AutoPay charged Anna 130.00 for two invoices at once; the practice refunds 100.00 of it in
    Stripe. The row named only the last invoice (INV-2026-0002, 65.00 paid: less than the refund)
    and said the refund was more than her credit. It now names both, and what the account says was
    taken back from each (the last paid first); once both are voided and the session she keeps is
    billed again, the refund receipt and its email name them too."""
    practice.configure("monthly: false", "monthly: true")
    with_stripe(practice, autopay={"C-001": "cus_anna"})
    fake_stripe.add_customer("cus_anna")
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)), session("S-00002", date(2026, 11, 3)))
    practice.run(on(21))
    (pi,) = fake_stripe.of_kind("payment_intent")
    assert pi["amount"] == 13000
    assert practice.rows("Payments")[0]["Applied To"] == "INV-2026-0001 65.00; INV-2026-0002 65.00"
    refund = fake_stripe.refund(pi["id"], 10000, datetime(2026, 11, 22, 8, tzinfo=UTC))
    for day in (22, 23):
        report = practice.run(on(day))
        row = practice.rows("Payments")[1]
        assert (row["Reference"], money(row["Amount"]), row["Invoice No"], row["Applied To"], row["Problem"]) == (
            refund["id"], Decimal("-100.00"), "INV-2026-0001, INV-2026-0002", None, MANY)
        assert [p.message for p in report.problems] == [MANY]

    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    practice.set("Invoices", "INV-2026-0002", "Status", "Void")
    practice.set("Sessions", "S-00002", "Status", "Cancelled")
    practice.set("Sessions", "S-00001", "Discount", "35.00")  # Anna keeps 30.00 of the first session
    assert not practice.run(on(24)).problems
    row = practice.rows("Payments")[1]
    assert (row["Applied To"], row["Problem"]) == ("Refund -100.00", None)
    assert [i["amount"] for i in fake_stripe.of_kind("payment_intent")] == [13000]  # nothing charged again

    (receipt,) = emails_about(practice, "Refund receipt")
    said = body(receipt)
    # paid back before the voids: out of what was paid on both, the last paid first, as the credit notes say
    assert ("We have refunded 100.00 EUR to you on 22 Nov 2026 (Card), from what you paid on invoices "
            "INV-2026-0002, INV-2026-0001, to be settled by the credit their cancellation leaves.") in said
    assert ("The refund concerns: - invoice INV-2026-0002: 65.00 EUR - invoice INV-2026-0001: 35.00 EUR") in said
    text = attached_text(practice, receipt)
    assert "Invoice INV-2026-0002 65.00 EUR Invoice INV-2026-0001 35.00 EUR" in text
    assert "Amount refunded 100.00 EUR" in text
    notes = [body(note) for note in emails_about(practice, "Credit note")]  # the same shares as the receipt
    assert ("65.00 EUR had been paid on it: 30.00 EUR is set against invoice INV-2026-0003, 35.00 EUR has been "
            "refunded to you.") in notes[0]
    assert "It cancels invoice INV-2026-0002 (65.00 EUR). The 65.00 EUR paid on it has been refunded to you." in notes[1]


def disputed(practice, fake_stripe) -> dict:
    """Anna's 65.00 disputed on 22 Nov, and a second invoice of hers open (AutoPay leaves her alone)."""
    pi = autopay_client(practice, fake_stripe)
    dispute = fake_stripe.dispute(pi["id"], when=datetime(2026, 11, 22, 8, tzinfo=UTC))
    practice.append("Sessions", session("S-00002", date(2026, 11, 20)))  # INV-2026-0002, 65.00
    report = practice.run(on(22))
    row = practice.rows("Payments")[1]
    assert (row["Reference"], money(row["Amount"]), row["Problem"]) == (dispute["id"], Decimal("-65.00"), DISPUTE)
    assert [p.message for p in report.problems] == [DISPUTE]
    assert len(fake_stripe.of_kind("payment_intent")) == 1
    return dispute


WON = ("Dispute won on Stripe on 2026-11-25: the practice keeps the 65.00 and nothing is taken off the client's "
       "account; this row stays for the record and is never applied")


def test_a_dispute_the_practice_wins_keeps_the_money_paid_and_its_row_says_so(practice, fake_stripe):
    """The bank decided for the practice: the dispute row waited for a person and, once cleared, was
    applied as money gone. Now the row says the dispute was won, is never applied, is no problem
    to report, and AutoPay charges Anna's open invoice again."""
    dispute = disputed(practice, fake_stripe)
    fake_stripe.close_dispute(dispute["id"], won=True, when=datetime(2026, 11, 25, 8, tzinfo=UTC))
    for day in (25, 26):
        report = practice.run(on(day))
        assert not report.problems and not report.errors
        row = practice.rows("Payments")[1]
        assert (row["Reference"], row["Applied To"], row["Receipt No"], row["Problem"]) == (
            dispute["id"], None, None, WON)
    assert [(i["Invoice No"], i["Status"]) for i in practice.rows("Invoices")] == [
        ("INV-2026-0001", "Paid"), ("INV-2026-0002", "Paid")]
    assert [i["amount"] for i in fake_stripe.of_kind("payment_intent")] == [6500, 6500]  # INV-2026-0002
    anna = practice.rows("Clients")[0]
    assert (money(anna["Balance"]), money(anna["Credit"])) == (Decimal("0.00"), Decimal("0.00"))
    assert not emails_about(practice, "Refund receipt")
    assert "Problems 0" in dashboard(practice)

    practice.run(FixedClock(datetime(2026, 12, 1, 8, tzinfo=UTC)))  # November's statement: no dispute in it
    (statement,) = emails_about(practice, "Statement")
    assert "Invoiced: 130.00 EUR Paid: 130.00 EUR Closing balance: 0.00 EUR" in body(statement)
    assert dispute["id"] not in attached_text(practice, statement)


LOST = ("Dispute lost: client C-001's payment of 65.00 by card for INV-2026-0001, which is paid, was disputed "
        "and reversed by the bank: void INV-2026-0001, and correct or cancel the sessions concerned so that the "
        "invoice made again bills only the rest; the next run then takes the reversal out of the credit the void "
        "leaves")


def test_a_dispute_lost_is_money_gone_from_the_paid_invoice_once(practice, fake_stripe):
    """The bank decided for Anna: the row no longer waits for a person; it is money taken back, and as
    its invoice is paid its row says to void it. The event is read once: what the row says next is the
    run's, not the dispute's again. Nowhere is it called a refund: the practice refunded nothing, the
    bank reversed Anna's card payment."""
    dispute = disputed(practice, fake_stripe)
    fake_stripe.close_dispute(dispute["id"], won=False, when=datetime(2026, 11, 25, 8, tzinfo=UTC))
    for day in (25, 26):
        report = practice.run(on(day))
        row = practice.rows("Payments")[1]
        assert (row["Reference"], row["Applied To"], row["Problem"]) == (dispute["id"], None, LOST)
        assert [p.message for p in report.problems] == [LOST]
    # AutoPay no longer waits: it charged the open INV-2026-0002, never the 65.00 gone
    assert [i["amount"] for i in fake_stripe.of_kind("payment_intent")] == [6500, 6500]

    practice.set("Invoices", "INV-2026-0001", "Status", "Void")  # the practice writes the 65.00 off
    practice.set("Sessions", "S-00001", "Status", "Cancelled")
    assert not practice.run(on(27)).problems
    row = practice.rows("Payments")[1]
    assert (row["Applied To"], row["Problem"]) == ("Chargeback -65.00", None)
    assert [i["amount"] for i in fake_stripe.of_kind("payment_intent")] == [6500, 6500]

    (note,) = emails_about(practice, "Credit note")
    said = "The 65.00 EUR paid on it was disputed with your bank and taken back by it."
    assert f"It cancels invoice INV-2026-0001 (65.00 EUR). {said}" in body(note)
    assert f"This credit note cancels invoice INV-2026-0001. {said}" in raw_text(
        list(note.iter_attachments())[0].get_content())
    assert not emails_about(practice, "Refund")
    (notice,) = emails_about(practice, "Card payment reversed")
    said = body(notice)
    # Anna had no credit on 22 Nov: the 65.00 came out of what she paid on the invoice voided since
    assert ("Your payment of 65.00 EUR (Card) of 22 Nov 2026 was disputed with your bank and reversed by it: the "
            "money went back to you through your bank, not as a refund from us, and it comes out of what you paid "
            "on invoice INV-2026-0001, to be settled by the credit its cancellation leaves.") in said
    assert "refunded" not in said.lower()
    text = attached_text(practice, notice)
    assert "REVERSED FOR Anna Meier" in text and "Reversed by your bank" in text
    assert ("Card · 22 Nov 2026, disputed with your bank and reversed by it, from what you paid on invoice "
            "INV-2026-0001, to be settled by the credit its cancellation leaves") in text
    assert "Amount reversed 65.00 EUR" in text and "Reference: " + dispute["id"] in text
    assert "refund" not in text.lower()

    practice.run(FixedClock(datetime(2026, 12, 1, 8, tzinfo=UTC)))  # November's statement
    (statement,) = emails_about(practice, "Statement")
    text = attached_text(practice, statement)
    assert "22 Nov 2026 Card payment reversed: 65.00 EUR disputed" in text
    assert ("with your bank and taken back by it, to be settled by the credit the cancellation of invoice "
            "INV-2026-0001 leaves P-00002 · Card · " + dispute["id"]) in text  # the void came after it
    assert "refund" not in text.lower()


INQUIRY_CLOSED = ("Dispute won on Stripe on 2026-11-25 (the bank's inquiry was closed without a chargeback): the "
                  "practice keeps the 65.00 and nothing is taken off the client's account; this row stays for the "
                  "record and is never applied")
PREVENTED = ("Dispute prevented on Stripe on 2026-11-25: no chargeback was filed, so this row takes nothing off the "
             "client's account (a refund made to prevent it comes in as its own row); this row stays for the record "
             "and is never applied")


@pytest.mark.parametrize("status, inquiry, note", [("warning_closed", True, INQUIRY_CLOSED),
                                                   ("prevented", False, PREVENTED)])
def test_a_dispute_closed_without_a_chargeback_moves_no_money(practice, fake_stripe, status, inquiry, note):
    """An inquiry the bank closed (warning_closed), or a dispute stopped before it became a chargeback
    (prevented): nothing was taken from the practice by the dispute, as when it is won. The row says
    so, is never applied nor reported, and AutoPay charges Anna's open invoice again."""
    pi = autopay_client(practice, fake_stripe)
    dispute = fake_stripe.dispute(pi["id"], when=datetime(2026, 11, 22, 8, tzinfo=UTC), inquiry=inquiry)
    practice.append("Sessions", session("S-00002", date(2026, 11, 20)))
    practice.run(on(22))
    fake_stripe.close_dispute(dispute["id"], when=datetime(2026, 11, 25, 8, tzinfo=UTC), status=status)
    for day in (25, 26):
        report = practice.run(on(day))
        assert not report.problems and not report.errors
        row = practice.rows("Payments")[1]
        assert (row["Reference"], row["Applied To"], row["Receipt No"], row["Problem"]) == (
            dispute["id"], None, None, note)
    assert [(i["Invoice No"], i["Status"]) for i in practice.rows("Invoices")] == [
        ("INV-2026-0001", "Paid"), ("INV-2026-0002", "Paid")]
    assert [i["amount"] for i in fake_stripe.of_kind("payment_intent")] == [6500, 6500]
    anna = practice.rows("Clients")[0]
    assert (money(anna["Balance"]), money(anna["Credit"])) == (Decimal("0.00"), Decimal("0.00"))
    assert not emails_about(practice, "Refund") and not emails_about(practice, "reversed")


def test_a_dispute_closed_as_stripe_says_something_new_waits_for_a_person_who_is_told_what_to_do(
        practice, fake_stripe):
    """A status sheetbill does not know: whether the money stayed is not guessed. The row keeps waiting
    (AutoPay too), and its Problem no longer says the next run settles it, but what a person does."""
    dispute = disputed(practice, fake_stripe)
    fake_stripe.close_dispute(dispute["id"], when=datetime(2026, 11, 25, 8, tzinfo=UTC), status="settled_elsewhere")
    said = ("Disputed on Stripe and closed there on 2026-11-25 as 'settled_elsewhere', which sheetbill does not "
            "know: if the 65.00 is gone, clear this Problem (the row is then applied as money paid back); if the "
            "practice kept it, delete this row. AutoPay leaves this client alone until then")
    report = practice.run(on(25))
    assert report.errors == [f"{dispute['id']}: the dispute was closed on Stripe as 'settled_elsewhere'; "
                             "left for a person (its row says what to do)"]
    for day in (25, 26):
        if day == 26:
            report = practice.run(on(day))
            assert not report.errors
        row = practice.rows("Payments")[1]
        assert (row["Applied To"], row["Problem"]) == (None, said)
        assert [p.message for p in report.problems] == [said]
    assert len(fake_stripe.of_kind("payment_intent")) == 1  # AutoPay still leaves Anna alone


def test_a_dispute_made_and_decided_between_two_runs_comes_in_decided(practice, fake_stripe):
    pi = autopay_client(practice, fake_stripe)
    dispute = fake_stripe.dispute(pi["id"], when=datetime(2026, 11, 22, 8, tzinfo=UTC))
    fake_stripe.close_dispute(dispute["id"], won=True, when=datetime(2026, 11, 25, 8, tzinfo=UTC))
    assert not practice.run(on(25)).problems
    assert [(p["Reference"], p["Problem"]) for p in practice.rows("Payments")][1:] == [(dispute["id"], WON)]


def dashboard(practice) -> str:
    return " ".join(str(v) for row in practice.rows("Dashboard") for v in row.values() if v is not None)


def test_a_dispute_won_after_a_person_applied_its_row_is_named_once_for_the_money_that_came_back(
        practice, fake_stripe):
    pi = autopay_client(practice, fake_stripe)
    practice.append("Payments", [None, date(2026, 11, 21), "C-001", None, 65, "Cash"])  # 65.00 of credit
    dispute = fake_stripe.dispute(pi["id"], when=datetime(2026, 11, 22, 8, tzinfo=UTC))
    practice.run(on(22))
    practice.set("Payments", "P-00003", "Problem", None)  # a person settles it by hand: money gone
    practice.run(on(23))
    assert practice.rows("Payments")[2]["Applied To"] == "Refund -65.00"
    fake_stripe.close_dispute(dispute["id"], won=True, when=datetime(2026, 11, 25, 8, tzinfo=UTC))
    assert practice.run(on(25)).errors == [
        f"{dispute['id']}: the dispute was won on Stripe, but its row P-00003 was applied as money gone "
        "(Refund -65.00); the 65.00 came back: enter it as a Card payment of the client"]
    assert practice.run(on(26)).errors == []


def test_the_credit_note_of_a_refunded_paid_invoice_keeps_no_credit_that_was_refunded(practice, fake_stripe):
    """Anna's paid 65.00 is refunded 10.00 in the Stripe dashboard; the admin voids the invoice and
    bills the session again with 10.00 off. The credit note tells her where her 65.00 went: 55.00 to
    the invoice made again and 10.00 refunded to her (it said the 10.00 was kept as credit on her
    account, which the refund receipt of the same run said was empty), and its PDF says the same."""
    pi = autopay_client(practice, fake_stripe)
    fake_stripe.refund(pi["id"], 1000, datetime(2026, 11, 22, 8, tzinfo=UTC))
    practice.run(on(22))
    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    practice.set("Sessions", "S-00001", "Discount", "10.00")
    assert not practice.run(on(24)).problems

    (note,) = emails_about(practice, "Credit note")
    said = ("65.00 EUR had been paid on it: 55.00 EUR is set against invoice INV-2026-0002, 10.00 EUR has been "
            "refunded to you.")
    assert f"It cancels invoice INV-2026-0001 (65.00 EUR). {said}" in body(note)
    (pdf,) = list(note.iter_attachments())
    text = raw_text(pdf.get_content())
    assert f"This credit note cancels invoice INV-2026-0001. {said}" in text
    assert "kept as credit" not in body(note) + text
    (receipt,) = emails_about(practice, "Refund receipt")
    assert "No credit is left on your account." in body(receipt)


def test_the_statement_never_shows_as_credit_money_refunded_before_the_void(practice, fake_stripe):
    """November's statement lists the refund of 22 Nov before the credit note of 24 Nov whose credit
    it comes out of. Its running balance said 0.00 after the refund and then -10.00 after the credit
    note, a credit of 10.00 that had been paid back; it now counts the refund as owed until the void
    (10.00), and the void sets free for credit only the 55.00 not paid back, never below nothing."""
    pi = autopay_client(practice, fake_stripe)
    fake_stripe.refund(pi["id"], 1000, datetime(2026, 11, 22, 8, tzinfo=UTC))
    practice.run(on(22))
    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    practice.set("Sessions", "S-00001", "Discount", "10.00")
    practice.run(on(24))
    practice.run(FixedClock(datetime(2026, 12, 1, 8, tzinfo=UTC)))  # November's statement
    (statement,) = emails_about(practice, "Statement")
    assert "Invoiced: 55.00 EUR Paid: 55.00 EUR Closing balance: 0.00 EUR Thank you: there is nothing to pay." in (
        body(statement))
    text = attached_text(practice, statement)
    assert "22 Nov 2026 Refund of 10.00 EUR paid back to you from -10.00 EUR 10.00 EUR" in text
    assert "out of your credit" not in text.replace("-10.00 EUR 10.00 EUR ", "")
    assert "24 Nov 2026 Invoice INV-2026-0002 55.00 EUR 65.00 EUR" in text
    assert "24 Nov 2026 Credit note CN-2026-0001 -65.00 EUR 0.00 EUR" in text
    assert "24 Nov 2026 Credit back from cancelled invoice -55.00 EUR 55.00 EUR" in text
    assert "24 Nov 2026 Credit applied to invoice INV-2026-0002 55.00 EUR 0.00 EUR" in text
    assert "-10.00 EUR cancels" not in text and "30 Nov 2026 Closing balance 0.00 EUR" in text
