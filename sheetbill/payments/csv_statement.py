"""A bank's CSV export as statement entries, by the config's column mapping
(`payments.bank.csv`). A negative amount is a debit."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .bank_settings import CsvMapping
from .entries import BankEntry, StatementError


def parse_csv(data: bytes, name: str, mapping: CsvMapping | None, currency: str = "") -> list[BankEntry]:
    if mapping is None:
        raise StatementError(f"{name}: a CSV statement needs payments.bank.csv in the config (which column "
                             "holds the date, the amount, ...)")
    try:
        text = data.decode(mapping.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise StatementError(f"{name}: cannot read it as {mapping.encoding}: {exc}") from None
    rows = csv.DictReader(io.StringIO(text), delimiter=mapping.delimiter)
    headers = [h.strip() for h in rows.fieldnames or []]
    for key in ("date", "amount", "counterparty", "text", "reference", "currency"):
        column = getattr(mapping, key)
        if column and column not in headers:
            raise StatementError(f"{name}: no column '{column}' (payments.bank.csv.{key}); it has: "
                                 f"{', '.join(headers)}")
    out = []
    for n, raw in enumerate(rows, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue
        try:
            out.append(BankEntry(_day(row[mapping.date], mapping.day_first), _amount(row[mapping.amount], mapping),
                                 (row.get(mapping.currency) if mapping.currency else "") or currency,
                                 row.get(mapping.counterparty, "") if mapping.counterparty else "",
                                 " ".join((row.get(mapping.text, "") if mapping.text else "").split()),
                                 row.get(mapping.reference, "") if mapping.reference else ""))
        except ValueError as exc:
            raise StatementError(f"{name}: line {n}: {exc}") from None
    return out


def _amount(value: str, mapping: CsvMapping) -> Decimal:
    cleaned = value.replace(" ", "").replace("\u00a0", "")
    if mapping.decimal == ",":
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"amount '{value}' is not a number") from None
    if not amount.is_finite():
        raise ValueError(f"amount '{value}' is not a number")
    return amount


def _day(value: str, day_first: bool) -> date:
    formats = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y") + (("%d/%m/%Y",) if day_first else ("%m/%d/%Y",))
    for fmt in formats:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date '{value}' is not a date")
