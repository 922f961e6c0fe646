"""Bank credits matched to invoices, in this order:

1. the invoice's creditor reference (RF..) anywhere in the remittance, or
   a client's (from a statement: it pays that client's oldest open invoices);
2. the invoice's number in the remittance text (spaces, case, dashes and
   slashes do not matter: `inv 2026 0001` and `INV20260001` find
   INV-2026-0001; nor do accents, so `RE-2026-A1`, as an invoice's QR code
   writes it, finds RE-2026-Ä1);
3. the amount equal to what is open on exactly one invoice of a client whose
   name is the counterparty's (case, accents, word order and punctuation
   do not matter).

A credit larger than all the client owes, one naming several invoices, one
whose amount fits several invoices and one that nothing fits is not
matched: it gets a Problem for a person. Debits are not payments and are
left alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..core.model import Client, Invoice
from ..core.number import money
from ..core.payments import PAYABLE
from .entries import BankEntry
from .reference import client_reference, creditor_reference
from .remittance import latin

_FOLD = str.maketrans({"ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ß": "ss", "þ": "th"})
_SEPARATORS = r"[\s\-/_.:#]*"


@dataclass(frozen=True)
class Match:
    entry: BankEntry
    invoice_no: str = ""  # the invoice it pays; "" when not matched
    client_id: str = ""
    rule: str = ""  # "reference", "client reference", "invoice number", "amount and name"
    problem: str = ""  # why it is not matched, for a person

    @property
    def matched_to(self) -> str:
        """The invoice it pays, or the client whose oldest open invoices it pays (a statement's
        reference); "" when not matched."""
        return self.invoice_no or self.client_id


def match_entries(entries: Iterable[BankEntry], invoices: Sequence[Invoice], clients: Sequence[Client],
                  open_amount: Callable[[Invoice], Decimal], currency: str) -> list[Match]:
    """A `Match` for each credit of `entries` (debits are left out), in order.
    `open_amount` says what an invoice still asks for; each match lowers it for
    the entries after it."""
    payable = [i for i in invoices if i.status in PAYABLE and i.invoice_no]
    still = {i.invoice_no: open_amount(i) for i in payable}
    names = {c.client_id: c.name for c in clients}
    references = {i.invoice_no: creditor_reference(i.invoice_no) for i in payable}
    client_refs = {c.client_id: client_reference(c.client_id) for c in clients if c.client_id}
    patterns = {i.invoice_no: _number_pattern(i.invoice_no) for i in payable}
    out = []
    for entry in entries:
        if entry.amount <= 0:
            continue
        match = _one(entry, payable, still, names, references, client_refs, patterns, currency)
        if match.invoice_no:
            still[match.invoice_no] -= min(entry.amount, still[match.invoice_no])
        elif match.client_id:  # applied to the client's oldest open invoices first
            left = entry.amount
            for inv in sorted((i for i in payable if i.client_id == match.client_id),
                              key=lambda i: (i.issue_date or date.min, i.invoice_no)):
                taken = min(left, still[inv.invoice_no])
                still[inv.invoice_no] -= taken
                left -= taken
        out.append(match)
    return out


def _one(entry: BankEntry, payable: list[Invoice], still: dict[str, Decimal], names: dict[str, str],
         references: dict[str, str], client_refs: dict[str, str], patterns: dict[str, re.Pattern[str] | None],
         currency: str) -> Match:
    if currency and entry.currency and entry.currency.upper() != currency.upper():
        return Match(entry, problem=f"In {entry.currency}, but the practice bills in {currency}; "
                                    f"enter it in Payments by hand if it pays an invoice")
    said = _compact(f"{entry.structured_ref} {entry.text}")
    found = [i for i in payable if references[i.invoice_no] and references[i.invoice_no] in said]
    rule = "reference"
    if not found:
        quoted = [cid for cid, ref in client_refs.items() if ref and ref in said]
        if len(quoted) == 1:
            cid = quoted[0]
            owed = sum((still[i.invoice_no] for i in payable if i.client_id == cid), Decimal(0))
            if entry.amount > owed:
                return Match(entry, problem=f"Quotes the reference of {names.get(cid, cid)}, but "
                                            f"{_plain(entry.amount)} is more than they owe ({_plain(owed)}); "
                                            f"check it, then write the invoice it pays in Matched To")
            return Match(entry, "", cid, "client reference")
    if not found:
        text = latin(f"{entry.structured_ref} {entry.text}")
        found = [i for i in payable if _mentions(patterns[i.invoice_no], text)]
        rule = "invoice number"
    if len(found) > 1:
        return Match(entry, problem=f"Names {len(found)} invoices ({', '.join(i.invoice_no for i in found)}); "
                                    f"write the one it pays in Matched To")
    if found:
        inv = found[0]
        if still[inv.invoice_no] <= 0:
            return Match(entry, problem=f"Pays {inv.invoice_no}, which is already paid; check it, then write the "
                                        f"invoice it pays in Matched To")
        owed = sum((still[i.invoice_no] for i in payable if i.client_id == inv.client_id), Decimal(0))
        if entry.amount > owed:
            return Match(entry, problem=f"Pays {inv.invoice_no}, but {_plain(entry.amount)} is more than "
                                        f"{names.get(inv.client_id, inv.client_id)} owes ({_plain(owed)}); "
                                        f"check it, then write {inv.invoice_no} in Matched To to apply it")
        return Match(entry, inv.invoice_no, inv.client_id, rule)
    party = _name_words(entry.counterparty)
    fits = [i for i in payable if still[i.invoice_no] == entry.amount and party
            and _same_person(_name_words(names.get(i.client_id, i.client_name)), party)]
    if len(fits) == 1:
        return Match(entry, fits[0].invoice_no, fits[0].client_id, "amount and name")
    if len(fits) > 1:
        return Match(entry, problem=f"The amount fits {len(fits)} open invoices of "
                                    f"{entry.counterparty} ({', '.join(i.invoice_no for i in fits)}); "
                                    f"write the one it pays in Matched To")
    return Match(entry, problem="No invoice found: no reference or invoice number in the text and no open "
                                "invoice of this amount for this name; write the invoice in Matched To")


def _mentions(pattern: re.Pattern[str] | None, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None


def _compact(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def _number_pattern(invoice_no: str) -> re.Pattern[str] | None:
    """The invoice number in free text, separators optional, not inside a longer number or word."""
    chars = [c for c in latin(invoice_no).upper() if c.isalnum()]
    if len(chars) < 4:  # too short to recognise in free text
        return None
    before = r"(?<![0-9])" if chars[0].isdigit() else r"(?<![A-Z])"
    after = r"(?![0-9])" if chars[-1].isdigit() else r"(?![A-Z])"
    return re.compile(before + _SEPARATORS.join(re.escape(c) for c in chars) + after, re.IGNORECASE)


def _name_words(name: str) -> frozenset[str]:
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return frozenset(w for w in re.split(r"[^0-9a-z]+", plain) if len(w) > 1)


def _same_person(client: frozenset[str], party: frozenset[str]) -> bool:
    """All the client's name words in the counterparty's (a bank may add a title or a middle name)."""
    return bool(client) and client <= party


def _plain(amount: Decimal) -> str:
    return f"{money(amount):,.2f}"


def names_client(client_name: str, counterparty: str) -> bool:
    """The counterparty is this client (case, accents, word order, a title added do not matter)."""
    return _same_person(_name_words(client_name), _name_words(counterparty))
