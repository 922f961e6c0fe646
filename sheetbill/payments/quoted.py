"""Which invoices and clients a bank entry quotes, by what their documents ask the client to quote.

An invoice's QR code and PDF carry its creditor reference (`reference.creditor_reference`), else
its number as remittance text (`remittance.remittance_text`); a statement's the same made from the
Client ID. Both spell letters outside ASCII in Latin letters, so two numbers written alike
(`RÉ-2026-0001`, `RE-2026-0001`; Client IDs `MÜLLER`, `MULLER`) carry the same. Every number and
Client ID of the sheet is therefore looked for, not only the open invoices: what fits more than
one is named for a person to decide, never guessed (a void `RE-2026-0001` may be the one the
payer meant). A reference made before letters were spelled so (`reference.former_reference`,
`RÉ-2026-0001` -> `RF55 R202 6000 1`) is read too, as that number's while the invoice is open
(its documents may carry it), so it is never taken for `R-2026-0001`'s alone.

What an entry holds is looked up in an index of the sheet (`payments/number_index.py`), not
compared with each number: the same is found, in the time of the entry's length.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ..core.model import Client, Invoice
from .number_index import NumberIndex
from .reference import client_reference, creditor_reference, number_key
from .remittance import latin, remittance_text

_SEPARATORS = r"[\s\-/_.:#]*"
SHORTEST = 4  # letters and digits of a number recognised in free text


@dataclass(frozen=True)
class Quoted:
    invoices: tuple[str, ...] = ()  # invoice numbers, in the sheet's order
    clients: tuple[str, ...] = ()  # Client IDs

    def __len__(self) -> int:
        return len(self.invoices) + len(self.clients)


class Quotable:
    """The references and numbers of a sheet's invoices and clients, to find in bank entries."""

    def __init__(self, invoices: Sequence[Invoice], clients: Sequence[Client], open_numbers: Collection[str]) -> None:
        """`open_numbers`: the invoices with something still open."""
        numbers = list(dict.fromkeys(i.invoice_no for i in invoices if i.invoice_no))
        ids = list(dict.fromkeys(c.client_id for c in clients if c.client_id))
        self._invoices = NumberIndex(numbers, creditor_reference, lambda no: no in open_numbers)
        self._clients = NumberIndex(ids, client_reference, lambda _cid: True)
        # a Client ID is looked for as text where a statement's code carries it so
        self._client_texts = NumberIndex([cid for cid in ids if not client_reference(cid) and remittance_text(cid)],
                                         client_reference, lambda _cid: False)
        self._patterns: dict[str, re.Pattern[str] | None] = {}  # made when first needed: a sheet may hold 100,000s

    def by_reference(self, text: str) -> Quoted:
        """The invoices and clients whose creditor reference `text` quotes (spaces, case and
        punctuation do not matter)."""
        said = _compact(text)
        return Quoted(self._invoices.referenced(said), self._clients.referenced(said))

    def by_text(self, text: str) -> Quoted:
        """The invoices whose number `text` mentions, and the clients whose statements quote their
        Client ID as text and whose ID it mentions."""
        plain = latin(text)
        said = number_key(text)  # holds the key of every number the text mentions
        return Quoted(tuple(no for no in self._invoices.holding(said, SHORTEST) if self._mentions(no, plain)),
                      tuple(cid for cid in self._client_texts.holding(said, SHORTEST) if self._mentions(cid, plain)))

    def _mentions(self, number: str, plain: str) -> bool:
        if number not in self._patterns:
            self._patterns[number] = number_pattern(number)
        pattern = self._patterns[number]
        return pattern is not None and pattern.search(plain) is not None


def _compact(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def number_pattern(number: str) -> re.Pattern[str] | None:
    """An invoice number or Client ID in free text, separators optional, not inside a longer
    number or word; accents do not matter. None when it is too short to recognise."""
    chars = list(number_key(number))
    if len(chars) < SHORTEST:
        return None
    before = r"(?<![0-9])" if chars[0].isdigit() else r"(?<![A-Z])"
    after = r"(?![0-9])" if chars[-1].isdigit() else r"(?![A-Z])"
    return re.compile(before + _SEPARATORS.join(re.escape(c) for c in chars) + after, re.IGNORECASE)
