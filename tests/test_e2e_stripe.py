"""Card payments on Stripe, end to end on a real workbook against the fake Stripe:
pay links, payments, refunds and disputes from events, AutoPay, faults."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from sheetbill.payments.card_events import DISPUTE

from .conftest import NOW, FixedClock, session
from .stripe_practice import with_stripe

pytest_plugins = ["tests.conftest_stripe"]

NIGHT = datetime(2026, 11, 21, 1, 30, tzinfo=UTC)  # 02:30 in Berlin: before AutoPay's hour


def money(v) -> Decimal:
    return Decimal(str(v)).quantize(Decimal("0.01"))


def one_invoice(practice, client="C-001") -> None:
    practice.append("Sessions", session("S-00001", date(2026, 11, 2), client=client))  # INV-2026-0001, 65.00


def test_an_invoice_with_a_balance_gets_one_pay_link_in_its_row_email_and_pdf(practice, fake_stripe):
    with_stripe(practice)
    one_invoice(practice)
    report = practice.run()
    assert not report.errors
    links = fake_stripe.of_kind("payment_link")
    assert len(links) == 1 and links[0]["metadata"] == {"invoice_no": "INV-2026-0001", "client_id": "C-001"}
    assert fake_stripe.objects[links[0]["_price"]]["unit_amount"] == 6500
    row = practice.rows("Invoices")[0]
    assert row["Pay Link"] == links[0]["url"]
    body = practice.emails()[0].get_body(("plain",)).get_content()
    assert f"Pay this invoice online by card (65.00 EUR): {links[0]['url']}" in body
    practice.run()
    practice.run()
    assert len(fake_stripe.of_kind("payment_link")) == 1  # no second link


def test_a_partial_payment_elsewhere_switches_the_old_link_off_and_makes_one_for_the_rest(practice, fake_stripe):
    with_stripe(practice)
    one_invoice(practice)
    practice.run()
    practice.append("Payments", [None, date(2026, 11, 20), "C-001", "INV-2026-0001", 15, "Cash"])
    practice.run()
    old, new = sorted(fake_stripe.of_kind("payment_link"), key=lambda link: link["id"])
    assert old["active"] is False and new["active"] is True
    assert fake_stripe.objects[new["_price"]]["unit_amount"] == 5000
    assert practice.rows("Invoices")[0]["Pay Link"] == new["url"]
    practice.append("Payments", [None, date(2026, 11, 20), "C-001", "INV-2026-0001", 50, "Cash"])
    practice.run()
    assert not fake_stripe.objects[new["id"]]["active"]  # paid in full: no link left
    assert practice.rows("Invoices")[0]["Pay Link"] in (None, "")


def test_a_card_payment_comes_in_once_as_a_payments_row_and_refunds_and_disputes_as_negative_ones(
        practice, fake_stripe):
    with_stripe(practice)
    one_invoice(practice)
    practice.run()
    link = fake_stripe.of_kind("payment_link")[0]
    pi = fake_stripe.pay(link["id"], datetime(2026, 11, 20, 23, 30, tzinfo=UTC))  # 21 Nov in Berlin
    practice.run()
    practice.run()
    payments = practice.rows("Payments")
    assert [(p["Date"].date(), p["Invoice No"], money(p["Amount"]), p["Method"], p["Reference"])
            for p in payments] == [(date(2026, 11, 21), "INV-2026-0001", Decimal("65.00"), "Card", pi["id"])]
    assert practice.rows("Invoices")[0]["Status"] == "Paid"
    assert fake_stripe.objects[link["id"]]["active"] is False
    fake_stripe.refund(pi["id"], 1000, datetime(2026, 11, 21, 8, tzinfo=UTC))
    fake_stripe.dispute(pi["id"], 5500, datetime(2026, 11, 21, 9, tzinfo=UTC))
    practice.run()
    practice.run()
    rows = practice.rows("Payments")
    assert [(money(p["Amount"]), p["Reference"][:3]) for p in rows] == [
        (Decimal("65.00"), "pi_"), (Decimal("-10.00"), "re_"), (Decimal("-55.00"), "dp_")]
    assert rows[1]["Problem"].startswith("Client C-001 was refunded 10.00 by card for INV-2026-0001, which is paid: "
                                         "void INV-2026-0001")
    assert rows[2]["Problem"] == DISPUTE  # a person looks at every dispute, in its own words


def test_autopay_charges_the_open_balance_once_a_day_from_its_hour_and_never_a_draft(practice, fake_stripe):
    with_stripe(practice, autopay={"C-001": "cus_anna"})
    fake_stripe.add_customer("cus_anna")
    one_invoice(practice)
    practice.run(FixedClock(NIGHT))
    assert fake_stripe.of_kind("payment_intent") == []  # before the hour
    practice.run()
    practice.run()
    intents = fake_stripe.of_kind("payment_intent")
    assert [(i["amount"], i["customer"]) for i in intents] == [(6500, "cus_anna")]
    payments = practice.rows("Payments")
    assert [(p["Client"], money(p["Amount"]), p["Method"], p["Reference"]) for p in payments] == [
        ("C-001", Decimal("65.00"), "Card", intents[0]["id"])]
    assert practice.rows("Invoices")[0]["Status"] == "Paid"


def test_a_declined_card_tells_the_admin_and_emails_the_client_a_pay_link_once(practice, fake_stripe):
    with_stripe(practice, autopay={"C-001": "cus_anna"})
    fake_stripe.add_customer("cus_anna", declines=True)
    one_invoice(practice)
    report = practice.run()
    assert any("AutoPay: the card was declined" in p.message for p in report.problems)
    practice.run()
    mails = [m for m in practice.emails() if "did not go through" in m["Subject"]]
    assert len(mails) == 1 and mails[0]["To"].addresses[0].addr_spec == "anna@example.com"
    link = practice.rows("Invoices")[0]["Pay Link"]
    assert link and link in mails[0].get_body(("plain",)).get_content()
    assert len([i for i in fake_stripe.of_kind("payment_intent")]) == 1  # tried once today


def test_faults_429_5xx_and_an_answer_lost_after_the_charge_make_nothing_twice(practice, fake_stripe):
    with_stripe(practice, autopay={"C-001": "cus_anna"})
    fake_stripe.add_customer("cus_anna")
    fake_stripe.fail("/v1/payment_links", "429")
    fake_stripe.fail("/v1/prices", "500")
    one_invoice(practice)
    report = practice.run(FixedClock(NIGHT))  # links only, before AutoPay's hour
    assert report.errors == ["INV-2026-0001: pay link not made: Stripe: fake fault 429"]  # 5xx retried, 429 not
    assert practice.run(FixedClock(NIGHT)).errors == []  # the next cycle makes it
    assert len(fake_stripe.of_kind("payment_link")) == 1
    fake_stripe.fail("/v1/payment_intents", "drop_after")  # charged, the answer never arrives
    report = practice.run()
    assert not report.errors
    assert len(fake_stripe.of_kind("payment_intent")) == 1
    assert len(practice.rows("Payments")) == 1


def test_stripe_down_leaves_a_clear_error_and_the_next_cycle_catches_up(practice, fake_stripe):
    with_stripe(practice)
    fake_stripe.fail("/v1/", "500", times=50)
    one_invoice(practice)
    report = practice.run()
    assert report.errors and all("Traceback" not in e for e in report.errors)
    assert practice.rows("Invoices")[0]["Invoice No"] == "INV-2026-0001"
    fake_stripe.faults.clear()
    practice.run()
    assert len(fake_stripe.of_kind("payment_link")) == 1
    assert practice.rows("Invoices")[0]["Pay Link"]


def test_the_pdfs_card_qr_code_opens_the_pay_link(practice, fake_stripe, tmp_path):
    from .test_e2e_payment_codes import scan

    with_stripe(practice)
    one_invoice(practice)
    practice.run()
    row = practice.rows("Invoices")[0]
    assert row["Pay Link"] in scan(practice.folder / row["PDF"], tmp_path / "scan")


def set_cell(practice, tab: str, key: str | int, header: str, value) -> None:
    """`key`: the row's key, or its row number."""
    import openpyxl

    wb = openpyxl.load_workbook(practice.workbook)
    ws = wb[tab]
    col = [c.value for c in ws[1]].index(header) + 1
    row = key if isinstance(key, int) else next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == key)
    ws.cell(row=row, column=col).value = value
    wb.save(practice.workbook)


