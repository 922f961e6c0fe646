"""Identifier checks: NPI (Luhn over the 80840 prefix, as CMS defines it) and EIN."""

from __future__ import annotations

from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.us import ein as _ein

NPI_PREFIX = "80840"  # the NPI check digit is the Luhn digit of 80840 + the first nine digits


def npi_problem(value: str) -> str:
    """"" when `value` is a valid NPI, else what is wrong."""
    digits = value.replace(" ", "")
    if not (digits.isdigit() and len(digits) == 10):
        return f"'{value}' is not an NPI (10 digits)"
    if digits[0] not in "12":
        return f"'{value}' is not an NPI (it starts with 1 or 2)"
    if not luhn.is_valid(NPI_PREFIX + digits):
        return f"'{value}' is not an NPI (its check digit is wrong; a typo?)"
    return ""


def ein_problem(value: str) -> str:
    """"" when `value` is an EIN like 12-3456789, else what is wrong."""
    try:
        _ein.validate(value)
    except ValidationError:
        return f"'{value}' is not an EIN (nine digits, written 12-3456789, with a prefix the IRS assigns)"
    return ""
