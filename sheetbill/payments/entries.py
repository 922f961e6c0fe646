"""What a bank statement says: its entries, whatever the file's format.

`read_statement(path)` picks the parser by content: CAMT.053 (ISO 20022
XML) or MT940. Errors are `StatementError`, one sentence naming the file.

An entry's identity (`BankEntry.key`, the Bank tab's Reference) is the bank's
reference, else a digest of what the entry says. Two entries of one file with
the same identity are two payments (a client who paid the same invoice twice,
and a statement that gives no references): the second is `#2`, the third `#3`,
so that the same file read again, or a later export with the same entries in
the same order, gives the same identities, and the first keeps the one it has
always had.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..errors import SheetbillError


class StatementError(SheetbillError):
    """A statement file that cannot be read."""


@dataclass(frozen=True)
class BankEntry:
    """One booked transaction: a credit (amount > 0) or a debit (< 0)."""

    date: date
    amount: Decimal
    currency: str
    counterparty: str  # who paid (a credit) or was paid (a debit)
    text: str  # the remittance information, as the bank gives it
    bank_ref: str  # the bank's own reference of the entry or transaction; "" when it has none
    structured_ref: str = ""  # a creditor reference the payer gave in a structured field
    occurrence: int = 1  # the n-th entry of its file with the same identity: a payment made again
    old_ref: str = ""  # the identity earlier versions gave it, where it is another (a CAMT entry number alone)

    @property
    def key(self) -> str:
        """The entry's identity across files: the bank's reference, else a digest of what it says;
        `#n` added for the n-th entry of a file with that identity."""
        return self._identity if self.occurrence == 1 else f"{self._identity}#{self.occurrence}"

    @property
    def _identity(self) -> str:
        if self.bank_ref:
            return self.bank_ref
        said = "\n".join((self.date.isoformat(), str(self.amount), self.currency, self.counterparty, self.text,
                          self.structured_ref))
        return "sha:" + hashlib.sha256(said.encode()).hexdigest()[:16]


def read_statement(path: Path, csv=None, currency: str = "") -> list[BankEntry]:
    """The entries of a CAMT.053 or MT940 file, or of a CSV export read with `csv`
    (bank_settings.CsvMapping; `currency` where the CSV names none), in the file's order,
    those with the same identity numbered."""
    return _numbered(_entries(path, csv, currency))


def _numbered(entries: list[BankEntry]) -> list[BankEntry]:
    seen: Counter[str] = Counter()
    out = []
    for entry in entries:
        seen[entry.key] += 1
        out.append(entry if seen[entry.key] == 1 else replace(entry, occurrence=seen[entry.key]))
    return out


def _entries(path: Path, csv, currency: str) -> list[BankEntry]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise StatementError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    head = data.lstrip()[:200]
    if head.startswith((b"<", b"\xef\xbb\xbf<")):
        from .camt import parse_camt

        return parse_camt(data, Path(path).name)
    if b":20:" in data[:400] or b":25:" in data[:400]:
        from .mt940_file import parse_mt940

        return parse_mt940(data, Path(path).name)
    if Path(path).suffix.lower() == ".csv" or csv is not None:
        from .csv_statement import parse_csv

        return parse_csv(data, Path(path).name, csv, currency)
    raise StatementError(f"{Path(path).name}: neither a CAMT.053 (XML) nor an MT940 statement "
                         "(a CSV export: name it .csv and map its columns in payments.bank.csv)")


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