def test_autopay_never_charges_a_draft(practice, fake_stripe):
    practice.configure("finalize: auto", "finalize: review")
    with_stripe(practice, autopay={"C-001": "cus_anna"})
    fake_stripe.add_customer("cus_anna")
    one_invoice(practice)
    practice.run()
    practice.run()
    assert practice.rows("Invoices")[0]["Status"] == "Draft"
    assert fake_stripe.of_kind("payment_intent") == [] and fake_stripe.of_kind("payment_link") == []
    set_cell(practice, "Invoices", 2, "Status", "Finalized")  # the admin finalizes the draft
    practice.run(FixedClock(NOW + timedelta(days=1)))
    assert [i["amount"] for i in fake_stripe.of_kind("payment_intent")] == [6500]


def test_a_dispute_keeps_its_words_and_autopay_leaves_the_client_alone_until_a_person_clears_them(
        practice, fake_stripe):
    with_stripe(practice, autopay={"C-001": "cus_anna"})
    fake_stripe.add_customer("cus_anna")
    one_invoice(practice)
    practice.run()  # AutoPay charges the 65.00
    (pi,) = fake_stripe.of_kind("payment_intent")
    fake_stripe.dispute(pi["id"])
    practice.append("Sessions", session("S-00002", date(2026, 11, 3)))  # INV-2026-0002, 65.00, open
    for day in (1, 1, 2):
        practice.run(FixedClock(NOW + timedelta(days=day)))
        dispute = practice.rows("Payments")[1]
        assert (dispute["Reference"][:3], dispute["Problem"]) == ("dp_", DISPUTE)
        assert len(fake_stripe.of_kind("payment_intent")) == 1  # the disputed client is not charged
    set_cell(practice, "Payments", dispute["Payment ID"], "Problem", None)  # settled by hand: the money is gone
    practice.run(FixedClock(NOW + timedelta(days=3)))
    assert practice.rows("Payments")[1]["Problem"].startswith(
        "Client C-001 was refunded 65.00 by card for INV-2026-0001, which is paid: void INV-2026-0001")
    assert [i["amount"] for i in fake_stripe.of_kind("payment_intent")] == [6500, 6500]  # AutoPay again


