"""The config's `vat:` section -> core.vat.VatRules.

    vat:
      small_business: false        # true: no VAT at all, the note printed on every invoice
      small_business_note: ...     # unset: the note of the practice's country (§ 19 UStG; art. 293 B CGI in France)
      zero_rate: E                 # the category of a 0 % service without one (S Z E AE K O)
      exemption_reason: VATEX-EU-132-1C   # a code alone: its legal wording, in the invoice's language
                                   # (any code of the VATEX list, core.vatex); a typed text stays as typed
      prices: net                  # or gross: Unit Prices include VAT

The practice's country (from practice.tax_id, practice.address or
payments.account.iban) chooses whose law the default notes cite.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .core import vatex
from .core.vat import STANDARD, VatRules, parse_category, small_business_note, split_reason
from .einvoice.address import practice_country

SHAPE = {k: None for k in ("small_business", "small_business_note", "zero_rate", "exemption_reason", "prices")}


def vat_rules(doc: Any, fail: Callable[[str, str], Exception]) -> VatRules:
    """`doc` is config's typed reader (text, flag, choice)."""
    zero = parse_category(doc.text("vat.zero_rate", "E"))
    if not zero or zero == STANDARD:
        raise fail("vat.zero_rate", "must be a category without VAT: Z, E, AE, K or O")
    for key in ("vat.exemption_reason", "vat.small_business_note"):
        code = split_reason(doc.text(key))[0]
        if code and not vatex.known(code):
            raise fail(key, f"'{code}' is not on the VATEX code list (use a listed code, e.g. VATEX-EU-132-1C, "
                            "or write the reason without a code)")
    country = practice_country(doc.text("practice.tax_id"), doc.text("practice.address"),
                               doc.text("payments.account.iban"))
    return VatRules(
        small_business=doc.flag("vat.small_business", False),
        small_business_note=doc.text("vat.small_business_note") or small_business_note(country), country=country,
        zero_rate=zero, exemption_reason=doc.text("vat.exemption_reason"),
        gross_prices=doc.choice("vat.prices", "net", ("net", "gross")) == "gross")
