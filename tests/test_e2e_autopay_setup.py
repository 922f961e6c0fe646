"""AutoPay's card set-up, end to end on a real workbook against the fake Stripe: a
client with AutoPay = Yes and no card gets one email with a set-up link; once the
card is saved, the customer lands in Clients and AutoPay charges."""

from __future__ import annotations

from datetime import date, timedelta

import openpyxl

from sheetbill import commands

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


def test_over_smtp_an_interrupted_set_up_email_waits_for_a_person_and_is_never_resent_blindly(
        practice, fake_stripe, smtp_server):
    from .test_e2e_smtp import use_smtp
    from .test_stripe_crash import kill_run

    _, port, inbox = smtp_server
    use_smtp(practice, port)
    with_stripe(practice, autopay={"C-001": ""})
    kill_run(practice, "sent", 1)  # the email reached the server; the worker died before writing that down
    report = practice.run()
    asked = [e for e in report.errors if "AutoPay card set-up email of C-001 may or may not have gone out" in e]
    assert len(asked) == 1 and "sheetbill resolve autopay-setup/C-001 --sent" in asked[0]
    assert len([m for m in inbox.messages if "save a card" in str(m["Subject"])]) == 1
    commands.resolve(practice.worker(), "autopay-setup/C-001", sent=True)
    assert not [e for e in practice.run().errors if "AutoPay" in e]
    assert len(inbox.messages) == 1 and len(fake_stripe.of_kind("checkout.session")) == 1


def test_over_smtp_an_interrupted_declined_card_email_waits_for_a_person(practice, fake_stripe, smtp_server):
    from .test_e2e_smtp import use_smtp
    from .test_stripe_crash import kill_run

    _, port, inbox = smtp_server
    use_smtp(practice, port)
    with_stripe(practice, autopay={"C-001": "cus_anna"})
    fake_stripe.add_customer("cus_anna", declines=True)
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    kill_run(practice, "sent", 1)  # the declined-card email went first, then the worker died
    report = practice.run()
    assert any("AutoPay declined-card email of C-001 on 2026-11-21 may or may not have gone out" in e
               for e in report.errors)
    declined = [m for m in inbox.messages if "did not go through" in str(m["Subject"])]
    assert len(declined) == 1
    commands.resolve(practice.worker(), "autopay-mail/C-001/2026-11-21", sent=False)  # not in the Sent folder: send again
    practice.run()
    assert len([m for m in inbox.messages if "did not go through" in str(m["Subject"])]) == 2
    assert len(fake_stripe.of_kind("payment_intent")) == 1  # tried once that day


def test_the_set_up_email_speaks_the_clients_language(practice, fake_stripe):
    from .test_e2e_language import speaks

    with_stripe(practice, autopay={"C-001": ""})
    speaks(practice, "C-001", "fr")
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    assert not practice.run().errors
    [mail] = [m for m in practice.emails() if "enregistrez une carte" in str(m["Subject"])]
    assert mail["Subject"].strip() == "Lindenhof Lymph & Physio : enregistrez une carte pour le paiement automatique"
    body = mail.get_body(("plain",)).get_content()
    url = fake_stripe.of_kind("checkout.session")[0]["url"]
    assert body.startswith("Bonjour Anna Meier,\n\nvous nous avez demandé de débiter votre carte automatiquement")
    assert f"notre prestataire de paiement, Stripe :\n\n  {url}\n\nLe lien est valable 24 heures." in body
    assert "Bien cordialement" in body and "Dear" not in body
