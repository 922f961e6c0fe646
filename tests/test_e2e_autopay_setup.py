"""AutoPay's card set-up, end to end on a real workbook against the fake Stripe: a
client with AutoPay = Yes and no card gets one email with a set-up link; once the
card is saved, the customer lands in Clients and AutoPay charges."""

from __future__ import annotations

from datetime import date, timedelta

import openpyxl

from .conftest import NOW, FixedClock, session
from .stripe_practice import with_stripe

pytest_plugins = ["tests.conftest_stripe"]


def setup_mails(practice) -> list:
    return [m for m in practice.emails() if "save a card" in str(m["Subject"])]


def set_client(practice, client_id: str, header: str, value) -> None:
    wb = openpyxl.load_workbook(practice.workbook)
    ws = wb["Clients"]
    col = [c.value for c in ws[1]].index(header) + 1
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == client_id)
    ws.cell(row=row, column=col).value = value
    wb.save(practice.workbook)


def test_no_card_saved_one_set_up_email_then_the_customer_is_written_and_autopay_charges(practice, fake_stripe):
    with_stripe(practice, autopay={"C-001": ""})
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))  # INV-2026-0001, 65.00
    assert not practice.run().errors
    practice.run()
    sessions = fake_stripe.of_kind("checkout.session")
    assert [(s["mode"], s["metadata"]) for s in sessions] == [("setup", {"client_id": "C-001"})]
    customer = fake_stripe.objects[sessions[0]["customer"]]
    assert (customer["email"], customer["metadata"]) == ("anna@example.com", {"client_id": "C-001"})
    mails = setup_mails(practice)
    assert len(mails) == 1 and mails[0]["To"].addresses[0].addr_spec == "anna@example.com"
    assert sessions[0]["url"] in mails[0].get_body(("plain",)).get_content()
    assert fake_stripe.of_kind("payment_intent") == []  # no card yet: nothing charged
    fake_stripe.complete_setup(sessions[0]["id"])
    assert not practice.run().errors
    assert practice.rows("Clients")[0]["Stripe Customer"] == customer["id"]
    intents = fake_stripe.of_kind("payment_intent")
    assert [(i["amount"], i["customer"]) for i in intents] == [(6500, customer["id"])]
    assert practice.rows("Invoices")[0]["Status"] == "Paid"
    practice.run()
    assert len(setup_mails(practice)) == 1 and len(fake_stripe.of_kind("checkout.session")) == 1


def test_a_client_without_email_gets_no_link_and_the_admin_is_told(practice, fake_stripe):
    with_stripe(practice, autopay={"C-002": ""})
    set_client(practice, "C-002", "Email", None)
    report = practice.run()
    assert [p.message for p in report.problems if p.key == "C-002"] == [
        "AutoPay: no Email to send the card set-up link to"]
    assert fake_stripe.of_kind("checkout.session") == []


def test_autopay_set_to_no_and_back_to_yes_sends_a_new_link(practice, fake_stripe):
    with_stripe(practice, autopay={"C-001": ""})
    practice.run()
    set_client(practice, "C-001", "AutoPay", "No")
    practice.run()
    assert len(setup_mails(practice)) == 1
    set_client(practice, "C-001", "AutoPay", "Yes")
    practice.run(FixedClock(NOW + timedelta(hours=1)))
    assert len(setup_mails(practice)) == 2


def test_stripe_down_makes_no_email_and_the_next_cycle_sends_it(practice, fake_stripe):
    with_stripe(practice, autopay={"C-001": ""})
    fake_stripe.fail("/v1/customers", "500", times=10)
    report = practice.run()
    assert [e for e in report.errors if "set-up" in e] == [
        "AutoPay card set-up of C-001: link not made: Stripe: fake fault 500"]
    assert setup_mails(practice) == []
    fake_stripe.faults.clear()
    practice.run()
    assert len(setup_mails(practice)) == 1
