"""Bank credits matched to invoices, in this order:

1. the invoice's creditor reference (RF..) anywhere in the remittance, or
   a client's (from a statement: it pays that client's oldest open invoices);
2. the invoice's number in the remittance text (spaces, case, dashes and
   slashes do not matter: `inv 2026 0001` and `INV20260001` find
   INV-2026-0001; nor do accents, so `RE-2026-A1`, as an invoice's QR code
   writes it, finds RE-2026-Ä1), or the Client ID a statement's QR code
   quotes as text (one too long for a reference);
3. the amount equal to what is open on exactly one invoice of a client whose
   name is the counterparty's (case, accents, word order and punctuation
   do not matter).

What a document's QR code carries is found as `payments/quoted.py` says: a
reference or number that fits more than one invoice or client of the sheet
(written alike in Latin letters, a void one among them) names them all.

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
from functools import lru_cache

from ..core.model import Client, Invoice
from ..core.number import money
from .entries import BankEntry
from .payable import Payable
from .quoted import Quotable, Quoted
from .reference import number_key

_FOLD = str.maketrans({"ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ß": "ss", "þ": "th"})


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
    names = {c.client_id: c.name for c in clients}
    payable = Payable(invoices, names)
    still = {i.invoice_no: open_amount(i) for i in payable.invoices}
    quotable = Quotable(invoices, clients, {no for no, left in still.items() if left > 0})
    out = []
    for entry in entries:
        if entry.amount <= 0:
            continue
        match = _one(entry, payable, still, names, quotable, currency)
        if match.invoice_no:
            still[match.invoice_no] -= min(entry.amount, still[match.invoice_no])
        elif match.client_id:  # applied to the client's oldest open invoices first
            left = entry.amount
            for inv in sorted(payable.of_client(match.client_id),
                              key=lambda i: (i.issue_date or date.min, i.invoice_no)):
                taken = min(left, still[inv.invoice_no])
                still[inv.invoice_no] -= taken
                left -= taken
        out.append(match)
    return out


def _one(entry: BankEntry, payable: Payable, still: dict[str, Decimal], names: dict[str, str], quotable: Quotable,
         currency: str) -> Match:
    if currency and entry.currency and entry.currency.upper() != currency.upper():
        return Match(entry, problem=f"In {entry.currency}, but the practice bills in {currency}; "
                                    f"enter it in Payments by hand if it pays an invoice")
    said = f"{entry.structured_ref} {entry.text}"
    for rule, find in (("reference", quotable.by_reference), ("invoice number", quotable.by_text)):
        quoted = _payable(find(said), payable.by_number)
        if not quoted:
            continue
        if len(quoted) > 1:
            return Match(entry, problem=_several(quoted, names))
        if quoted.clients:
            return _client(entry, quoted.clients[0], payable, still, names)
        inv = payable.by_number[quoted.invoices[0]]
        if still[inv.invoice_no] <= 0:
            return Match(entry, problem=f"Pays {inv.invoice_no}, which is already paid; check it, then write the "
                                        f"invoice it pays in Matched To")
        owed = sum((still[i.invoice_no] for i in payable.of_client(inv.client_id)), Decimal(0))
        if entry.amount > owed:
            return Match(entry, problem=f"Pays {inv.invoice_no}, but {_plain(entry.amount)} is more than "
                                        f"{names.get(inv.client_id, inv.client_id)} owes ({_plain(owed)}); "
                                        f"check it, then write {inv.invoice_no} in Matched To to apply it")
        return Match(entry, inv.invoice_no, inv.client_id, rule)
    party = _name_words(entry.counterparty)
    fits = [i for i in payable.billed_to(lambda name: _same_person(_name_words(name), party))
            if still[i.invoice_no] == entry.amount] if party else []
    if len(fits) == 1:
        return Match(entry, fits[0].invoice_no, fits[0].client_id, "amount and name")
    if len(fits) > 1:
        return Match(entry, problem=f"The amount fits {len(fits)} open invoices of "
                                    f"{entry.counterparty} ({', '.join(i.invoice_no for i in fits)}); "
                                    f"write the one it pays in Matched To")
    return Match(entry, problem="No invoice found: no reference or invoice number in the text and no open "
                                "invoice of this amount for this name; write the invoice in Matched To")


def _payable(quoted: Quoted, by_number: dict[str, Invoice]) -> Quoted:
    """What `quoted` names that a credit can pay: the issued invoices and the clients, with the
    other invoices written alike (a void `RE-2026-0001` beside an open `RÉ-2026-0001`); none
    when it names only invoices no credit pays (drafts, void ones, credit notes)."""
    payable = [no for no in quoted.invoices if no in by_number]
    if not payable and not quoted.clients:
        return Quoted()
    keys = {number_key(n) for n in payable + list(quoted.clients)}
    return Quoted(tuple(no for no in quoted.invoices if no in by_number or number_key(no) in keys), quoted.clients)


def _several(quoted: Quoted, names: dict[str, str]) -> str:
    if not quoted.clients:
        return (f"Names {len(quoted.invoices)} invoices ({', '.join(quoted.invoices)}); "
                f"write the one it pays in Matched To")
    named = [f"invoice {no}" for no in quoted.invoices] + \
        [f"client {cid} ({names[cid]})" if names.get(cid) else f"client {cid}" for cid in quoted.clients]
    return f"Names {', '.join(named[:-1])} and {named[-1]}; write the invoice it pays in Matched To"


def _client(entry: BankEntry, cid: str, payable: Payable, still: dict[str, Decimal], names: dict[str, str]) -> Match:
    """A statement's reference or Client ID: it pays the client's oldest open invoices."""
    owed = sum((still[i.invoice_no] for i in payable.of_client(cid)), Decimal(0))
    if entry.amount > owed:
        return Match(entry, problem=f"Quotes the reference of {names.get(cid, cid)}, but "
                                    f"{_plain(entry.amount)} is more than they owe ({_plain(owed)}); "
                                    f"check it, then write the invoice it pays in Matched To")
    return Match(entry, "", cid, "client reference")


@lru_cache(maxsize=4096)  # a client's name, once per credit
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
