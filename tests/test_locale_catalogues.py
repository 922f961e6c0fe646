"""Every word the templates and the code print has a German and a French
translation: babel extracts the messages now and compares them with the
shipped catalogues."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("sheetbill/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/email/**.txt", "jinja2")]
OPTIONS = {"templates/**": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}


def extracted() -> set[str | tuple[str, ...]]:
    keywords = {"_": None, "gettext": None, "N_": None}
    keywords["ngettext"] = (1, 2)
    return {message for _, _, message, _, _ in extract_from_dir(
        ROOT, METHODS, keywords=keywords, options_map=OPTIONS)}


def test_the_templates_and_the_code_mark_their_words():
    words = extracted()
    assert {"Invoice", "Amount due", "Due date", "Receipt no.", "Statement",
            "Please pay {amount_due} by {due_date} ({terms} days), quoting {reference}."} <= words


@pytest.mark.parametrize("language", ["de", "fr"])
def test_every_word_has_a_translation(language):
    with (ROOT / "sheetbill" / "locale" / language / "LC_MESSAGES" / "sheetbill.po").open("rb") as f:
        catalogue = {m.id: m.string for m in read_po(f) if m.id}
    missing = sorted(str(w) for w in extracted() if not catalogue.get(w) or not all(catalogue[w]))
    assert not missing, f"{language} has no translation of {missing}"


@pytest.mark.parametrize("language", ["de", "fr"])
def test_translations_keep_their_placeholders(language):
    import re

    with (ROOT / "sheetbill" / "locale" / language / "LC_MESSAGES" / "sheetbill.po").open("rb") as f:
        for m in read_po(f):
            if m.id and m.string:
                fields = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
                ids = m.id if isinstance(m.id, tuple) else (m.id,)
                strings = m.string if isinstance(m.string, tuple) else (m.string,)
                for string in strings:
                    assert sorted(fields.findall(ids[-1])) == sorted(fields.findall(string)), m.id


def test_the_vat_notes_and_labels_are_in_the_catalogues():
    from sheetbill.core import vat

    texts = {vat.NOTE_SMALL_BUSINESS, vat.NOTE_SMALL_BUSINESS_FR, vat.NOTE_SMALL_BUSINESS_EU, vat.NOTE_REVERSE_CHARGE,
             vat.NOTE_VAT_IDS, vat.NOTE_INTRA_COMMUNITY, vat.NOTE_OUTSIDE_SCOPE, vat.NOTE_EXEMPT,
             *vat.EXEMPTION_REASONS.values(), *vat.LABELS.values(), *vat.SHORT_LABELS.values(),
             *(vat.split_reason(note)[1] for note in vat.SMALL_BUSINESS_NOTES.values())}
    missing = texts - extracted()
    assert not missing, f"not marked for translation (N_): {sorted(missing)}"