def add_fee_column(practice) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(practice.workbook)
    ws = wb["Payments"]
    ws.cell(row=1, column=ws.max_column + 1).value = "Fee"
    wb.save(practice.workbook)


def test_stripes_fee_on_each_card_payment_goes_into_the_fee_column_when_switched_on(practice, fake_stripe):
    from .fakestripe.server import fee

    with_stripe(practice, autopay={"C-002": "cus_jonas"})
    practice.configure("autopay_hour: 3\n  account:", "autopay_hour: 3\n    fees: true\n  account:")
    add_fee_column(practice)
    fake_stripe.add_customer("cus_jonas")
    one_invoice(practice)  # C-001, 65.00: paid through its link
    practice.append("Sessions", session("S-00002", date(2026, 11, 3), client="C-002"))  # charged by AutoPay
    assert not practice.run().errors
    link = next(k for k in fake_stripe.of_kind("payment_link") if k["metadata"]["client_id"] == "C-001")
    fake_stripe.pay(link["id"])
    assert not practice.run().errors
    rows = practice.rows("Payments")
    assert sorted((p["Client"], money(p["Amount"]), money(p["Fee"])) for p in rows) == sorted(
        (client, money(Decimal(cents) / 100), money(Decimal(fee(cents)) / 100))
        for client, cents in (("C-001", 6500), ("C-002", 5850)))
    assert {p["Status"] for p in practice.rows("Invoices")} == {"Paid"}  # the fee takes nothing off what is paid


def test_fees_switched_on_without_a_fee_column_says_so(practice, fake_stripe):
    with_stripe(practice)
    practice.configure("autopay_hour: 3\n  account:", "autopay_hour: 3\n    fees: true\n  account:")
    one_invoice(practice)
    practice.run()
    fake_stripe.pay(fake_stripe.of_kind("payment_link")[0]["id"])
    report = practice.run()
    assert report.errors == ["payments.stripe.fees is on but the Payments tab has no Fee column; add one"]
    assert practice.rows("Invoices")[0]["Status"] == "Paid"


