"""A `SuperbillDocument` as a plain template context, every value already
text (the conventions of `render.context`), and the superbill's document type.

Like the invoice, it speaks the client's language (else the practice's):
its dates, amounts and units written that way, and its words, in the
template and the not-a-claim statement, from the message catalogues."""

from __future__ import annotations

from functools import partial
from typing import TypedDict

from ..core.insurance import Provider
from ..core.superbill import SuperbillDocument, SuperbillLine
from ..language import N_, document_language, gettext_for
from .base import DocumentType
from .context import (ClientContext, Money, PracticeContext, client_context, format_date,
                      format_quantity, money_format, practice_context, text)

NOT_A_CLAIM = N_("This superbill is an itemised statement of services for the client to submit to their "
               "insurer. It is not a claim: the practice has not billed the insurer, and payment of "
               "benefits is between the client and the insurer.")


class ProviderContext(TypedDict):
    key: str
    name: str
    credentials: str
    npi: str


class SuperbillLineContext(TypedDict):
    date: str
    date_iso: str
    session_id: str
    invoice_no: str
    place_of_service: str
    procedure_code: str
    modifiers: str  # "95, GT"
    description: str
    pointers: str  # "A, B"
    units: str
    charge: str
    paid: str
    provider: str  # "Maria Keller, LMHC"
    provider_npi: str


class DiagnosisContext(TypedDict):
    pointer: str
    code: str
    description: str


class InsuredContext(TypedDict):
    date_of_birth: str
    insurer: str
    member_id: str
    group_no: str
    relationship: str


class SuperbillContext(TypedDict):
    practice: PracticeContext
    client: ClientContext
    insured: InsuredContext
    npi: str
    ein: str
    identifiers: list[dict[str, str]]  # [{label, value}]: national identifiers
    date: str
    date_iso: str
    period_from: str
    period_to: str
    currency: str
    lines: list[SuperbillLineContext]
    diagnoses: list[DiagnosisContext]
    providers: list[ProviderContext]
    charged: str
    paid: str
    balance: str
    has_balance: bool
    not_a_claim: str
    language: str  # the document's locale name ("de_DE"), "" for sheetbill's plain English


def superbill_context(doc: SuperbillDocument) -> SuperbillContext:
    """The template context of `doc`: plain dicts, lists, text, bools."""
    language = document_language(doc.client.language, doc.practice.language)
    s, amount, insured = doc.superbill, money_format(doc.practice, language), doc.insured
    day = partial(format_date, language=language)
    return {
        "practice": practice_context(doc.practice),
        "client": client_context(doc.client),
        "insured": {"date_of_birth": day(insured.date_of_birth), "insurer": text(insured.insurer),
                    "member_id": text(insured.member_id), "group_no": text(insured.group_no),
                    "relationship": text(insured.relationship)},
        "npi": text(doc.ids.npi),
        "ein": text(doc.ids.ein),
        "identifiers": [{"label": text(label), "value": text(value)} for label, value in doc.ids.other],
        "date": day(s.today),
        "date_iso": s.today.isoformat(),
        "period_from": day(s.date_from),
        "period_to": day(s.date_to),
        "currency": doc.practice.currency,
        "lines": [_line(line, amount, language) for line in s.lines],
        "diagnoses": [{"pointer": d.pointer, "code": d.code, "description": text(d.description)}
                      for d in s.diagnoses],
        "providers": [_provider(p) for p in s.providers],
        "charged": amount(s.charged),
        "paid": amount(s.paid),
        "balance": amount(s.balance),
        "has_balance": s.balance > 0,
        "not_a_claim": gettext_for(language)(NOT_A_CLAIM),
        "language": language,
    }


def _provider(p: Provider) -> ProviderContext:
    return {"key": text(p.key), "name": text(p.name), "credentials": text(p.credentials), "npi": text(p.npi)}


def _line(line: SuperbillLine, amount: Money, language: str = "") -> SuperbillLineContext:
    p = line.provider
    return {
        "date": format_date(line.date, language),
        "date_iso": line.date.isoformat(),
        "session_id": text(line.session_id),
        "invoice_no": text(line.invoice_no),
        "place_of_service": text(line.place_of_service),
        "procedure_code": text(line.procedure_code),
        "modifiers": ", ".join(text(m) for m in line.modifiers),
        "description": text(line.description),
        "pointers": ", ".join(line.pointers),
        "units": format_quantity(line.units, language),
        "charge": amount(line.charge),
        "paid": amount(line.paid),
        "provider": text(", ".join(filter(None, (p.name, p.credentials)))) if p else "",
        "provider_npi": text(p.npi) if p else "",
    }


SUPERBILL: DocumentType[SuperbillDocument] = DocumentType(
    "superbill", superbill_context, lambda doc: doc.superbill.today, repr)
