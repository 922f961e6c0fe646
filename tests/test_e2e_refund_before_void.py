"""What a statement and credit notes say of credit when the admin refunds part of a paid invoice
before voiding it, on a real workbook: the refund waits for the void and comes out of the credit
the void leaves, and no document promises credit the account does not hold."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from sheetbill import commands

from .conftest import NOW, FixedClock, session
from .test_e2e_account import body, emails_about, flat
from .test_e2e_excel import pdf_text
from .test_e2e_language import speaks
from .test_e2e_payments import payment
from .test_render_payment import pdf_text as raw_text


def on(day: int) -> FixedClock:
    """The run of `day` November 2026."""
    return FixedClock(NOW + timedelta(days=day - 21))


def statement_text(practice, language: str = "") -> str:
    if language:
        speaks(practice, "C-001", language)
    stored, _ = commands.statement(practice.worker(), "C-001", date(2026, 11, 1), date(2026, 11, 30), email=False)
    assert stored is not None and stored.path is not None
    return flat(pdf_text(stored.path))


def line(text: str, starts: str) -> str:
    """The statement line that starts so, its words without the figures of the money columns (the
    PDF's text runs the description's second line after them)."""
    after = text.split(starts, 1)[1]
    words = re.split(r" (?:\d\d? \w{3,4}\.? |\d\d\.\d\d\.)2026 ", after)[0]  # the next line's date
    return flat(starts + " " + re.sub(r"-?\d+[.,]\d\d[\xa0 ]?(EUR|€)", "", words))


def paid_and_refunded_before_the_void(practice, sessions: int = 1, refunded: str = "INV-2026-0001") -> None:
    """Anna's sessions billed 65.00 each on 21 Nov and paid that day; on 22 Nov the admin refunds
    her 10.00 of the payment on `refunded` (the run leaves it waiting for the void)."""
    practice.append("Sessions", *(session(f"S-0000{n}", date(2026, 11, n + 1)) for n in range(1, sessions + 1)))
    practice.run(on(21))
    practice.append("Payments", *(payment(f"P-0000{n}", date(2026, 11, 21), invoice=f"INV-2026-000{n}", amount="65")
                                  for n in range(1, sessions + 1)))
    practice.run(on(21))
    practice.append("Payments", payment("P-00009", date(2026, 11, 22), client="C-001", invoice=refunded,
                                        amount="-10", method="Bank transfer"))
    practice.run(on(22))
    assert practice.rows("Payments")[-1]["Applied To"] is None  # no credit yet: it waits for the void


@pytest.fixture
def voided_after_the_refund(practice):
    """The admin voids INV-2026-0001 on 24 Nov and bills the session again with 10.00 off."""
    paid_and_refunded_before_the_void(practice)
    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    practice.set("Sessions", "S-00001", "Discount", "10.00")
    assert not practice.run(on(24)).problems
    assert practice.rows("Payments")[-1]["Applied To"] == "Refund -10.00"
    return practice


def test_a_refund_before_the_void_is_not_said_to_come_out_of_credit_there_was_not(voided_after_the_refund):
    """On 22 Nov Anna had no credit: the statement said the 10.00 was paid back 'out of your
    credit'. It says it was paid back from what she paid on INV-2026-0001, to be settled by the
    credit that invoice's cancellation leaves, and counts it owed (10.00) until then."""
    text = statement_text(voided_after_the_refund)
    assert line(text, "22 Nov 2026 Refund") == (
        "22 Nov 2026 Refund of paid back to you from what you paid on invoice INV-2026-0001, to be settled by the "
        "credit its cancellation leaves P-00009 · Bank transfer")
    assert "22 Nov 2026 Refund of 10.00 EUR paid back to you from" in text
    assert "-10.00 EUR 10.00 EUR" in text.split("22 Nov 2026 Refund")[1].split("24 Nov 2026")[0]  # owed till 24 Nov
    assert "24 Nov 2026 Credit note CN-2026-0001 -65.00 EUR 0.00 EUR" in text
    assert "24 Nov 2026 Credit applied to invoice INV-2026-0002 55.00 EUR 0.00 EUR" in text
    assert "30 Nov 2026 Closing balance 0.00 EUR" in text


