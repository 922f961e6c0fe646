"""Structured addresses and countries from the workbook's free-text ones.

An address is the lines a letter shows: the last line may name the country
(`Germany`, `Deutschland`, `France`, `FR`), a line like `10115 Berlin` or
`69002 Lyon` gives postcode and city. The country may also come from a VAT
ID's prefix or the IBAN's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale

from .model import Address

_POSTCODE_CITY = re.compile(r"^(?:[A-Z]{1,2}[- ])?(\d{4,5}|\d{3} ?\d{2})\s+(.+)$")
_VAT = re.compile(r"^[A-Z]{2}[0-9A-Z+*.]{2,13}$")
VAT_PREFIX = {"EL": "GR", "XI": "GB"}  # VAT prefixes that are not the ISO country code


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for lang in ("en", "de", "fr", "nl", "it", "es"):
        for code, name in Locale(lang).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(name.casefold(), code)
    return names


def country_of_line(line: str) -> str:
    """`Germany`, `Deutschland`, `FR` -> the ISO code; "" when the line names no country."""
    text = line.strip().strip(".").casefold()
    if len(text) == 2 and text.isalpha() and text.upper() in Locale("en").territories:
        return text.upper()
    return _country_names().get(text, "")


def vat_id(tax_id: str) -> str:
    """The tax ID as a VAT identifier (country prefix and number, compact), "" when it is none."""
    compact = re.sub(r"[\s.\-/]", "", tax_id or "").upper()
    return compact if _VAT.match(compact) and compact[:2] != "RF" else ""


def vat_country(vat: str) -> str:
    return VAT_PREFIX.get(vat[:2], vat[:2]) if vat else ""


def last_line_country(address: str) -> str:
    """The country the last line of a free-text address names, "" when it names none."""
    lines = [l for l in (address or "").replace(",", "\n").splitlines() if l.strip()]
    return country_of_line(lines[-1]) if lines else ""


def practice_country(tax_id: str, address: str, iban: str) -> str:
    """The practice's country: its VAT ID's, else its address's last line's, else its IBAN's; "" unknown."""
    return vat_country(vat_id(tax_id)) or last_line_country(address) or iban.strip()[:2].upper()


def parse_address(text: str, fallback_country: str) -> Address:
    """The lines of `text` as street lines, postcode and city, and country (the last line when
    it names one, else `fallback_country`)."""
    sep = r"[\n;]" if "\n" in (text or "") else r"[;,]"
    lines = [l.strip() for l in re.split(sep, text or "") if l.strip()]
    country = country_of_line(lines[-1]) if lines else ""
    if country:
        lines = lines[:-1]
    postcode = city = ""
    for i in range(len(lines) - 1, -1, -1):
        m = _POSTCODE_CITY.match(lines[i])
        if m:
            postcode, city = m.group(1), m.group(2).strip()
            lines = lines[:i] + lines[i + 1:]
            break
    return Address(tuple(lines[:3]), city, postcode, country or fallback_country)
