"""MT940 (SWIFT customer statement) with the `mt-940` package.

German banks' structured :86: fields (?20..?29 purpose, ?32/?33 name) are
split by the package; other banks' :86: text is taken whole. Reversals
(RC/RD) are left out.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import mt940

from .entries import BankEntry, StatementError


def parse_mt940(data: bytes, name: str) -> list[BankEntry]:
    text = _decode(data)
    try:
        statement = mt940.models.Transactions()
        statement.parse(text)
    except Exception as exc:  # noqa: BLE001 - the package raises many kinds for a malformed file
        raise StatementError(f"{name}: not a readable MT940 statement: {exc}") from None
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


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
