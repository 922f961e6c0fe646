"""A bank's CSV export as statement entries, by the config's column mapping
(`payments.bank.csv`). A negative amount is a debit."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

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
    """The amount with the configured decimal mark; the other mark only between groups of three
    digits (1.234,50 or 1,234.50), so that 52.00 in a file read with "," is refused, not 5200."""
    cleaned = value.replace(" ", "").replace("\u00a0", "")
    point, group = (",", ".") if mapping.decimal == "," else (".", ",")
    if not re.fullmatch(rf"[-+]?([0-9]{{1,3}}(\{group}[0-9]{{3}})+|[0-9]+)(\{point}[0-9]+)?", cleaned):
        like = "1.234,56" if point == "," else "1,234.56"
        raise ValueError(f"amount '{value}' is not a number like {like} (payments.bank.csv.decimal is "
                         f"'{mapping.decimal}')")
    return Decimal(cleaned.replace(group, "").replace(point, "."))


def _day(value: str, day_first: bool) -> date:
    formats = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y") + (("%d/%m/%Y",) if day_first else ("%m/%d/%Y",))
    for fmt in formats:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date '{value}' is not a date")
