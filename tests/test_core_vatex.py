"""The VATEX code list and the note each code prints when an exemption is given by its code
alone: every code EN 16931 accepts has words, in English, German and French."""

from __future__ import annotations

import re

import pytest

from sheetbill.core import vatex
from sheetbill.language import gettext_for

from .einvoice_rules import RULES


def words(language: str):
    return gettext_for(language) if language else str


def test_the_list_is_the_one_the_en16931_rules_accept():
    xslt = RULES / "cii" / "EN16931-CII-validation.xslt"
    if not xslt.is_file():
        pytest.skip("the EN 16931 rules (../shared/einvoice) are not next to the repository")
    listed = re.search(r"contains\(' (VATEX-[^']*) '", xslt.read_text(encoding="utf-8"))
    assert listed is not None
    assert vatex.CODES == frozenset(listed[1].split())


@pytest.mark.parametrize("code", sorted(vatex.CODES))
@pytest.mark.parametrize("language", ["", "de", "fr"])
def test_every_listed_code_has_a_note_in_each_language(code, language):
    note = vatex.wording(code, words(language))
    assert note and "{" not in note
    if language:  # translated, not the English words
        assert note != vatex.wording(code)
    cited = re.match(r"VATEX-EU-(\d+)", code)
    if cited:  # the article the code stands for
        assert re.search(rf"\b{cited[1]}\b", note)


# code, language -> the note
NOTES = [
    ("VATEX-EU-132-1B", "", "VAT exempt under Article 132(1)(b) of Council Directive 2006/112/EC."),
    ("VATEX-EU-132-1B", "de", "Umsatzsteuerfrei gemäß Art. 132 Abs. 1 Buchst. b der Richtlinie 2006/112/EG."),
    ("VATEX-EU-132-1B", "fr", "Exonération de TVA, article 132, paragraphe 1, point b), de la directive 2006/112/CE."),
    ("vatex-eu-132-1b", "", "VAT exempt under Article 132(1)(b) of Council Directive 2006/112/EC."),
    ("VATEX-EU-143-1FA", "", "VAT exempt under Article 143(1)(fa) of Council Directive 2006/112/EC."),
    ("VATEX-EU-143-1FA", "fr",
     "Exonération de TVA, article 143, paragraphe 1, point f bis), de la directive 2006/112/CE."),
    ("VATEX-EU-151-1AA", "de", "Umsatzsteuerfrei gemäß Art. 151 Abs. 1 Buchst. aa der Richtlinie 2006/112/EG."),
    ("VATEX-EU-148-A", "de", "Umsatzsteuerfrei gemäß Art. 148 Buchst. a der Richtlinie 2006/112/EG."),
    ("VATEX-EU-79-C", "", "VAT exempt under Article 79(c) of Council Directive 2006/112/EC."),
    ("VATEX-EU-135-1", "fr", "Exonération de TVA, article 135, paragraphe 1, de la directive 2006/112/CE."),
    ("VATEX-EU-309", "de", "Umsatzsteuerfrei gemäß Art. 309 der Richtlinie 2006/112/EG."),
    ("VATEX-EU-F", "de", "Differenzbesteuerung – Gebrauchtgegenstände."),
    ("VATEX-EU-J", "fr", "Régime particulier – Objets de collection et d'antiquité."),
    ("VATEX-EU-AE", "de", "Steuerschuldnerschaft des Leistungsempfängers."),
    ("VATEX-FR-CGI261D-1BIS", "fr", "Exonération de TVA, article 261 D-1° bis du CGI."),
    ("VATEX-FR-298SEXDECIESA", "", "VAT exempt under article 298 sexdecies A of the French tax code (CGI)."),
    ("VATEX-FR-FRANCHISE", "fr", "TVA non applicable, art. 293 B du CGI."),
    ("VATEX-EU-999", "de", ""),  # not on the list: no words
    ("VATEX-EU-132-1R", "", ""),
]


@pytest.mark.parametrize("code, language, note", NOTES)
def test_the_note_of_a_code(code, language, note):
    assert vatex.wording(code, words(language)) == note
    assert vatex.known(code) == bool(note)


# the line's reason (as the Lines tab keeps it), its code, language -> what the invoice prints
PRINTED = [
    (vatex.wording("VATEX-EU-132-1B"), "VATEX-EU-132-1B", "de",
     "Umsatzsteuerfrei gemäß Art. 132 Abs. 1 Buchst. b der Richtlinie 2006/112/EG."),
    ("", "VATEX-EU-132-1B", "fr",  # a line written before the code had words
     "Exonération de TVA, article 132, paragraphe 1, point b), de la directive 2006/112/CE."),
    ("Heilbehandlung, steuerfrei", "VATEX-EU-132-1B", "fr", "Heilbehandlung, steuerfrei"),  # typed: as typed
    ("Not subject to VAT.", "", "fr", "Non soumis à la TVA."),
    ("", "", "de", ""),
]


@pytest.mark.parametrize("reason, code, language, printed", PRINTED)
def test_a_lines_reason_is_printed_in_the_invoices_language(reason, code, language, printed):
    assert vatex.printed(reason, code, words(language)) == printed
