"""ISO 11649 structured creditor references (`RF..`) for invoices.

The reference is made from the invoice number's letters and digits
(`INV-2026-0001` -> `RF16INV20260001`, check digits by python-stdnum), so
it can be computed again from the number alone: the bank import finds the
invoice a transfer pays by recomputing the references of the open invoices.
"""

from __future__ import annotations

import re

from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

MAX_BODY = 21  # ISO 11649: up to 21 characters after RF and the check digits

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
_START = re.compile(r"RF\d\d", re.IGNORECASE)


def creditor_reference(invoice_no: str) -> str:
    """`RF` + check digits + the invoice number's letters and digits, upper case.
    "" when the number has no letters or digits or more than 21 of them (such an
    invoice simply has no structured reference)."""
    body = _NOT_ALNUM.sub("", invoice_no).upper()
    if not body or len(body) > MAX_BODY or not body.isascii():
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
