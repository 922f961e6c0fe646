"""A card dispute decided: what becomes of its Payments row.

A dispute comes in as a negative row whose Problem waits for a person
(core.payments DISPUTED, card_events.py). When the service says how it ended:
- won (or an inquiry closed without a chargeback): the money stayed with the
  practice. The row's Problem becomes a note for the record
  (core.payments DISPUTE_WON): never applied, nothing taken off the client's
  account, not reported as a problem, and AutoPay charges the client again;
- lost: the money is gone: the client's bank reversed the card payment. The
  row's Problem becomes the words of a lost dispute (core.payments
  DISPUTE_LOST), and the run applies it as a chargeback (out of the client's
  credit; on a paid invoice its row says to void it, as a refund's does),
  which every document calls a card payment reversed by the bank, never a
  refund.
A row added in the same import gets its words at once; a row a person
already cleared or deleted is left as it is. A dispute won whose row was
already applied as money gone is named in the run's report, once: the money
came back, and a person enters it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from decimal import Decimal

from ..book.cells import text
from ..book.table import Table
from ..core.number import fmt
from ..core.payments import DISPUTE_LOST, DISPUTE_WON, DISPUTED, for_the_record
from ..core.plan import CellWrite, RowAppend
from .card_gateway import CardEvent
from .card_money import from_minor, local_day

DECIDED = ("dispute_won", "dispute_lost", "dispute_closed")


@dataclass(frozen=True)
class DisputeRow:
    row: int
    payment_id: str
    problem: str
    applied: str


def dispute_rows(payments: Table | None) -> dict[str, DisputeRow]:
    """Payments rows by Reference (a dispute's is its id)."""
    if payments is None or not payments.exists:
        return {}
    return {text(payments.get(v, "reference")): DisputeRow(row, text(payments.get(v, "payment_id")),
                                                           text(payments.get(v, "problem")),
                                                           text(payments.get(v, "applied_to")))
            for row, v in payments.rows if text(payments.get(v, "reference"))}


def won_note(ev: CardEvent, minor_unit: Decimal, tz: tzinfo) -> str:
    return (f"{DISPUTE_WON} on Stripe on {local_day(ev.created, tz).isoformat()}: the practice keeps the "
            f"{fmt(from_minor(ev.amount, minor_unit), minor_unit)} and nothing is taken off the client's account; "
            "this row stays for the record and is never applied")


def lost_note(ev: CardEvent, minor_unit: Decimal, tz: tzinfo) -> str:
    return (f"{DISPUTE_LOST} on Stripe on {local_day(ev.created, tz).isoformat()}: the client's bank reversed the "
            f"card payment of {fmt(from_minor(ev.amount, minor_unit), minor_unit)}; the run applies it as money "
            "taken back, out of the client's credit")


def decided(ev: CardEvent, rows: dict[str, DisputeRow], added: list[RowAppend], minor_unit: Decimal,
            tz: tzinfo) -> tuple[CellWrite | None, str]:
    """The Problem cell a decided dispute changes, or an error line for the run's report (both may be
    empty: nothing to do). A row in `added` (this import's rows) is replaced there by the row as decided."""
    if ev.kind == "dispute_closed":
        return None, f"{ev.reference}: the dispute was closed on Stripe as '{ev.status}'; left for a person"
    won = ev.kind == "dispute_won"
    at = next((i for i, a in enumerate(added) if a.key == ev.reference), None)
    if at is not None:
        values = {k: v for k, v in added[at].values.items() if k != "problem"}
        values["problem"] = won_note(ev, minor_unit, tz) if won else lost_note(ev, minor_unit, tz)
        added[at] = RowAppend(added[at].tab, added[at].key, values)
        return None, ""
    row = rows.get(ev.reference)
    if row is None or for_the_record(row.problem):
        return None, ""  # deleted by a person, or decided already
    if won and row.applied:
        return None, (f"{ev.reference}: the dispute was won on Stripe, but its row {row.payment_id} was applied "
                      f"as money gone ({row.applied}); the {fmt(from_minor(ev.amount, minor_unit), minor_unit)} "
                      "came back: enter it as a Card payment of the client")
    if won and not row.applied:
        return CellWrite("payments", row.row, row.payment_id, "problem", row.problem,
                         won_note(ev, minor_unit, tz)), ""
    if row.problem.startswith(DISPUTED):
        return CellWrite("payments", row.row, row.payment_id, "problem", row.problem, lost_note(ev, minor_unit, tz)), ""
    return None, ""  # lost, and a person cleared it already