def test_the_card_button_names_the_amount_its_link_charges_when_earlier_invoices_are_open(practice, fake_stripe):
    """The second invoice's Total now due includes the first one's balance; its card link pays this
    invoice alone (the first has its own), and the button and the email say so."""
    from .test_e2e_excel import pdf_text

    with_stripe(practice)
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)), session("S-00002", date(2026, 11, 20)))
    practice.run()
    row = next(r for r in practice.rows("Invoices") if r["Invoice No"] == "INV-2026-0002")
    link = next(link for link in fake_stripe.of_kind("payment_link") if link["url"] == row["Pay Link"])
    assert fake_stripe.objects[link["_price"]]["unit_amount"] == 6500
    text = " ".join(pdf_text(practice.folder / row["PDF"]).split())
    assert "Total now due 130.00 EUR" in text
    assert "Pay 65.00 EUR online by card" in text and "Pay 130.00 EUR online by card" not in text
    body = next(m for m in practice.emails() if "INV-2026-0002" in m["Subject"]).get_body(("plain",)).get_content()
    assert f"Pay this invoice online by card (65.00 EUR): {link['url']}" in body


def test_the_invoice_email_carries_the_card_pay_link_in_the_clients_language(practice, fake_stripe):
    from .test_e2e_language import speaks

    with_stripe(practice)
    speaks(practice, "C-001", "de_DE")
    speaks(practice, "C-002", "fr_FR")
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)), session("S-00002", date(2026, 11, 2),
                                                                              client="C-002"))
    practice.run()
    links = {link["metadata"]["client_id"]: link["url"] for link in fake_stripe.of_kind("payment_link")}
    bodies = {m["To"].addresses[0].username: m.get_body(("plain",)).get_content() for m in practice.emails()}
    assert f"Diese Rechnung online per Karte zahlen (65,00\xa0€): {links['C-001']}" in bodies["anna"]
    assert f"Payer cette facture en ligne par carte (58,50\xa0€) : {links['C-002']}" in bodies["jonas"]


def test_a_card_payment_on_an_invoice_voided_before_it_came_in_pays_the_invoice_made_again(practice, fake_stripe):
    """The client paid the link while the admin voided the invoice: the payment got a Problem ('Invoice
    INV-2026-0001 is void') and the invoice made again asked for the whole amount a second time."""
    with_stripe(practice)
    one_invoice(practice)
    practice.run()
    link = fake_stripe.of_kind("payment_link")[0]
    pi = fake_stripe.pay(link["id"], datetime(2026, 11, 21, 8, tzinfo=UTC))
    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    practice.set("Sessions", "S-00001", "Quantity", 2)
    report = practice.run()
    assert not report.problems
    (payment,) = practice.rows("Payments")
    assert (payment["Reference"], payment["Client"], payment["Problem"]) == (pi["id"], "C-001", None)
    assert payment["Applied To"] == "INV-2026-0002 65.00"
    again = next(r for r in practice.rows("Invoices") if r["Invoice No"] == "INV-2026-0002")
    assert (money(again["Total"]), money(again["Balance"]), again["Status"]) == (
        Decimal("130.00"), Decimal("65.00"), "Partially Paid")
    body = next(m for m in practice.emails() if "INV-2026-0002" in m["Subject"]).get_body(("plain",)).get_content()
    assert "65.00 EUR is still open" in body


def test_a_practice_rounding_to_whole_euros_is_charged_in_cents_on_stripe(practice, fake_stripe):
    """practice.minor_unit 1 (whole euros): the link for 65 EUR asked Stripe for 65 cents, and the
    0.65 EUR the client paid came back as a payment of 65.00."""
    practice.configure('minor_unit: "0.01"', 'minor_unit: "1"')
    with_stripe(practice)
    one_invoice(practice)
    practice.run()
    (link,) = fake_stripe.of_kind("payment_link")
    assert fake_stripe.objects[link["_price"]]["unit_amount"] == 6500
    pi = fake_stripe.pay(link["id"], datetime(2026, 11, 21, 8, tzinfo=UTC))
    assert pi["amount_received"] == 6500
    practice.run()
    (payment,) = practice.rows("Payments")
    assert money(payment["Amount"]) == Decimal("65.00")
    assert practice.rows("Invoices")[0]["Status"] == "Paid"


def test_a_pay_link_takes_one_payment_and_stripe_closes_it_before_the_next_run(practice, fake_stripe):
    """The client (or their partner, on the same email) pays the link twice before a run switches it
    off: Stripe refuses the second payment, so no 65.00 ends up as credit nobody asked for."""
    import pytest

    from .fakestripe.server import LinkClosed

    with_stripe(practice)
    one_invoice(practice)
    practice.run()
    (link,) = fake_stripe.of_kind("payment_link")
    assert link["restrictions"] == {"completed_sessions": {"count": 0, "limit": 1}}
    fake_stripe.pay(link["id"])
    with pytest.raises(LinkClosed):
        fake_stripe.pay(link["id"])
    assert not practice.run().errors
    assert [money(p["Amount"]) for p in practice.rows("Payments")] == [Decimal("65.00")]
    client = next(c for c in practice.rows("Clients") if c["Client ID"] == "C-001")
    assert money(client["Credit"] or 0) == Decimal("0.00")