@pytest.mark.parametrize("language, said", [
    ("de", "22.11.2026 Erstattung über , an Sie erstattet aus Ihrer Zahlung auf Rechnung INV-2026-0001, "
           "auszugleichen mit dem Guthaben, das ihre Stornierung hinterlässt P-00009 · Überweisung"),
    ("fr", "22 nov. 2026 Remboursement de , remboursé sur ce que vous avez payé pour la facture INV-2026-0001, à régler "
           "par le crédit que laisse son annulation P-00009 · Virement"),
])
def test_the_refund_before_the_void_in_german_and_french(voided_after_the_refund, language, said):
    text = statement_text(voided_after_the_refund, language)
    assert line(text, said.split(" Erstattung")[0].split(" Remboursement")[0]) == said


def test_a_refund_out_of_credit_the_client_had_still_says_so(practice):
    """Credit held since 10 Nov, 20.00 of it paid back on 12 Nov: out of the credit, as it was."""
    practice.append("Payments", payment("P-00001", date(2026, 11, 10), client="C-001", amount="50"),
                    payment("P-00002", date(2026, 11, 12), client="C-001", amount="-20", method="Bank transfer"))
    practice.run(on(21))
    assert line(statement_text(practice), "12 Nov 2026 Refund") == (
        "12 Nov 2026 Refund of paid back to you out of your credit P-00002 · Bank transfer")


def test_two_credit_notes_of_one_day_keep_no_more_credit_than_the_account_holds(practice):
    """INV-2026-0001 and INV-2026-0002, 65.00 each, both paid; 10.00 refunded before both are voided
    (the sessions cancelled) on 24 Nov. Each credit note said all its 65.00 was kept as credit,
    130.00 together, when the account holds 120.00: the refund comes out of the first."""
    paid_and_refunded_before_the_void(practice, sessions=2)
    for n in (1, 2):
        practice.set("Invoices", f"INV-2026-000{n}", "Status", "Void")
        practice.set("Sessions", f"S-0000{n}", "Status", "Cancelled")
    assert not practice.run(on(24)).problems
    client = {r["Client ID"]: r for r in practice.rows("Clients")}["C-001"]
    assert Decimal(str(client["Credit"])) == Decimal("120")
    notes = {m["Subject"].split()[2]: m for m in emails_about(practice, "Credit note")}
    said = {
        "CN-2026-0001": ("INV-2026-0001", "65.00 EUR had been paid on it: 10.00 EUR has been refunded to you, "
                         "55.00 EUR is kept as credit on your account."),
        "CN-2026-0002": ("INV-2026-0002", "The 65.00 EUR paid on it is kept as credit on your account: it will be "
                         "set against your next invoice, or refunded if you ask us to."),
    }
    assert sorted(notes) == sorted(said)
    for number, (cancelled, sentence) in said.items():
        assert f"It cancels invoice {cancelled} (65.00 EUR). {sentence}" in body(notes[number])
        (pdf,) = list(notes[number].iter_attachments())
        assert f"This credit note cancels invoice {cancelled}. {sentence}" in raw_text(pdf.get_content())

def refund_receipt(practice):
    (receipt,) = [m for word in ("Refund receipt", "Erstattungsbeleg", "Reçu de remboursement")
                  for m in emails_about(practice, word)]
    (pdf,) = list(receipt.iter_attachments())
    return body(receipt), raw_text(pdf.get_content())


