"""What sheetbill asks of a card payment service (Stripe: stripe_gateway.py).

Amounts are in the currency's minor units (cents); every call that creates
something carries an idempotency key, so that asking twice (a retry, a run
after a crash) gives back what the first call made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class CardError(Exception):
    """The service could not be reached or refused the call (not a decline)."""


@dataclass(frozen=True)
class PayLink:
    link_id: str
    url: str


@dataclass(frozen=True)
class CardEvent:
    """One thing that happened on the service's side, in sheetbill's terms.

    kind: "paid" (a payment succeeded), "refunded", "disputed", "dispute_won"
    (decided for the practice, or an inquiry closed: the money stays),
    "dispute_lost" (the money is gone), "dispute_prevented" (stopped before
    it became a chargeback: the dispute took nothing; a refund made to stop
    it is its own "refunded" event), "dispute_closed" (closed otherwise:
    `status` says how), or
    "card_saved" (a client finished AutoPay's card set-up: reference the
    Checkout Session, customer the customer the card was saved to, amount 0);
    amount in minor units, positive; reference: the PaymentIntent (paid),
    refund or dispute id; intent: the PaymentIntent it belongs to; status:
    a dispute's, as the service says it."""

    event_id: str
    created: int  # unix seconds
    kind: str
    reference: str
    intent: str
    amount: int
    currency: str
    metadata: dict[str, str] = field(default_factory=dict)
    customer: str = ""
    status: str = ""


@dataclass(frozen=True)
class CardSetup:
    """A page where a client saves a card for AutoPay (a Checkout Session in setup mode)."""

    session_id: str
    url: str
    customer: str


@dataclass(frozen=True)
class Charge:
    """The outcome of an off-session charge: succeeded, or declined (with the service's words, and its
    decline code: "insufficient_funds", "expired_card"... "" when it gave none)."""

    intent: str
    succeeded: bool
    amount: int
    created: int
    message: str = ""
    code: str = ""


class CardGateway(Protocol):
    def create_link(self, amount: int, currency: str, title: str, metadata: dict[str, str], key: str) -> PayLink: ...

    def deactivate_link(self, link_id: str) -> None: ...

    def events(self, since: int) -> list[CardEvent]:
        """Events created at or after `since`, oldest first."""

    def saved_card(self, customer: str) -> str | None:
        """The id of the customer's saved card, or None."""

    def charge(self, customer: str, card: str, amount: int, currency: str, metadata: dict[str, str],
               key: str) -> Charge: ...

    def create_setup(self, client_id: str, name: str, email: str, currency: str, return_url: str,
                     key: str) -> CardSetup:
        """A customer for the client and a page where they save a card to it (both under `key`)."""

    def fee(self, intent: str) -> int | None:
        """The service's fee on a payment, in minor units (None: not known yet)."""
