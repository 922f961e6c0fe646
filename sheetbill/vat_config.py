"""The config's `vat:` section -> core.vat.VatRules.

    vat:
      small_business: false        # true: no VAT at all, the note printed on every invoice
      small_business_note: "No VAT is charged under the small-business scheme (§ 19 UStG)."
      zero_rate: E                 # the category of a 0 % service without one (S Z E AE K O)
      exemption_reason: "VATEX-EU-132-1C Umsatzsteuerfrei gemäß § 4 Nr. 14 UStG"
      prices: net                  # or gross: Unit Prices include VAT
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .core.vat import NOTE_SMALL_BUSINESS, STANDARD, VatRules, parse_category

SHAPE = {k: None for k in ("small_business", "small_business_note", "zero_rate", "exemption_reason", "prices")}


def vat_rules(doc: Any, fail: Callable[[str, str], Exception]) -> VatRules:
    """`doc` is config's typed reader (text, flag, choice)."""
    zero = parse_category(doc.text("vat.zero_rate", "E"))
    if not zero or zero == STANDARD:
        raise fail("vat.zero_rate", "must be a category without VAT: Z, E, AE, K or O")
    return VatRules(
        small_business=doc.flag("vat.small_business", False),
        small_business_note=doc.text("vat.small_business_note", NOTE_SMALL_BUSINESS) or NOTE_SMALL_BUSINESS,
        zero_rate=zero, exemption_reason=doc.text("vat.exemption_reason"),
        gross_prices=doc.choice("vat.prices", "net", ("net", "gross")) == "gross")
