"""The VAT notes and tax labels in the invoice's language: sheetbill's own texts
come through the message catalogues with each country's legal wording; a
reason the practice typed stays as typed."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from sheetbill.core.document import document_for
from sheetbill.core.vat import (
    NOTE_REVERSE_CHARGE,
    NOTE_SMALL_BUSINESS,
    VatRules,
    exemption_reason,
    small_business_note,
    split_reason,
    treatment,
)
from sheetbill.render.context import invoice_context
from sheetbill.render.sample import PRACTICE, sample_document

from .test_core_vat import client, service

P14_TYPED = "Umsatzsteuerfrei gemäß § 4 Nr. 14 UStG (typed by the practice)"


def context(category: str, reason: str, language: str, tax_id: str = "FR40303265045", vatex: str = ""):
    doc = sample_document()
    lines = tuple(replace(l, tax_rate=Decimal(0), tax=Decimal(0), total=l.net, vat_category=category,
                          exemption_reason=reason, vatex=vatex) for l in doc.invoice.lines)
    who = replace(doc.client, tax_id=tax_id, language=language)
    return invoice_context(document_for(replace(doc.invoice, lines=lines), who, PRACTICE, 14))


# category, the line's reason, language -> the notes, the summary's label, a line's Tax column
PRINTED = [
    ("AE", NOTE_REVERSE_CHARGE, "de_DE",
     ["Steuerschuldnerschaft des Leistungsempfängers.",
      "USt-IdNr. des Leistenden: DE 123 456 789. USt-IdNr. des Leistungsempfängers: FR40303265045."],
     "Steuerschuldnerschaft des Leistungsempfängers", "Reverse Charge"),
    ("AE", NOTE_REVERSE_CHARGE, "fr_FR",
     ["Autoliquidation : la TVA est due par le preneur.",
      "N° de TVA du prestataire : DE 123 456 789. N° de TVA du preneur : FR40303265045."],
     "Autoliquidation", "autoliquid."),
    ("AE", NOTE_REVERSE_CHARGE, "",
     ["Reverse charge: VAT to be accounted for by the recipient.",
      "Supplier VAT ID: DE 123 456 789. Recipient VAT ID: FR40303265045."], "Reverse charge", "reverse charge"),
    ("E", NOTE_SMALL_BUSINESS, "de", ["Gemäß § 19 UStG wird keine Umsatzsteuer berechnet."],
     "Umsatzsteuerfrei", "steuerfrei"),
    ("E", split_reason(small_business_note("FR"))[1], "fr", ["TVA non applicable, art. 293 B du CGI."],
     "Exonéré de TVA", "exonéré"),
    ("E", exemption_reason("VATEX-EU-132-1C", "DE"), "de", ["Umsatzsteuerfrei gemäß § 4 Nr. 14 UStG."],
     "Umsatzsteuerfrei", "steuerfrei"),
    ("E", exemption_reason("VATEX-EU-132-1C", "FR"), "fr", ["Exonération de TVA, article 261-4-1° du CGI."],
     "Exonéré de TVA", "exonéré"),
    ("E", exemption_reason("VATEX-EU-132-1C", "DE"), "",
     ["VAT exempt under § 4 No. 14 UStG (medical care)."], "VAT exempt", "exempt"),
    ("E", P14_TYPED, "fr", [P14_TYPED], "Exonéré de TVA", "exonéré"),  # the practice's own words
    ("O", "", "de", ["Nicht steuerbar."], "Nicht steuerbar", "nicht steuerbar"),
    ("O", "", "fr", ["Non soumis à la TVA."], "Hors du champ de la TVA", "non soumis"),
    ("K", "", "de", ["Steuerfreie innergemeinschaftliche Lieferung.",
                     "USt-IdNr. des Leistenden: DE 123 456 789. USt-IdNr. des Leistungsempfängers: FR40303265045."],
     "Innergemeinschaftliche Lieferung", "innergem."),
]


@pytest.mark.parametrize("category, reason, language, notes, label, short", PRINTED)
def test_notes_and_labels_in_the_invoices_language(category, reason, language, notes, label, short):
    printed = context(category, reason, language)
    assert printed["vat_notes"] == notes
    assert printed["vat_note"] == "\n".join(notes)
    assert [t["label"] for t in printed["taxes"]] == [label]
    assert {l["tax_rate"] for l in printed["lines"]} == {short}


# a reason given by its code alone (as the Lines tab keeps it), language -> the note
BY_CODE = [
    ("VATEX-EU-132-1B", "de", "Umsatzsteuerfrei gemäß Art. 132 Abs. 1 Buchst. b der Richtlinie 2006/112/EG."),
    ("VATEX-EU-132-1B", "fr", "Exonération de TVA, article 132, paragraphe 1, point b), de la directive 2006/112/CE."),
    ("VATEX-EU-132-1B", "", "VAT exempt under Article 132(1)(b) of Council Directive 2006/112/EC."),
    ("VATEX-EU-132-1C", "de", "Umsatzsteuerfrei gemäß § 4 Nr. 14 UStG."),  # national words kept
]


@pytest.mark.parametrize("code, language, note", BY_CODE)
def test_an_exemption_given_by_any_listed_code_prints_its_note(code, language, note):
    how = treatment(service(category="E", reason=code), client(), VatRules(country="DE"))
    printed = context("E", how.reason, language, vatex=how.vatex)
    assert printed["vat_notes"] == [note]


@pytest.mark.parametrize("country, note", [
    ("", NOTE_SMALL_BUSINESS), ("DE", NOTE_SMALL_BUSINESS),
    ("FR", "VATEX-FR-FRANCHISE VAT not applicable, art. 293 B of the French tax code (CGI)."),
    ("BE", "No VAT is charged under the small-business scheme."),
])
def test_the_small_business_note_cites_the_practices_country(country, note):
    assert small_business_note(country) == note


@pytest.mark.parametrize("rules, reason, expected", [
    (VatRules(exemption_reason="VATEX-EU-132-1C", country="DE"), "",
     ("VAT exempt under § 4 No. 14 UStG (medical care).", "VATEX-EU-132-1C")),
    (VatRules(exemption_reason="VATEX-EU-132-1C", country="FR"), "",
     ("VAT exempt under article 261-4-1° of the French tax code (CGI).", "VATEX-EU-132-1C")),
    (VatRules(exemption_reason="VATEX-EU-132-1C", country="AT"), "",
     ("VAT exempt: medical care (Art. 132(1)(c) of Directive 2006/112/EC).", "VATEX-EU-132-1C")),
    (VatRules(country="DE"), "vatex-eu-132-1c", ("VAT exempt under § 4 No. 14 UStG (medical care).",
                                                 "VATEX-EU-132-1C")),
    (VatRules(exemption_reason="VATEX-EU-132-1C", country="DE"), "VATEX-EU-132-1C Heilbehandlung",
     ("Heilbehandlung", "VATEX-EU-132-1C")),  # typed text wins
    (VatRules(country="DE"), "VATEX-EU-79-C",  # a code without national words: the Directive's article
     ("VAT exempt under Article 79(c) of Council Directive 2006/112/EC.", "VATEX-EU-79-C")),
    (VatRules(country="FR"), "VATEX-EU-132-1B",
     ("VAT exempt under Article 132(1)(b) of Council Directive 2006/112/EC.", "VATEX-EU-132-1B")),
    (VatRules(exemption_reason="VATEX-EU-132-1B", country="DE"), "",
     ("VAT exempt under Article 132(1)(b) of Council Directive 2006/112/EC.", "VATEX-EU-132-1B")),
])
def test_a_reason_given_by_its_code_alone_gets_the_countrys_legal_wording(rules, reason, expected):
    how = treatment(service(category="E", reason=reason), client(), rules)
    assert (how.reason, how.vatex) == expected


def test_the_config_picks_the_note_of_the_practices_country(tmp_path):
    from sheetbill import config as config_mod

    base = (tmp_path / "c.yaml")
    for tax_id, address, expected in (
            ("FR40303265045", "1 rue X\n69002 Lyon", "VATEX-FR-FRANCHISE VAT not applicable"),
            ("", "Gartenweg 3\n10115 Berlin\nDeutschland", "No VAT is charged under the small-business scheme (§ 19"),
            ("", "1 rue X\n69002 Lyon\nFrance", "VATEX-FR-FRANCHISE")):
        base.write_text(f"workbook: p.xlsx\nemail:\n  transport: none\npractice:\n  name: P\n  tax_id: '{tax_id}'\n  address: |\n    "
                        + address.replace("\n", "\n    ") + "\nvat:\n  small_business: true\n", encoding="utf-8")
        rules = config_mod.load(base).rules.vat
        assert rules.small_business_note.startswith(expected)


@pytest.mark.parametrize("key", ["exemption_reason", "small_business_note"])
def test_the_config_refuses_a_code_not_on_the_vatex_list(tmp_path, key):
    from sheetbill import config as config_mod
    from sheetbill.errors import SheetbillError

    path = tmp_path / "c.yaml"
    path.write_text("workbook: p.xlsx\nemail:\n  transport: none\npractice:\n  name: P\n"
                    f"vat:\n  {key}: VATEX-EU-999 Steuerfrei\n", encoding="utf-8")
    with pytest.raises(SheetbillError, match=f"vat.{key}.*'VATEX-EU-999' is not on the VATEX code list"):
        config_mod.load(path)
