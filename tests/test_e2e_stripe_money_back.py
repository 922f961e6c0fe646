"""Money that goes back to a client on Stripe's side, end to end on a real workbook against the fake
Stripe, as an admin lives it cycle after cycle: a refund made in the Stripe dashboard, a dispute won
or lost."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from .conftest import NOW, FixedClock, session
from .stripe_practice import with_stripe
from .test_e2e_account import attached_text, body, emails_about

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
        ("INV-2026-0001", Decimal("65.00"), Decimal("65.00"), Decimal("0.00"), "Void"),
        ("CN-2026-0001", Decimal("-65.00"), Decimal("0.00"), Decimal("0.00"), "Finalized"),
        ("INV-2026-0002", Decimal("55.00"), Decimal("55.00"), Decimal("0.00"), "Paid")]
    anna = practice.rows("Clients")[0]
    assert (money(anna["Balance"]), money(anna["Credit"])) == (Decimal("0.00"), Decimal("0.00"))
    assert [i["amount"] for i in fake_stripe.of_kind("payment_intent")] == [6500]  # nothing charged again

    (receipt,) = emails_about(practice, "Refund receipt")
    assert "We have refunded 10.00 EUR to you on 22 Nov 2026 (Card), out of the credit on your account." in (
        body(receipt))
    assert "No credit is left on your account." in body(receipt)
    text = attached_text(practice, receipt)
    assert "Amount refunded 10.00 EUR" in text and "Reference: " + refund["id"] in text

    practice.run(FixedClock(datetime(2026, 12, 1, 8, tzinfo=UTC)))  # November's statement
    (statement,) = emails_about(practice, "Statement")
    assert ("Opening balance: 0.00 EUR Invoiced: 55.00 EUR Paid: 55.00 EUR Closing balance: 0.00 EUR Thank you: "
            "there is nothing to pay.") in body(statement)
    text = attached_text(practice, statement)
    assert "22 Nov 2026 Refund of 10.00 EUR paid back to you out of 0.00 EUR 0.00 EUR your credit" in text
    assert "23 Nov 2026" not in text  # the void was on 24 Nov
