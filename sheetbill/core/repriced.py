"""A price entered with a Valid From in the past, and the invoices it does not change.

Services rows form a price history (core.pricing): a session is priced by
the newest row valid on its date. A row added (or repriced) with a Valid
From in the past would price sessions already billed, but an issued invoice
is never changed. The admin is told, once, next to the change: how many
invoices issued for sessions of that period keep their old price, and how to
bill one at the new price if they meant to.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Callable, Iterable

from .changelog import Change
from .model import ISSUED, Invoice, ServicePrice
from .number import fmt


def price_notes(people: Iterable[Change], services_tab: str, services: Iterable[ServicePrice],
                invoices: Iterable[Invoice], is_credit_note: Callable[[str], bool], minor: Decimal) -> list[str]:
    """What to tell of the Services rows people added or edited since the last cycle (`people`: their
    edits, as the Changelog has them; `services_tab`: the tab's name there)."""
    keys = [c.key for c in people if c.tab == services_tab and c.action in ("insert", "edit")]
    if not keys:
        return []
    services = tuple(services)
    return kept_old_prices(changed_prices(keys, services), services, invoices, is_credit_note,
                           lambda value: fmt(value, minor))


def changed_prices(keys: Iterable[str], services: Iterable[ServicePrice]) -> list[ServicePrice]:
    """The Services rows a person added or edited, from their keys (`<Code> <Valid From>`)."""
    wanted = set()
    for key in keys:
        code, _, since = key.partition(" ")
        wanted.add((code.strip().upper(), since.strip()[:10]))
    return [s for s in services if s.code and s.valid_from is not None
            and (s.code.strip().upper(), s.valid_from.isoformat()) in wanted]


def kept_old_prices(changed: Iterable[ServicePrice], services: Iterable[ServicePrice], invoices: Iterable[Invoice],
                    is_credit_note: Callable[[str], bool], amount: Callable[[Decimal], str]) -> list[str]:
    """One sentence per changed row whose period holds issued invoices at another unit price."""
    services = tuple(services)
    issued = [i for i in invoices if i.status in ISSUED and not is_credit_note(i.invoice_no)]
    out = []
    for row in changed:
        assert row.valid_from is not None  # changed_prices keeps dated rows only
        if row.unit_price is None:
            continue
        code = row.code.strip().upper()
        until = min((s.valid_from for s in services if s.code.strip().upper() == code and s.valid_from is not None
                     and s.valid_from > row.valid_from), default=date.max)
        kept = [i.invoice_no for i in issued if any(
            line.code.strip().upper() == code and line.date is not None and row.valid_from <= line.date < until
            and line.unit_price != row.unit_price for line in i.lines)]
        if not kept:
            continue
        listed = ", ".join(kept[:5]) + (", ..." if len(kept) > 5 else "")
        out.append(f"Services row {row.row} ({row.code} at {amount(row.unit_price)} from {row.valid_from.isoformat()}): "
                   f"{len(kept)} invoice(s) already issued for sessions from {row.valid_from.isoformat()} keep "
                   f"their old price ({listed}), as an issued invoice is never changed. To bill one at the new "
                   "price, set its Status to Void: a credit note is issued and its sessions are billed again")
    return out
