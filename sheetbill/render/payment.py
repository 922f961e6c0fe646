"""The payment block of an invoice's template context: the creditor
reference, and the QR code for the open amount (EPC for euros in SEPA, the
Swiss QR-bill for francs, none otherwise).

Keys (all text, "" when there is nothing to show):
- `payment_reference`: `RF16 INV2 0260 001`, the reference to quote;
  empty on drafts and credit notes. A statement's is made from the Client ID,
  and so is that of an invoice of 0.00 that asks for what is open on earlier
  ones (the bank import takes it for the client's oldest open invoices).
  Letters outside ASCII are spelled in Latin letters (`RÉ-2026-0001` ->
  `RF40 RE20 2600 01`, `payments/reference.py`). A number or Client ID that
  makes no creditor reference (more than 21 letters and digits) is quoted
  itself instead, written in the SEPA Latin set (`payments/remittance.py`),
  and the QR code carries it as unstructured remittance text.
- `payment_qr`: "epc", "swiss" or "".
- `payment_qr_image`: the QR code (EPC) or the whole payment part (Swiss)
  as an SVG `data:` URL.
- `payment_qr_amount`: the open amount the code asks for.
- `payment_account`: holder, IBAN (in groups of four) and BIC.
- `pay_link`, `pay_link_qr`: the card pay link of an invoice with a balance
  (Stripe, `payments/pay_links.py`) and its QR code; "" otherwise.
- `pay_link_amount`: what the link charges: this invoice's own balance (its
  Amount due may add earlier invoices, which have links of their own).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from ..core.document import InvoiceDocument, Practice, StatementDocument
from ..payments.account import BankAccount
from ..payments.open_amount import document_open_amount, statement_open_amount
from ..payments.qr import payment_code
from ..payments.reference import client_reference, creditor_reference, printed
from ..payments.remittance import remittance_text


class AccountContext(TypedDict):
    holder: str
    iban: str
    bic: str


class PaymentContext(TypedDict):
    payment_reference: str
    payment_qr: str
    payment_qr_image: str
    payment_qr_amount: str
    payment_account: AccountContext
    pay_link: str
    pay_link_qr: str
    pay_link_amount: str


def payment_context(doc: InvoiceDocument, amount) -> PaymentContext:
    """`amount` formats money the practice's way (render.context.money_format)."""
    invoice = doc.invoice
    asks = doc.asks_payment
    asked = document_open_amount(doc) if asks else Decimal(0)
    # 0.00 itself, an invoice asking for earlier ones has the client's reference, which pays them
    number = doc.client.client_id if asked > 0 and doc.balance <= 0 else invoice.invoice_no
    reference = creditor_reference(number) if asks else ""
    text = remittance_text(number) if asks and not reference and asked > 0 else ""
    block = payment_block(doc.practice, reference, asked, amount, text)
    link = doc.pay_link if asked > 0 and doc.balance > 0 else ""
    block["pay_link"], block["pay_link_qr"] = link, link_qr(link)
    block["pay_link_amount"] = amount(doc.balance) if link else ""  # the link is for this invoice's balance
    return block


def link_qr(url: str) -> str:
    """The pay link as a QR code (an SVG `data:` URL), "" for none."""
    if not url:
        return ""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=3, border=1)


def statement_payment_context(doc: StatementDocument, amount) -> PaymentContext:
    """A statement's: the client's reference and a code for its balance due; a Client ID that
    makes no reference is quoted itself, as remittance text."""
    reference = client_reference(doc.client.client_id)
    text = "" if reference else remittance_text(doc.client.client_id)
    return payment_block(doc.practice, reference, statement_open_amount(doc.statement), amount, text)


def payment_block(practice: Practice, reference: str, open_amount: Decimal, amount,
                  text: str = "") -> PaymentContext:
    """`reference`: the creditor reference to quote; where there is none, `text` (the invoice's
    number or the Client ID as remittance text) is quoted instead."""
    account = account_of(practice)
    code = payment_code(account, practice.currency, open_amount, reference, practice.address, text) \
        if reference or text else None
    return {
        "payment_reference": printed(reference) or text,
        "payment_qr": code.kind if code else "",
        "payment_qr_image": code.image if code else "",
        "payment_qr_amount": amount(open_amount) if code else "",
        "pay_link": "", "pay_link_qr": "", "pay_link_amount": "",
        "payment_account": {
            "holder": account.holder if account else "",
            "iban": " ".join(account.iban[i:i + 4] for i in range(0, len(account.iban), 4)) if account else "",
            "bic": account.bic if account else "",
        },
    }


def account_of(practice: Practice) -> BankAccount | None:
    if not practice.iban:
        return None
    return BankAccount(practice.account_holder or practice.name, practice.iban, practice.bic)
