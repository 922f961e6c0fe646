"""ISO 11649 structured creditor references (`RF..`) for invoices.

The reference is made from the invoice number's letters and digits
(`INV-2026-0001` -> `RF16INV20260001`, check digits by python-stdnum), so
it can be computed again from the number alone: the bank import finds the
invoice a transfer pays by recomputing the references of the invoices.

A reference holds only A-Z and 0-9, so a letter outside ASCII is written as
the remittance text writes it (`remittance.latin`: the accent dropped, `ß` as
`ss`): `RÉ-2026-0001` -> `RF40RE20260001`, `KUNDE-MÜLLER` -> `RF78KUNDEMULLER`.
Two numbers written alike so (`RÉ-2026-0001`, `RE-2026-0001`) get the same
reference; the bank import never guesses between them (`payments/quoted.py`).
A number with a letter that has no such spelling (`請求-1`) gets none.
Before this rule such letters were left out (`RÉ-2026-0001` -> `R20260001`);
`former_reference` is that reference, still read on documents sent then.
"""

from __future__ import annotations

import re

from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

from .remittance import latin

MAX_BODY = 21  # ISO 11649: up to 21 characters after RF and the check digits

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
_BODY = re.compile(r"[0-9A-Z]{1,%d}" % MAX_BODY)
_START = re.compile(r"RF\d\d", re.IGNORECASE)


def creditor_reference(invoice_no: str) -> str:
    """`RF` + check digits + the invoice number's letters and digits in Latin letters, upper case.
    "" when the number has no letters or digits, more than 21 of them, or one with no Latin
    spelling (such an invoice has no structured reference: its number is quoted as text)."""
    return _reference(number_key(invoice_no))


def number_key(number: str) -> str:
    """The letters and digits of a number or Client ID as its reference and its remittance text
    carry them: in Latin letters, upper case (`RÉ-2026/0001` -> `RE20260001`)."""
    if number.isascii():  # the same, without spelling: a sheet may hold 100,000s
        return _NOT_ALNUM.sub("", number).upper()
    return "".join(c for c in latin(number).upper() if c.isalnum())


def former_key(number: str) -> str:
    """The letters and digits of a number as its former reference carries them: only those
    in ASCII, upper case (`RÉ-2026/0001` -> `R20260001`)."""
    return _NOT_ALNUM.sub("", number).upper()


def former_reference(number: str) -> str:
    """The reference made before letters outside ASCII were spelled in Latin letters (they were
    left out: `RÉ-2026-0001` -> `RF55R20260001`); "" when it is the reference made now."""
    former = _reference(former_key(number))
    return "" if former == creditor_reference(number) else former


def _reference(body: str) -> str:
    if not _BODY.fullmatch(body):
        return ""
    check = mod_97_10.calc_check_digits(body + "RF")
    return iso11649.validate(f"RF{check}{body}")


def client_reference(client_id: str) -> str:
    """The reference a statement asks the client to quote: made from the Client ID the same way,
    so a transfer quoting it pays the client's oldest open invoices."""
    return creditor_reference(client_id)


def printed(reference: str) -> str:
    """The reference in groups of four, as printed on the invoice: `RF16 INV2 0260 001`."""
    return iso11649.format(reference) if reference else ""


def references_in(text: str) -> list[str]:
    """The valid creditor references in a bank entry's remittance text, compact and upper case."""
    words = [w.strip(".,;:()/") for w in (text or "").upper().split()]
    out, i = [], 0
    while i < len(words):
        if _START.match(words[i]):
            # a reference may be written in groups of four: the longest run of words that is valid
            for end in range(min(len(words), i + 7), i, -1):
                candidate = "".join(words[i:end])
                if len(candidate) <= 25 and iso11649.is_valid(candidate):
                    out.append(candidate)
                    i = end - 1
                    break
        i += 1
    return out
