"""Emails greet a person by name and an organisation (a company, a public
body) the formal way of its language: who is which (core.addressee), and
the first line of every email that greets, in English, German and French."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from sheetbill.core.addressee import is_organisation
from sheetbill.core.model import Client
from sheetbill.deliver.message import invoice_message, receipt_message, reminder_message, statement_message
from sheetbill.render.context import client_context
from sheetbill.render.sample import CLIENT, sample_credit_note, sample_document, sample_receipt, sample_statement
from sheetbill.render.template import fill, load_template

EMAIL = Path(__file__).resolve().parent.parent / "templates" / "email"
PDF, SENDER, WRITTEN = b"%PDF-1.7\n", "billing@practice.example", datetime(2026, 12, 17, tzinfo=timezone.utc)
KINDS = ("invoice", "credit_note", "receipt", "statement", "reminder", "superbill")


def client(name: str, **cells: str) -> Client:
    return replace(CLIENT, name=name, tax_id=cells.pop("tax_id", ""), **cells)


@pytest.mark.parametrize("name, cells, organisation", [
    ("Anna Meier", {}, False),
    ("Sofia Rossi", {"tax_id": "IT01234567890"}, False),  # a freelancer's VAT ID: still a person
    ("Dr. Margarethe Schönberg-Castellanos", {"tax_id": "DE 987 654 321", "vat_category": "AE"}, False),
    ("Bezirksamt Mitte von Berlin, Gesundheitsamt", {"buyer_reference": "11001000-00123-45"}, True),
    ("Stadtwerke Nord", {"buyer_reference": "PO 4711"}, True),  # a company's purchase-order reference
    ("Atelier Lumière SARL", {"tax_id": "FR40303265045"}, True),
    ("Health Insurance Nord AG", {}, True),
    ("Lindenhof Physiotherapie GmbH & Co. KG", {}, True),
    ("Sportverein Grün-Weiß e.V.", {}, True),
    ("Brightwater Ltd", {}, True),
    ("Acme, Inc.", {}, True),
    ("Cabinet Durand (SELARL)", {}, True),
    ("Sabine Agnes", {}, False),  # letters of a legal form inside a name are not one
    ("Lisa Sa", {}, False),
    ("Agnès SAS-Martin", {}, False),
])
def test_who_is_an_organisation(name, cells, organisation):
    assert is_organisation(client(name, **cells)) is organisation
    assert client_context(client(name, **cells))["organisation"] is organisation


PERSON = client("Anna Meier", tax_id="IT01234567890")
PUBLIC_BODY = client("Bezirksamt Mitte von Berlin", buyer_reference="11001000-00123-45")
COMPANY = client("Atelier Lumière SARL", tax_id="FR40303265045")


@pytest.mark.parametrize("language, person, organisation", [
    ("", "Dear Anna Meier,", "Dear Sir or Madam,"),
    ("en_IE", "Dear Anna Meier,", "Dear Sir or Madam,"),
    ("de_DE", "Guten Tag Anna Meier,", "Sehr geehrte Damen und Herren,"),
    ("fr_FR", "Bonjour Anna Meier,", "Madame, Monsieur,"),
])
@pytest.mark.parametrize("kind", KINDS)
def test_the_greeting_of_every_email(kind, language, person, organisation):
    assert greeting(kind, replace(PERSON, language=language)) == person
    assert greeting(kind, replace(PUBLIC_BODY, language=language)) == organisation
    assert greeting(kind, replace(COMPANY, language=language)) == organisation


def greeting(kind: str, to: Client) -> str:
    """The body's first line, checked to be followed by a blank line as before."""
    body = email_body(kind, to)
    first, blank, _ = body.split("\n", 2)
    assert blank == "", body
    return first


def email_body(kind: str, to: Client) -> str:
    templates = EMAIL / f"{kind}_subject.txt", EMAIL / f"{kind}_body.txt"
    common = {"written": WRITTEN, "workbook": ""}
    if kind in ("invoice", "credit_note"):
        doc = sample_document() if kind == "invoice" else sample_credit_note()
        message = invoice_message(replace(doc, client=to), PDF, "a.pdf", SENDER,
                                  EMAIL / "invoice_subject.txt", EMAIL / "invoice_body.txt", **common)
    elif kind == "receipt":
        message = receipt_message(replace(sample_receipt(), client=to), PDF, "a.pdf", SENDER, *templates, **common)
    elif kind == "statement":
        message = statement_message(replace(sample_statement(), client=to), PDF, "a.pdf", SENDER, *templates,
                                    **common)
    elif kind == "reminder":
        message = reminder_message(replace(sample_document(), client=to), PDF, "a.pdf", 1, 12, date(2026, 12, 17),
                                   SENDER, *templates, **common)
    else:  # the superbill's greeting, its only line about the client
        from sheetbill.language import email_template

        path = email_template(EMAIL / "superbill_body.txt", to.language)
        first_lines = "\n".join(path.read_text(encoding="utf-8").split("\n")[:2]) + "\n"
        template = load_template(path, autoescape=False).environment.from_string(first_lines)
        return fill(template, {"client": client_context(to), "language": to.language})
    return str(message.get_body(("plain",)).get_content())
