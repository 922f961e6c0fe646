"""AutoPay: clients with `AutoPay` = Yes and a saved card (`Stripe Customer`)
are charged their full open balance once a day, from the configured hour.

One PaymentIntent per client and day: its idempotency key is the client and
the day, and `autopay/<client>/<day>` in `_sheetbill` records the outcome in
the same write as the Payments row. A run that dies after the charge and
before that write asks again with the same key and gets the same
PaymentIntent (and the event import, which runs first, finds it too). Never
charged: drafts (no open amount), clients whose card payment is disputed
(a dispute row still showing its dispute Problem, core.payments.DISPUTED).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..book.cells import text
from ..book.table import Table
from ..core.model import Invoice, PaymentMethod
from ..core.number import ZERO
from ..core.payments import DISPUTED
from ..core.plan import CellWrite, RowAppend
from .card_gateway import CardError, CardGateway
from .card_money import from_minor, to_minor
from .open_amount import open_amount

PREFIX = "autopay/"
YES = {"yes", "y", "true", "1", "ja", "x"}


CODE = "code:"  # before the decline code in `autopay/<client>/<day>` (values of older runs have none)


@dataclass(frozen=True)
class Declined:
    client_id: str
    row: int
    amount: Decimal
    message: str  # the card service's words (for the admin)
    intent: str
    code: str = ""  # its decline code (the client reads a sentence for it: decline_reasons.py)


def declined_state(intent: str, cents: int, code: str, message: str) -> str:
    """`declined <intent> <cents> code:<code> <message>`: what a declined charge leaves in the state."""
    return f"declined {intent or '-'} {cents} {CODE}{code} {message}"


def read_declined(value: str) -> tuple[str, int, str, str]:
    """(intent, cents, code, message) of a `declined_state` value, or of an older one without a code."""
    _, intent, cents, rest = (value.split(" ", 3) + ["", "", ""])[:4]
    code = ""
    if rest.startswith(CODE):
        code, _, rest = rest[len(CODE):].partition(" ")
    return intent, int(cents or 0), code, rest


@dataclass
class AutoPayRun:
    appends: list[RowAppend] = field(default_factory=list)
    state: dict[str, str] = field(default_factory=dict)
    declined: list[Declined] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    writes: list[CellWrite] = field(default_factory=list)  # none: AutoPay only adds Payments rows


def autopay_key(client_id: str, day: date) -> str:
    return f"sheetbill-autopay-{client_id}-{day.isoformat()}"


def disputed_clients(payments: Table | None) -> set[str]:
    if payments is None or not payments.exists or "problem" not in payments.columns:
        return set()
    return {text(payments.get(v, "client")) for _, v in payments.rows
            if text(payments.get(v, "problem")).startswith(DISPUTED)}


def autopay(gateway: CardGateway, tables: Mapping[str, Table], invoices: Callable[[], Sequence[Invoice]], state: Mapping[str, str],
            today: date, currency: str, minor_unit: Decimal) -> AutoPayRun:
    run = AutoPayRun()
    clients = tables.get("clients")
    if clients is None or "autopay" not in clients.columns or "stripe_customer" not in clients.columns:
        return run
    disputed = disputed_clients(tables.get("payments"))
    planned: list[Sequence[Invoice]] = []
    for row, values in clients.rows:
        client_id = text(clients.get(values, "client_id"))
        customer = text(clients.get(values, "stripe_customer"))
        if not client_id or not customer or text(clients.get(values, "autopay")).lower() not in YES:
            continue
        done = f"{PREFIX}{client_id}/{today.isoformat()}"
        if done in state or client_id in disputed:
            continue
        if not planned:
            planned.append(invoices())
        owed = sum((open_amount(i) for i in planned[0] if i.client_id == client_id), ZERO)
        cents = to_minor(owed, minor_unit)
        if cents <= 0:
            continue
        try:
            card = gateway.saved_card(customer)
            if card is None:
                continue  # no card saved yet: nothing to charge
            charge = gateway.charge(customer, card, cents, currency, {"client_id": client_id,
                                                                      "autopay": today.isoformat()},
                                    autopay_key(client_id, today))
        except CardError as exc:
            run.errors.append(f"AutoPay of {client_id}: not charged: {exc}")
            continue
        if charge.succeeded:
            run.state[done] = f"paid {charge.intent}"
            run.appends.append(RowAppend("payments", charge.intent, {
                "date": today, "client": client_id, "invoice_no": "", "amount": from_minor(charge.amount, minor_unit),
                "method": PaymentMethod.CARD.value, "reference": charge.intent}))
        else:
            run.state[done] = declined_state(charge.intent, cents, charge.code, charge.message)
            run.declined.append(Declined(client_id, row, owed, charge.message, charge.intent, charge.code))
    return run
