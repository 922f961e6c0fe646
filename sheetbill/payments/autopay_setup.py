"""AutoPay's card set-up: a client with `AutoPay` = Yes and no `Stripe Customer`
gets, once, an email with a link to a page where they save a card (a Stripe
Checkout Session in setup mode, for a customer made for them). When the
service says the card is saved (the event import reads it), the customer goes
into the client's Stripe Customer cell and AutoPay charges from then on.

State (`_sheetbill`), per client:
- `autopay-card/<client>` = `<session id> <url>`: the page, written in the same
  write as the email's mark. The customer and the page are made with an
  idempotency key from the client, so a run that dies before that write gets
  the same page again, and an email only ever carries the page recorded.
- `autopay-setup/<client>`: the email's mark (`<time> sending <Message-ID>`),
  then the time it went. A mark a stopped run left is looked up in the
  transport (outbox, Gmail); over SMTP a person answers with
  `sheetbill resolve autopay-setup/<client> --sent` (or `--resend`).

Both are forgotten once the client has a Stripe Customer or AutoPay is no
longer Yes: the page lasts 24 hours, so a client who let it lapse gets a new
one when the admin sets AutoPay to No for one cycle and back to Yes (or
clears the Stripe Customer cell to replace a card).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..book.cells import text
from ..book.table import Table
from ..core.marks import AUTOPAY_SETUP
from ..core.plan import CellWrite, RowProblem
from .autopay import YES
from .card_gateway import CardEvent

PAGE = "autopay-card/"
MAIL = f"{AUTOPAY_SETUP}/"


@dataclass(frozen=True)
class Waiting:
    """A client AutoPay cannot charge yet: no card saved."""

    client_id: str
    row: int
    name: str
    email: str


@dataclass
class SetupRun:
    emails: list = field(default_factory=list)  # mail.Outgoing
    errors: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def setup_key(client_id: str, name: str, email: str) -> str:
    """From the client (and the details sent, so that corrected ones make a new customer)."""
    digest = hashlib.sha256(f"{client_id}\n{name}\n{email}".encode()).hexdigest()[:12]
    return f"sheetbill-autopay-setup-{client_id}-{digest}"


def _autopay_columns(clients: Table | None) -> bool:
    return clients is not None and clients.exists and {"autopay", "stripe_customer"} <= set(clients.columns)


def waiting(clients: Table | None) -> list[Waiting]:
    """Clients with AutoPay = Yes and no Stripe Customer."""
    if clients is None or not _autopay_columns(clients):
        return []
    out = []
    for row, v in clients.rows:
        cid = text(clients.get(v, "client_id"))
        if cid and text(clients.get(v, "autopay")).lower() in YES and not text(clients.get(v, "stripe_customer")):
            out.append(Waiting(cid, row, text(clients.get(v, "name")), text(clients.get(v, "email"))))
    return out


def forgotten(clients: Table | None, state: Mapping[str, str]) -> dict[str, str]:
    """The set-up records of clients no longer waiting (a card is saved, or AutoPay is off), cleared."""
    still = {w.client_id for w in waiting(clients)}
    return {key: "" for key, value in state.items()
            if value and key.startswith((PAGE, MAIL)) and key.split("/", 1)[1] not in still}


def saved_card(event: CardEvent, clients: Table | None) -> tuple[CellWrite | None, str]:
    """The Stripe Customer cell a finished set-up fills, or an error line (both may be empty:
    the cell already says so)."""
    cid = event.metadata.get("client_id", "")
    if not event.customer or not cid or clients is None or not _autopay_columns(clients):
        return None, ""
    for row, v in clients.rows:
        if text(clients.get(v, "client_id")) != cid:
            continue
        shown = text(clients.get(v, "stripe_customer"))
        if shown == event.customer:
            return None, ""
        if shown:
            return None, (f"{cid} saved a card on Stripe (customer {event.customer}) but Stripe Customer "
                          f"says {shown}; left as it is")
        return CellWrite("clients", row, cid, "stripe_customer", clients.get(v, "stripe_customer"),
                         event.customer), ""
    return None, f"{cid} saved a card on Stripe (customer {event.customer}) but is not in Clients any more"
