"""A client's Tax ID checked as an EU VAT ID, offline (python-stdnum: the
country's format and check digits; no VIES lookup)."""

from __future__ import annotations

from stdnum.eu import vat
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)


def vat_id_problem(value: str) -> str:
    """"" for a valid EU VAT ID (`DE 136 695 976`, `ATU13585627`), else why not, in one line."""
    text = value.strip()
    if not text:
        return "the client has no Tax ID (their VAT ID, e.g. FR40303265045)"
    try:
        vat.validate(text)
    except InvalidChecksum:
        return f"Tax ID '{text}' fails its check digits"
    except (InvalidFormat, InvalidLength, InvalidComponent):
        return f"Tax ID '{text}' is not a VAT ID of an EU country (e.g. FR40303265045)"
    except ValidationError:
        return f"Tax ID '{text}' is not a valid VAT ID"
    return ""
