"""A payment's Method as documents and emails print it: the workbook's values (Card, Bank
transfer, Cash, Other) in the document's language; the workbook keeps its English values,
and a method the admin typed otherwise is printed as typed."""

from __future__ import annotations

from collections.abc import Callable

from ..language import N_

METHODS = {  # the Payments tab's Method (lower case) -> its words
    "card": N_("Card"),
    "bank transfer": N_("Bank transfer"),
    "cash": N_("Cash"),
    "other": N_("Other"),
}


def method_words(method: str, translate: Callable[[str], str]) -> str:
    """`Bank transfer` -> `Überweisung` through a German `translate`; anything else as it is."""
    words = METHODS.get(" ".join(method.split()).lower())
    return translate(words) if words else method
