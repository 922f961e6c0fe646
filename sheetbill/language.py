"""The language a document is written in, and its words.

A document speaks the client's language (the optional Clients column
`Language`), else the practice's (config `practice.language`), else the
plain English sheetbill always wrote. A language is a locale name as babel
knows it: `de`, `de_DE`, `fr_FR`, `en_IE` (`de-DE` is read as `de_DE`).

Printed words come from gettext message catalogues,
`sheetbill/locale/<language>/LC_MESSAGES/sheetbill.po`, read (and compiled in
memory) with babel the first time a language is used, so a fresh clone needs
no build step. `de_DE` uses the catalogue of `de_DE` if there is one, else
that of `de`; a language without a catalogue prints English words (its
numbers, dates and amounts are still written its way).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "sheetbill"


class UnknownLanguage(ValueError):
    """A language name babel does not know; str() says which and gives examples."""


def parse_language(name: str) -> str:
    """`name` as a locale name (`de_DE`), "" for no language.

    Raises UnknownLanguage for a name babel does not know."""
    name = name.strip()
    if not name:
        return ""
    try:
        return str(Locale.parse(name.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        raise UnknownLanguage(f"unknown language '{name}' (e.g. en, de_DE, fr_FR, en_IE)") from None


def document_language(client_language: str, practice_language: str) -> str:
    """The client's language, else the practice's; "" for sheetbill's plain English."""
    return client_language or practice_language


def catalogue_names(language: str) -> tuple[str, ...]:
    """The catalogues to look for, most specific first: `de_DE`, `de`."""
    if not language:
        return ()
    base = language.split("_")[0]
    return (language, base) if base != language else (language,)


@lru_cache(maxsize=16)
def translations(language: str) -> gettext.NullTranslations:
    """The words of `language` (English, unchanged, where it has no catalogue)."""
    for name in catalogue_names(language):
        po = LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file():
            with po.open("rb") as source:
                catalog = read_po(source, locale=name, domain=DOMAIN)
            compiled = BytesIO()
            write_mo(compiled, catalog)
            compiled.seek(0)
            return gettext.GNUTranslations(compiled)
    return gettext.NullTranslations()


def gettext_for(language: str) -> Callable[[str], str]:
    """`_` for `language`: a message in, its translation (or itself) out."""
    return translations(language).gettext


def template_functions(language: str) -> dict[str, Callable[..., str]]:
    """What templates call to translate: `_`, `gettext`, `ngettext`, `pgettext`."""
    words = translations(language)
    return {"_": words.gettext, "gettext": words.gettext, "ngettext": words.ngettext,
            "pgettext": words.pgettext}


def N_(message: str) -> str:
    """Marks `message` for the catalogues (babel extracts it); translated where printed."""
    return message


SHIPPED_EMAIL = Path(__file__).resolve().parent.parent / "templates" / "email"


def email_template(path: Path, language: str) -> Path:
    """The email template `path` in `language`: `<lang>/<name>` next to it
    (`fr_FR/`, then `fr/`), else in sheetbill's own email templates, else
    `path` itself (English, or the practice's own text)."""
    for folder in (path.parent, SHIPPED_EMAIL):
        for name in catalogue_names(language):
            found = folder / name / path.name
            if found.is_file():
                return found
    return path