def test_a_deleted_dispute_row_is_not_imported_again_while_its_event_is_the_newest(practice, fake_stripe):
    import openpyxl

    with_stripe(practice)
    one_invoice(practice)
    practice.run()
    pi = fake_stripe.pay(fake_stripe.of_kind("payment_link")[0]["id"], datetime(2026, 11, 21, 7, tzinfo=UTC))
    practice.run()
    fake_stripe.dispute(pi["id"], 6500, datetime(2026, 11, 21, 8, tzinfo=UTC))
    practice.run()
    assert [p["Reference"][:3] for p in practice.rows("Payments")] == ["pi_", "dp_"]
    wb = openpyxl.load_workbook(practice.workbook)
    wb["Payments"].delete_rows(3)  # the admin deletes the dispute's row
    wb.save(practice.workbook)
    practice.run()
    practice.run()
    assert [p["Reference"][:3] for p in practice.rows("Payments")] == ["pi_"]


def test_a_declined_card_email_speaks_the_clients_language_and_says_what_each_link_asks(practice, fake_stripe):
    from .test_e2e_language import speaks

    with_stripe(practice, autopay={"C-001": "cus_anna"})
    speaks(practice, "C-001", "de")
    fake_stripe.add_customer("cus_anna", declines=True)
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))  # INV-2026-0001, 65.00
    practice.append("Sessions", session("S-00002", date(2026, 11, 3)))  # INV-2026-0002, 65.00
    practice.append("Payments", [None, date(2026, 11, 20), "C-001", "INV-2026-0002", 15, "Cash"])
    assert not practice.run().errors
    practice.run()
    [mail] = [m for m in practice.emails() if "Kartenzahlung" in m["Subject"]]
    assert mail["Subject"] == "Lindenhof Lymph & Physio: Ihre Kartenzahlung über 115,00 € ist nicht durchgegangen"
    body = mail.get_body(("plain",)).get_content()
    links = {r["Invoice No"]: r["Pay Link"] for r in practice.rows("Invoices")}
    assert body.startswith("Guten Tag Anna Meier,\n\nwir haben heute versucht, Ihren offenen Betrag von "
                           "115,00\xa0€ von Ihrer hinterlegten Karte abzubuchen")
    assert (f"Bitte zahlen Sie stattdessen hier:\n"
            f"  Rechnung INV-2026-0001, offen 65,00\xa0€: {links['INV-2026-0001']}\n"
            f"  Rechnung INV-2026-0002, offen 50,00\xa0€: {links['INV-2026-0002']}\n") in body
    assert "Mit freundlichen Grüßen" in body and "Dear" not in body


@pytest.mark.parametrize("language, code, said", [
    ("de", "insufficient_funds", "doch die Zahlung wurde abgelehnt: Auf Ihrer Karte ist nicht genug Deckung für "
                                 "diese Zahlung."),
    ("fr", "expired_card", "mais le paiement a été refusé : Votre carte a expiré."),
    ("", "incorrect_cvc", "but the payment was declined: The card's security code (CVC) is incorrect."),
    ("de", "no_such_code_yet", "doch die Zahlung wurde abgelehnt: Ihre Karte konnte nicht belastet werden."),
])
def test_the_reason_a_card_was_declined_is_told_in_the_clients_language(practice, fake_stripe, language, code, said):
    """Stripe's words ("Your card has insufficient funds.") were put into German and French emails as
    they came; the decline code now picks a sentence in the client's language, and a code sheetbill
    has no sentence for a general one in that language."""
    from .test_e2e_language import speaks

    with_stripe(practice, autopay={"C-001": "cus_anna"})
    if language:
        speaks(practice, "C-001", language)
    fake_stripe.add_customer("cus_anna", declines=code)
    one_invoice(practice)
    report = practice.run()
    assert any("AutoPay: the card was declined" in p.message for p in report.problems)
    practice.run()
    [mail] = [m for m in practice.emails() if m["Subject"] and "65" in m["Subject"] and "INV" not in m["Subject"]]
    body = " ".join(mail.get_body(("plain",)).get_content().split())
    assert said in body
    assert "Your card" not in body or not language