@pytest.mark.parametrize("language, email, pdf", [
    ("", "We have refunded 10.00 EUR to you on 22 Nov 2026 (Bank transfer), from what you paid on invoice "
         "INV-2026-0001, to be settled by the credit its cancellation leaves.",
     "Bank transfer · 22 Nov 2026, paid back from what you paid on invoice INV-2026-0001, to be settled by the "
     "credit its cancellation leaves"),
    ("de", "wir haben Ihnen am 22.11.2026 (Überweisung) 10,00 € aus Ihrer Zahlung auf Rechnung INV-2026-0001 "
           "erstattet, auszugleichen mit dem Guthaben, das ihre Stornierung hinterlässt.",
     "Überweisung vom 22.11.2026, erstattet aus Ihrer Zahlung auf Rechnung INV-2026-0001, auszugleichen mit dem "
     "Guthaben, das ihre Stornierung hinterlässt"),
    ("fr", "Nous vous avons remboursé 10,00 € le 22 nov. 2026 (Virement), sur ce que vous avez payé pour la "
           "facture INV-2026-0001, à régler par le crédit que laisse son annulation.",
     "Virement du 22 nov. 2026, remboursé sur ce que vous avez payé pour la facture INV-2026-0001, à régler par le "
     "crédit que laisse son annulation"),
])
def test_the_refund_receipt_of_a_refund_before_the_void_says_what_the_statement_says(practice, language, email, pdf):
    """On 22 Nov Anna had no credit: her refund receipt said the 10.00 was paid back 'out of the credit on
    your account'. Like the statement, it says it was paid back from what she paid on INV-2026-0001, to be
    settled by the credit that invoice's cancellation leaves."""
    if language:
        speaks(practice, "C-001", language)
    paid_and_refunded_before_the_void(practice)
    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    practice.set("Sessions", "S-00001", "Discount", "10.00")
    assert not practice.run(on(24)).problems
    said, text = refund_receipt(practice)
    assert flat(email) in said
    assert pdf in text
    assert "credit on your account" not in said.split("Your refund receipt")[0] and "out of the credit" not in text
    assert "Guthaben erstattet" not in said and "sur le crédit de votre compte" not in said


def test_a_refund_receipt_part_out_of_credit_says_how_much_came_out_of_it(practice):
    """Anna held 4.00 of credit on 22 Nov when 10.00 was paid back (it paid INV-2026-0001 and left as much of
    her 65.00): 4.00 of it came out of her credit and 6.00 from what she paid on INV-2026-0001, to be settled
    by its cancellation."""
    practice.append("Payments", payment("P-00005", date(2026, 11, 20), client="C-001", amount="4"))
    paid_and_refunded_before_the_void(practice)
    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    practice.set("Sessions", "S-00001", "Discount", "10.00")
    assert not practice.run(on(24)).problems
    said, text = refund_receipt(practice)
    assert ("We have refunded 10.00 EUR to you on 22 Nov 2026 (Bank transfer): 4.00 EUR out of the credit on "
            "your account, 6.00 EUR from what you paid on invoice INV-2026-0001, to be settled by the credit its "
            "cancellation leaves.") in said
    assert ("Bank transfer · 22 Nov 2026, paid back: 4.00 EUR out of the credit on your account, 6.00 EUR from "
            "what you paid on invoice INV-2026-0001, to be settled by the credit its cancellation leaves") in text


def entries(text: str, day: str, starts: str) -> list[str]:
    """The statement lines of `day` that start so, each up to the next line (a date, then a capital),
    without the figures of its money columns (the PDF's text runs them after the description's first line)."""
    return [flat(f"{day} {starts}" + re.sub(r" -?\d+[.,]\d\d[\xa0 ]?(EUR|€) -?\d+[.,]\d\d[\xa0 ]?(EUR|€) ", " ",
                                           re.split(r" (?:\d\d? \w{3,4}\.? |\d\d\.\d\d\.)2026 (?=[A-ZÉ])", after)[0],
                                           count=1))
            for after in text.split(f"{day} {starts}")[1:]]


