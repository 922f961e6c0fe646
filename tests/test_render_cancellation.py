"""render.cancellation: what a credit note and the invoice it voids tell the client about the
money paid on that invoice, from the account (the sample invoice, 199.98, voided on 28 Nov)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from sheetbill.core.account import account_of
from sheetbill.core.document import document_for
from sheetbill.core.kind import InvoiceKind
from sheetbill.core.model import Allocation, InvoiceStatus, Payment
from sheetbill.render.context import invoice_context
from sheetbill.render.sample import sample_credit_note, sample_document

from .test_render_payment import pdf_text, renderer, scanned, with_account  # noqa: F401 (renderer: a fixture)

VOIDED_ON = date(2026, 11, 28)
ORIGINAL = sample_document(previous_balance=Decimal(0))
VOID = replace(ORIGINAL.invoice, status=InvoiceStatus.VOID)
NOTE = sample_credit_note().invoice  # CN-2026-0003, -199.98, 28 Nov
AGAIN = replace(ORIGINAL.invoice, invoice_no="INV-2026-0050", issue_date=VOIDED_ON, total=Decimal("120.00"))


def paid(applied: str, amount: str, row: int = 2) -> Payment:
    allocs = tuple(Allocation(ref, Decimal(a)) for ref, a in (part.rsplit(" ", 1) for part in applied.split("; ")))
    return Payment(row=row, payment_id=f"P-{row}", date=date(2026, 11, 24), client=ORIGINAL.client.client_id,
                   invoice_no="", amount=Decimal(amount), method="Bank transfer", reference="", applied=allocs,
                   receipt_no="", receipt_sent_at="", problem="")


def document(number: str, payments: list[Payment], language: str = ""):
    """The credit note or the void invoice as of the void's day, its figures from the client's account."""
    client = replace(ORIGINAL.client, language=language)
    account = account_of(client.client_id, [VOID, NOTE, AGAIN], payments, lambda p: p.client,
                         credit_note=lambda n: n.startswith("CN-"))
    inv = NOTE if number == NOTE.invoice_no else VOID
    kind = InvoiceKind.CREDIT_NOTE if inv is NOTE else InvoiceKind.INVOICE
    doc = document_for(inv, client, with_account(ORIGINAL).practice, 14, VOIDED_ON, kind=kind,
                       credits=VOID.invoice_no if inv is NOTE else "",
                       figures=account.invoice(inv.invoice_no, VOIDED_ON))
    return doc


NOTHING = []
MOVED = [paid("INV-2026-0042 100.00; INV-2026-0050 100.00", "100")]
KEPT = [paid("INV-2026-0042 100.00", "100")]
SPLIT = [paid("INV-2026-0042 199.98; INV-2026-0050 120.00", "199.98")]
# the client was refunded before the void (a card refund made on the card service): out of the credit the void leaves
SPLIT_REFUNDED = [*SPLIT, paid("Refund -79.98", "-79.98", row=3)]
KEPT_PART_REFUNDED = [*KEPT, paid("Refund -30.00", "-30.00", row=3)]
ALL_REFUNDED = [*KEPT, paid("Refund -100.00", "-100.00", row=3)]


@pytest.mark.parametrize("payments, language, expected", [
    pytest.param(NOTHING, "", "This credit note cancels invoice INV-2026-0042. Nothing had been paid on it: there is "
                 "nothing to pay on it.", id="nothing paid"),
    pytest.param(MOVED, "", "This credit note cancels invoice INV-2026-0042. The 100.00 EUR paid on it is set against "
                 "invoice INV-2026-0050.", id="set against the invoice made again"),
    pytest.param(KEPT, "", "This credit note cancels invoice INV-2026-0042. The 100.00 EUR paid on it is kept as "
                 "credit on your account: it will be set against your next invoice, or refunded if you ask us to.",
                 id="kept as credit"),
    pytest.param(SPLIT, "", "This credit note cancels invoice INV-2026-0042. 199.98 EUR had been paid on it: "
                 "120.00 EUR is set against invoice INV-2026-0050, 79.98 EUR is kept as credit on your account.",
                 id="part set against, part kept"),
    pytest.param(MOVED, "de_DE", "Diese Gutschrift storniert die Rechnung INV-2026-0042. Die darauf bezahlten "
                 "100,00\xa0€ werden mit der Rechnung INV-2026-0050 verrechnet.", id="de"),
    pytest.param(SPLIT, "fr_FR", "Cet avoir annule la facture INV-2026-0042. 199,98\xa0€ avaient été réglés au titre "
                 "de cette facture : 120,00\xa0€ sont imputés sur la facture INV-2026-0050, 79,98\xa0€ restent en "
                 "crédit sur votre compte.", id="fr"),
    pytest.param(SPLIT_REFUNDED, "", "This credit note cancels invoice INV-2026-0042. 199.98 EUR had been paid on it: "
                 "120.00 EUR is set against invoice INV-2026-0050, 79.98 EUR has been refunded to you.",
                 id="part set against, the rest refunded: no credit kept"),
    pytest.param(KEPT_PART_REFUNDED, "", "This credit note cancels invoice INV-2026-0042. 100.00 EUR had been paid on "
                 "it: 30.00 EUR has been refunded to you, 70.00 EUR is kept as credit on your account.",
                 id="part refunded, the rest kept"),
    pytest.param(ALL_REFUNDED, "", "This credit note cancels invoice INV-2026-0042. The 100.00 EUR paid on it has been "
                 "refunded to you.", id="all refunded"),
    pytest.param(SPLIT_REFUNDED, "de_DE", "Diese Gutschrift storniert die Rechnung INV-2026-0042. Darauf waren "
                 "199,98\xa0€ bezahlt worden: 120,00\xa0€ werden mit der Rechnung INV-2026-0050 verrechnet, "
                 "79,98\xa0€ wurden Ihnen erstattet.", id="de, refunded"),
    pytest.param(ALL_REFUNDED, "de_DE", "Diese Gutschrift storniert die Rechnung INV-2026-0042. Die darauf bezahlten "
                 "100,00\xa0€ wurden Ihnen erstattet.", id="de, all refunded"),
    pytest.param(SPLIT_REFUNDED, "fr_FR", "Cet avoir annule la facture INV-2026-0042. 199,98\xa0€ avaient été réglés "
                 "au titre de cette facture : 120,00\xa0€ sont imputés sur la facture INV-2026-0050, 79,98\xa0€ vous "
                 "ont été remboursés.", id="fr, refunded"),
    pytest.param(ALL_REFUNDED, "fr_FR", "Cet avoir annule la facture INV-2026-0042. Les 100,00\xa0€ réglés au titre "
                 "de cette facture vous ont été remboursés.", id="fr, all refunded"),
])
def test_a_credit_note_says_what_became_of_the_money_paid(payments, language, expected):
    context = invoice_context(document(NOTE.invoice_no, payments, language))
    assert context["payment_terms"] == expected
    assert "credited to your account" not in context["payment_terms"]


@pytest.mark.parametrize("payments, language, expected", [
    pytest.param(NOTHING, "", "This invoice was cancelled by credit note CN-2026-0003 of 28 Nov 2026: nothing is open "
                 "on it and there is nothing to pay.", id="nothing paid"),
    pytest.param(MOVED, "", "This invoice was cancelled by credit note CN-2026-0003 of 28 Nov 2026: nothing is open "
                 "on it and there is nothing to pay. The 100.00 EUR paid on it is set against invoice INV-2026-0050.",
                 id="paid, set against the invoice made again"),
    pytest.param(MOVED, "de_DE", "Diese Rechnung wurde mit der Gutschrift CN-2026-0003 vom 28.11.2026 storniert: Auf "
                 "ihr ist nichts offen, es ist nichts zu zahlen. Die darauf bezahlten 100,00\xa0€ werden mit der "
                 "Rechnung INV-2026-0050 verrechnet.", id="de"),
    pytest.param(SPLIT_REFUNDED, "", "This invoice was cancelled by credit note CN-2026-0003 of 28 Nov 2026: nothing "
                 "is open on it and there is nothing to pay. 199.98 EUR had been paid on it: 120.00 EUR is set against "
                 "invoice INV-2026-0050, 79.98 EUR has been refunded to you.", id="part set against, the rest refunded"),
])
def test_a_void_invoice_names_its_credit_note_and_asks_for_nothing(payments, language, expected):
    context = invoice_context(document(VOID.invoice_no, payments, language))
    assert context["payment_terms"] == expected
    assert (context["cancelled_by"], context["has_amount_due"], context["is_paid"]) == ("CN-2026-0003", False, False)
    assert (context["payment_reference"], context["payment_qr"], context["pay_link"]) == ("", "", "")
    assert context["amount_due"].startswith("0") and context["balance"].startswith("0")


def test_the_void_invoice_as_it_stands_has_no_open_amount_no_credit_and_no_pay_box(renderer, tmp_path):
    pdf = renderer.render(document(VOID.invoice_no, MOVED))
    text = pdf_text(pdf)
    assert "Status Void" in text
    assert "Total 199.98 EUR Cancelled by credit note CN-2026-0003 -199.98 EUR Amount due 0.00 EUR" in text
    assert "The 100.00 EUR paid on it is set against invoice INV-2026-0050." in text
    for absent in ("Balance of this invoice", "credit on account covers", "RF73", "Please quote", "Scan the code"):
        assert absent not in text
    assert scanned(pdf, tmp_path, page=None) == []
