"""Bank debits that are refunds to a client, instead of being left alone.

A debit to a client (the counterparty is the client's name, or the text
names the Client ID) is a refund when
- a negative Payments row of that client asks for exactly that amount and no
  debit was matched to it yet: the Bank row points to that payment (nothing
  is added, the refund is already there);
- else the client holds at least that much credit: a negative Payments row
  (Method Bank transfer, Reference the bank's) is added, and the cycle
  applies it as a refund of the credit.
Any other debit (rent, fees, a debit naming nobody) is still left alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..book.cells import number, text
from ..book.table import Table
from ..core.model import Client, PaymentMethod
from ..core.plan import RowAppend
from .entries import BankEntry
from .matching import names_client


@dataclass(frozen=True)
class Refund:
    entry: BankEntry
    client_id: str
    payment_id: str = ""  # the existing refund row it pays out; "" when a row is added

    @property
    def matched_to(self) -> str:
        return self.payment_id or self.client_id


def refund_debits(debits: Sequence[BankEntry], tables: Mapping[str, Table],
                  clients: Sequence[Client]) -> list[Refund]:
    waiting = _refund_rows(tables)
    out = []
    for entry in debits:
        client = _client_of(entry, clients)
        if client is None:
            continue
        row = next((pid for pid, (cid, amount) in waiting.items()
                    if cid in (client.client_id, client.name) and amount == entry.amount), None)
        if row is not None:
            del waiting[row]
            out.append(Refund(entry, client.client_id, row))
        elif client.credit is not None and client.credit >= -entry.amount:
            out.append(Refund(entry, client.client_id))
    return out


def refund_payment(refund: Refund) -> RowAppend | None:
    """The Payments row a refund out of credit adds (None: it pays out an existing row)."""
    if refund.payment_id:
        return None
    e = refund.entry
    return RowAppend("payments", e.key, {"date": e.date, "client": refund.client_id, "invoice_no": "",
                                         "amount": e.amount, "method": PaymentMethod.BANK_TRANSFER.value,
                                         "reference": e.key})


def _client_of(entry: BankEntry, clients: Sequence[Client]) -> Client | None:
    found = [c for c in clients if c.client_id and (names_client(c.name, entry.counterparty)
                                                     or c.client_id.upper() in entry.text.upper().split())]
    return found[0] if len(found) == 1 else None


def _refund_rows(tables: Mapping[str, Table]) -> dict[str, tuple[str, Decimal]]:
    """Negative Payments rows not yet paid out through the bank: payment id -> (client, amount)."""
    payments, bank = tables.get("payments"), tables.get("bank")
    if payments is None or not payments.exists:
        return {}
    done = set()
    if bank is not None and bank.exists and "matched_to" in bank.columns:
        done = {text(bank.get(v, "matched_to")) for _, v in bank.rows}
    out: dict[str, tuple[str, Decimal]] = {}
    for _, v in payments.rows:
        pid = text(payments.get(v, "payment_id"))
        try:
            amount = number(payments.get(v, "amount"), "Amount")
        except ValueError:
            continue
        if pid and pid not in done and amount is not None and amount < 0 and not text(payments.get(v, "reference")):
            out[pid] = (text(payments.get(v, "client")), amount)
    return out
