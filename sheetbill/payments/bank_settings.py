"""`payments.bank`: where statement files are dropped, and how a CSV statement reads.

    payments:
      bank:
        folder: bank-statements        # every cycle imports the new files in it (each once)
        csv:                           # the bank's CSV export: which column says what
          date: Buchungstag
          amount: Betrag
          counterparty: Name
          text: Verwendungszweck
          reference: Referenz          # optional: else a digest of what the row says
          currency: Währung            # optional: else the practice's
          delimiter: ";"
          decimal: ","                 # the decimal mark of the amounts
          day_first: true              # 03.11.2026 is the 3rd of November
          encoding: utf-8
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CSV_KEYS = ("date", "amount", "counterparty", "text", "reference", "currency", "delimiter", "decimal", "day_first",
            "encoding")


@dataclass(frozen=True)
class CsvMapping:
    date: str
    amount: str
    counterparty: str = ""
    text: str = ""
    reference: str = ""
    currency: str = ""
    delimiter: str = ","
    decimal: str = "."
    day_first: bool = True
    encoding: str = "utf-8-sig"


@dataclass(frozen=True)
class BankSettings:
    folder: Path | None = None
    csv: CsvMapping | None = None


def bank_settings(raw: Any, base: Path, fail: Callable[[str, str], Exception]) -> BankSettings:
    if raw is None:
        return BankSettings()
    if not isinstance(raw, Mapping):
        raise fail("payments.bank", "must be a section (folder, csv)")
    for key in raw:
        if key not in ("folder", "csv"):
            raise fail(f"payments.bank.{key}", "unknown key (known: folder, csv)")
    folder = str(raw.get("folder") or "").strip()
    csv = raw.get("csv")
    mapping = None
    if csv is not None:
        if not isinstance(csv, Mapping):
            raise fail("payments.bank.csv", "must name the columns (date, amount, counterparty, text...)")
        for key in csv:
            if key not in CSV_KEYS:
                raise fail(f"payments.bank.csv.{key}", f"unknown key (known: {', '.join(CSV_KEYS)})")
        for key in ("date", "amount"):
            if not str(csv.get(key) or "").strip():
                raise fail(f"payments.bank.csv.{key}", "name the column that holds it")
        if str(csv.get("decimal", ".")) not in (".", ","):
            raise fail("payments.bank.csv.decimal", "is . or ,")
        texts = {k: str(v) for k, v in csv.items() if v is not None and k != "day_first"}
        mapping = CsvMapping(date=texts.pop("date"), amount=texts.pop("amount"), **texts,
                             day_first=csv.get("day_first") is not False)
    return BankSettings((base / folder) if folder else None, mapping)
