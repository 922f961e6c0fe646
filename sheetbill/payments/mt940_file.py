"""MT940 (SWIFT customer statement) with the `mt-940` package.

German banks' structured :86: fields (?20..?29 purpose, ?32/?33 name) are
split by the package; other banks' :86: text is taken whole. Reversals
(RC/RD) are left out.

A field the package cannot read is named in one line: its line in the file,
the transaction it belongs to, what it holds and how MT940 writes it. The
package says only which of its objects failed, and logs its patterns line by
line, so its log is kept quiet and the field is found by reading the file
again up to each field (a few times: halving the fields each time).
"""

from __future__ import annotations

import logging
import re
from datetime import date
from decimal import Decimal

import mt940

from .entries import BankEntry, StatementError

logging.getLogger("mt940").setLevel(logging.CRITICAL)  # every pattern it could not match, with the pattern

_FIELD = re.compile(r":(?P<tag>[0-9]{2}[A-Z]?|NS[A-Z]?):")
_BALANCE = ("a balance", "C or D, date YYMMDD, currency, amount like 1000,00")
_WRITTEN = {  # what a field is and how MT940 writes it, for the person reading the message
    "61": ("a transaction line", "value date YYMMDD, entry date MMDD if any, C or D, amount like 65,00, "
                                 "type like NTRF, reference"),
    "60": _BALANCE, "62": _BALANCE, "64": _BALANCE, "65": _BALANCE,
    "28": ("a statement number", "like 00001/001"),
    "13": ("a date and time", "YYMMDDhhmm"),
}


def parse_mt940(data: bytes, name: str) -> list[BankEntry]:
    text = _decode(data)
    try:
        statement = _parsed(text)
    except Exception as exc:  # noqa: BLE001 - the package raises many kinds for a malformed file
        raise StatementError(f"{name}: {_which_field(text, exc)}") from None
    out = []
    for n, tx in enumerate(statement, start=1):
        d = tx.data
        status = str(d.get("status") or "")
        if status.startswith("R"):
            continue
        amount = d.get("amount")
        day = d.get("date")
        if amount is None or day is None:
            raise StatementError(f"{name}: transaction {n} has no amount or date")
        value = Decimal(str(amount.amount))
        counterparty = " ".join(str(d.get("applicant_name") or "").split())
        purpose = " ".join(str(p) for p in (d.get("purpose"), d.get("additional_purpose")) if p)
        remittance = purpose or str(d.get("transaction_details") or "")
        bank_ref = str(d.get("bank_reference") or "")
        if bank_ref.upper() == "NONREF":
            bank_ref = ""
        out.append(BankEntry(date(day.year, day.month, day.day), value, str(amount.currency or d.get("currency") or ""),
                             counterparty, " ".join(remittance.split()), bank_ref))
    return out


def _parsed(text: str):
    statement = mt940.models.Transactions()
    statement.parse(text)
    return statement


def _which_field(text: str, exc: Exception) -> str:
    """What is wrong, at the first field the package cannot read (it reads the fields in order)."""
    lines = text.split("\n")
    fields = [(i, m.group("tag")) for i, line in enumerate(lines) if (m := _FIELD.match(line))]
    low, high = 0, len(fields)  # the fields before `low` read; one up to `high` does not
    while low < high:
        mid = (low + high) // 2
        upto = fields[mid + 1][0] if mid + 1 < len(fields) else len(lines)
        try:
            _parsed("\n".join(lines[:upto]))
        except Exception:  # noqa: BLE001 - as above
            high = mid
        else:
            low = mid + 1
    if low >= len(fields):
        return "not a readable MT940 statement"
    at, tag = fields[low]
    transaction = sum(1 for _, t in fields[:low + 1] if t == "61")
    where = f"line {at + 1}" + (f", transaction {transaction}" if transaction and tag in ("61", "86") else "")
    shown = " ".join(lines[at].split())
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    if isinstance(exc, ArithmeticError):  # decimal.InvalidOperation
        why = "; its amount is not a number like 65,00"
    elif isinstance(exc, ValueError) and str(exc):
        why = f"; {exc}"  # a date that does not exist: "month must be in 1..12"
    else:
        why = ""
    if tag[:2] in _WRITTEN:
        what, how = _WRITTEN[tag[:2]]
        return f"{where}: '{shown}' is not {what} as MT940 writes it ({how}){why}"
    return f"{where}: '{shown}' cannot be read as MT940{why}"


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
