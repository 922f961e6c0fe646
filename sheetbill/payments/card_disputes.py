"""A card dispute decided: what becomes of its Payments row.

A dispute comes in as a negative row whose Problem waits for a person
(core.payments DISPUTED, card_events.py). When the service says how it ended:
- won (or an inquiry closed without a chargeback, warning_closed): the money
  stayed with the practice. The row's Problem becomes a note for the record
  (core.payments DISPUTE_WON): never applied, nothing taken off the client's
  account, not reported as a problem, and AutoPay charges the client again;
- prevented (stopped before it became a chargeback): the dispute took
  nothing; a refund made to stop it comes in as a refund row of its own. The
  row gets a note for the record as a won one does (DISPUTE_PREVENTED);
- lost: the money is gone: the client's bank reversed the card payment. The
  row's Problem becomes the words of a lost dispute (core.payments
  DISPUTE_LOST), and the run applies it as a chargeback (out of the client's
  credit; on a paid invoice its row says to void it, as a refund's does),
  which every document calls a card payment reversed by the bank, never a
  refund.
- closed with a status sheetbill does not know: nothing is guessed. The row
  keeps waiting (and AutoPay with it), its Problem now saying what a person
  does (clear it if the money is gone, delete the row if it stayed), and the
  run's report names it once.
A row added in the same import gets its words at once; a row a person
already cleared or deleted is left as it is. A dispute won (or prevented)
whose row was already applied as money gone is named in the run's report,
once: the money came back, and a person enters it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from decimal import Decimal

from ..book.cells import text
from ..book.table import Table
from ..core.number import fmt
from ..core.payments import DISPUTE_LOST, DISPUTE_PREVENTED, DISPUTE_WON, DISPUTED, for_the_record
from ..core.plan import CellWrite, RowAppend
from .card_gateway import CardEvent
from .card_money import from_minor, local_day

DECIDED = ("dispute_won", "dispute_lost", "dispute_prevented", "dispute_closed")
KEPT = ("dispute_won", "dispute_prevented")  # the dispute took no money from the practice


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


def _amount(ev: CardEvent, minor_unit: Decimal) -> str:
    return fmt(from_minor(ev.amount, minor_unit), minor_unit)


def won_note(ev: CardEvent, minor_unit: Decimal, tz: tzinfo) -> str:
    inquiry = " (the bank's inquiry was closed without a chargeback)" if ev.status == "warning_closed" else ""
    return (f"{DISPUTE_WON} on Stripe on {local_day(ev.created, tz).isoformat()}{inquiry}: the practice keeps the "
            f"{_amount(ev, minor_unit)} and nothing is taken off the client's account; "
            "this row stays for the record and is never applied")


def prevented_note(ev: CardEvent, tz: tzinfo) -> str:
    return (f"{DISPUTE_PREVENTED} on Stripe on {local_day(ev.created, tz).isoformat()}: no chargeback was filed, so "
            "this row takes nothing off the client's account (a refund made to prevent it comes in as its own row); "
            "this row stays for the record and is never applied")


def lost_note(ev: CardEvent, minor_unit: Decimal, tz: tzinfo) -> str:
    return (f"{DISPUTE_LOST} on Stripe on {local_day(ev.created, tz).isoformat()}: the client's bank reversed the "
            f"card payment of {_amount(ev, minor_unit)}; the run applies it as money taken back, out of the client's "
            "credit")


def unknown_note(ev: CardEvent, minor_unit: Decimal, tz: tzinfo) -> str:
    """A status sheetbill does not know: still DISPUTED (the row waits, AutoPay too), and what to do."""
    return (f"{DISPUTED} on Stripe and closed there on {local_day(ev.created, tz).isoformat()} as '{ev.status}', "
            f"which sheetbill does not know: if the {_amount(ev, minor_unit)} is gone, clear this Problem (the row "
            "is then applied as money paid back); if the practice kept it, delete this row. AutoPay leaves this "
            "client alone until then")


def _note(ev: CardEvent, minor_unit: Decimal, tz: tzinfo) -> str:
    if ev.kind == "dispute_won":
        return won_note(ev, minor_unit, tz)
    if ev.kind == "dispute_prevented":
        return prevented_note(ev, tz)
    if ev.kind == "dispute_lost":
        return lost_note(ev, minor_unit, tz)
    return unknown_note(ev, minor_unit, tz)


def decided(ev: CardEvent, rows: dict[str, DisputeRow], added: list[RowAppend], minor_unit: Decimal,
            tz: tzinfo) -> tuple[CellWrite | None, str]:
    """The Problem cell a decided dispute changes, or an error line for the run's report (both may be
    empty: nothing to do). A row in `added` (this import's rows) is replaced there by the row as decided."""
    note = _note(ev, minor_unit, tz)
    error = "" if ev.kind != "dispute_closed" else (
        f"{ev.reference}: the dispute was closed on Stripe as '{ev.status}'; left for a person (its row says what "
        "to do)")
    at = next((i for i, a in enumerate(added) if a.key == ev.reference), None)
    if at is not None:
        values = {k: v for k, v in added[at].values.items() if k != "problem"}
        values["problem"] = note
        added[at] = RowAppend(added[at].tab, added[at].key, values)
        return None, error
    row = rows.get(ev.reference)
    if row is None or for_the_record(row.problem):
        return None, ""  # deleted by a person, or decided already
    kept = ev.kind in KEPT
    if kept and row.applied:
        how = "won" if ev.kind == "dispute_won" else "prevented"
        return None, (f"{ev.reference}: the dispute was {how} on Stripe, but its row {row.payment_id} was applied "
                      f"as money gone ({row.applied}); the {_amount(ev, minor_unit)} came back: enter it as a Card "
                      "payment of the client")
    if (kept and not row.applied) or (row.problem.startswith(DISPUTED) and not row.applied):
        return CellWrite("payments", row.row, row.payment_id, "problem", row.problem, note), error
    return None, ""  # lost, or closed otherwise, and a person cleared it already
