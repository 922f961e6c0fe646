"""One pay link per invoice with a balance, for exactly its open amount.

State (`_sheetbill`): `paylink/<invoice>` = `<cents> <link id> <url>`. The
link is made with an idempotency key derived from the invoice, the amount and
the link it replaces, so a run that dies after making it and before writing
it down gets the same link again. When the open amount changes the old link
is switched off and a new one made; when nothing is open any more, the link
is switched off and the Pay Link cell emptied.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..core.model import Invoice
from ..core.plan import CellWrite
from .card_gateway import CardError, CardGateway
from .card_money import to_minor
from .open_amount import open_amount

PREFIX = "paylink/"


@dataclass
class LinkRun:
    writes: list[CellWrite] = field(default_factory=list)  # Pay Link cells
    state: dict[str, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)  # invoice -> the link now valid
    errors: list[str] = field(default_factory=list)


def link_key(invoice_no: str, cents: int, replaces: str) -> str:
    digest = hashlib.sha256(f"{invoice_no}\n{cents}\n{replaces}".encode()).hexdigest()[:24]
    return f"sheetbill-link-{digest}"


def pay_links(gateway: CardGateway, invoices: Sequence[Invoice], state: Mapping[str, str], currency: str,
              minor_unit: Decimal, shown: Mapping[str, str] | None, credit_note: Callable[[str], bool]) -> LinkRun:
    """`shown`: the Pay Link cells by invoice (None: Invoices has no such column)."""
    run = LinkRun()
    for inv in invoices:
        if not inv.invoice_no or credit_note(inv.invoice_no):
            continue
        cents = to_minor(open_amount(inv), minor_unit)
        old = state.get(PREFIX + inv.invoice_no, "").split(" ")
        old_cents, old_id, old_url = (old + ["", "", ""])[:3]
        try:
            if cents > 0 and old_cents != str(cents):
                if old_id:
                    gateway.deactivate_link(old_id)
                link = gateway.create_link(cents, currency, f"Invoice {inv.invoice_no}",
                                           {"invoice_no": inv.invoice_no, "client_id": inv.client_id},
                                           link_key(inv.invoice_no, cents, old_id))
                run.state[PREFIX + inv.invoice_no] = f"{cents} {link.link_id} {link.url}"
                url = link.url
            elif cents <= 0 and old_url:
                gateway.deactivate_link(old_id)
                run.state[PREFIX + inv.invoice_no] = f"0 {old_id} "
                url = ""
            else:
                url = old_url if cents > 0 else ""
        except CardError as exc:
            run.errors.append(f"{inv.invoice_no}: pay link not made: {exc}")
            break  # the service is down or refusing: try again next cycle
        if url:
            run.urls[inv.invoice_no] = url
        if shown is not None and shown.get(inv.invoice_no, "") != url and inv.row:
            run.writes.append(CellWrite("invoices", inv.row, inv.invoice_no, "pay_link",
                                        shown.get(inv.invoice_no, ""), url))
    return run


def known_urls(state: Mapping[str, str]) -> dict[str, str]:
    """The valid link of every invoice that has one, from the state."""
    out = {}
    for key, value in state.items():
        if key.startswith(PREFIX):
            parts = value.split(" ")
            if len(parts) >= 3 and parts[0] != "0" and parts[2]:
                out[key[len(PREFIX):]] = parts[2]
    return out