@pytest.mark.parametrize("language, day, said", [
    ("", "24 Nov 2026", "Credit back from cancelled invoice INV-2026-0001 from payment P-00001: 65.00 EUR, of which "
                        "10.00 EUR settles the refund of 22 Nov 2026 and the rest is kept as your credit"),
    ("de", "24.11.2026", "Guthaben zurück von stornierter Rechnung INV-2026-0001 aus Zahlung P-00001: 65,00\xa0€, davon "
                         "gleichen 10,00\xa0€ die Erstattung vom 22.11.2026 aus, der Rest wird als Ihr Guthaben behalten"),
    ("fr", "24 nov. 2026", "Crédit repris de la facture annulée INV-2026-0001 du paiement P-00001 : 65,00\xa0€, dont "
                           "10,00\xa0€ règlent le remboursement du 22 nov. 2026, le reste conservé en crédit"),
])
def test_the_credit_back_from_the_void_says_what_of_it_settles_the_refund(voided_after_the_refund, language, day, said):
    """The void of 24 Nov gives back the 65.00 paid on INV-2026-0001, but its line showed 55.00 and said it
    was kept as credit: 10.00 of it settles the refund of 22 Nov, paid back before it, and the line says so."""
    text = statement_text(voided_after_the_refund, language)
    words = said.split(" INV-2026-0001")[0]
    assert entries(text, day, words) == [flat(f"{day} {said}")]
    assert re.search(rf"{words} -55[.,]00[\xa0 ]?(EUR|€) 55[.,]00", text)  # the 65.00 less the 10.00 it settles


def test_a_refund_before_two_voids_of_one_day_comes_out_of_the_invoice_its_row_names(practice):
    """INV-2026-0001 and INV-2026-0002, 65.00 each and paid, are voided on 24 Nov after 10.00 was refunded
    on 22 Nov for INV-2026-0002 (the row's Invoice No). Every document charged the refund to the oldest
    void, INV-2026-0001; now each says it came out of INV-2026-0002's money."""
    paid_and_refunded_before_the_void(practice, sessions=2, refunded="INV-2026-0002")
    for n in (1, 2):
        practice.set("Invoices", f"INV-2026-000{n}", "Status", "Void")
        practice.set("Sessions", f"S-0000{n}", "Status", "Cancelled")
    assert not practice.run(on(24)).problems
    notes = {m["Subject"].split()[2]: m for m in emails_about(practice, "Credit note")}
    said = {
        "CN-2026-0001": ("INV-2026-0001", "The 65.00 EUR paid on it is kept as credit on your account: it will be "
                         "set against your next invoice, or refunded if you ask us to."),
        "CN-2026-0002": ("INV-2026-0002", "65.00 EUR had been paid on it: 10.00 EUR has been refunded to you, "
                         "55.00 EUR is kept as credit on your account."),
    }
    assert sorted(notes) == sorted(said)
    for number, (cancelled, sentence) in said.items():
        assert f"It cancels invoice {cancelled} (65.00 EUR). {sentence}" in body(notes[number])
        (pdf,) = list(notes[number].iter_attachments())
        assert f"This credit note cancels invoice {cancelled}. {sentence}" in raw_text(pdf.get_content())
    paid = {r["Invoice No"]: Decimal(str(r["Paid"])) for r in practice.rows("Invoices")}
    assert (paid["INV-2026-0001"], paid["INV-2026-0002"]) == (Decimal("65"), Decimal("55"))  # still credit
    email, pdf = refund_receipt(practice)
    assert ("from what you paid on invoice INV-2026-0002, to be settled by the credit its cancellation leaves."
            in email)
    assert "paid back from what you paid on invoice INV-2026-0002, to be settled" in pdf

    text = statement_text(practice)
    assert line(text, "22 Nov 2026 Refund") == (
        "22 Nov 2026 Refund of paid back to you from what you paid on invoice INV-2026-0002, to be settled by the "
        "credit its cancellation leaves P-00009 · Bank transfer")
    assert sorted(entries(text, "24 Nov 2026", "Credit back from cancelled invoice")) == [
        "24 Nov 2026 Credit back from cancelled invoice INV-2026-0001 from payment P-00001, kept as your credit",
        "24 Nov 2026 Credit back from cancelled invoice INV-2026-0002 from payment P-00002: 65.00 EUR, of which "
        "10.00 EUR settles the refund of 22 Nov 2026 and the rest is kept as your credit"]
    assert re.search(r"INV-2026-0002 from payment P-00002: 65.00 EUR, of which", text.replace(
        "Credit back from cancelled invoice -55.00 EUR 55.00 EUR INV-2026-0002", "INV-2026-0002"))
    assert "30 Nov 2026 Closing balance 0.00 EUR" in text and "Your credit of 120.00 EUR" in text
