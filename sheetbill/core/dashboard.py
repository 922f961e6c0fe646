"""The Dashboard tab: the practice's numbers at a glance, one row per item.

Rows are fixed by position (row 2 on), so the chart made by `init` over the
revenue rows keeps pointing at the right cells. Every money figure says
whether it is gross (with tax: what clients owe) or net (without tax: revenue).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Callable, Iterable, Mapping, Sequence

from .cycle import CyclePlan
from .health import Standing
from .model import Invoice, InvoiceStatus, Session, SessionStatus
from .number import ZERO
from .plan import CellWrite

# days past the due date; together the overdue invoices (due before today), not those not yet due
AGING = (("1-30", 1, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("90+", 91, None))
OPEN = frozenset({InvoiceStatus.FINALIZED, InvoiceStatus.PARTIALLY_PAID})
COUNTED = frozenset({InvoiceStatus.FINALIZED, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID, InvoiceStatus.ARCHIVED,
                     InvoiceStatus.VOID})  # a void's credit note takes it back
MONTHS = 12
CHAIN_ITEM = "Changelog entries failing their hash check (0 expected; else run sheetbill audit)"
LAST_FAILURE_ITEM = "Last failed cycle (when: why)"
FAILURES_ITEM = "Cycles failed in a row before this update (the practice is emailed after a few)"
NOT_DUE_ITEM = "Open invoices not yet due (gross)"
CONFIG_ITEM = "Config file problem (sheetbill goes on with the config as it last read it)"
REVENUE_FIRST_ROW = 2 + 5 + len(AGING)  # the chart's first row (sheet row number)


def dashboard(invoices: Iterable[Invoice], sessions: Iterable[Session], unbilled: int, problems: int,
              today: date, updated_at: str, broken_chain: int = 0,
              health: Standing | tuple[str, int] = ("", 0)) -> list[tuple[str, object, object]]:
    """(Item, Value, Count) rows, in their fixed order (a new item goes last, so charts keep their rows).
    `health`: the worker's last failed cycle ("when: why", or ""), the failed cycles in a row before this
    one, and what is wrong with the config file, if anything."""
    health = Standing(*health)
    invoices = [i for i in invoices if not i.invoice_no.startswith("DRAFT-")]
    open_ = [i for i in invoices if i.status in OPEN and i.balance > 0]
    late = {i.invoice_no: (today - i.due_date).days for i in open_ if i.due_date and i.due_date < today}
    overdue = [i for i in open_ if i.invoice_no in late]
    rows: list[tuple[str, object, object]] = [
        ("Updated at", updated_at, None),
        ("Problems", None, problems),
        ("Unbilled completed sessions", None, unbilled),
        ("Open invoices (gross)", _sum(open_), len(open_)),
        ("Overdue invoices (gross)", _sum(overdue), len(overdue)),
    ]
    for label, low, high in AGING:
        due = [i for i in overdue if low <= late[i.invoice_no] and (high is None or late[i.invoice_no] <= high)]
        rows.append((f"Aging {label} days past due (gross)", _sum(due), len(due)))
    revenue: dict[str, Decimal] = defaultdict(lambda: ZERO)
    counts: dict[str, int] = defaultdict(int)
    for inv in invoices:
        if inv.status in COUNTED and inv.issue_date:
            key = f"{inv.issue_date.year:04d}-{inv.issue_date.month:02d}"
            revenue[key] += inv.net
            counts[key] += 1
    for month in _last_months(today, MONTHS):
        rows.append((f"Revenue {month} (net)", revenue[month], counts[month]))
    rows.append((CHAIN_ITEM, None, broken_chain))
    rows.append((LAST_FAILURE_ITEM, health.last_failure or None, None))
    rows.append((FAILURES_ITEM, None, health.failures))
    not_due = [i for i in open_ if i.invoice_no not in late]
    rows.append((NOT_DUE_ITEM, _sum(not_due), len(not_due)))
    rows.append((CONFIG_ITEM, health.config_problem or None, None))
    return rows


def after_cycle(cycle: CyclePlan, sessions: Sequence[Session], today: date, updated_at: str, problems: int,
                broken_chain: int = 0, health: Standing | tuple[str, int] = ("", 0)) -> list[tuple[str, object, object]]:
    """The Dashboard as a cycle leaves the ledger: its invoices and the sessions none of them bills.
    `problems`: the rows whose Problem cell the cycle leaves filled in (the plan's, and those it did not
    write, such as a bank entry's), the count `run` prints."""
    return dashboard(cycle.invoices, sessions, unbilled(cycle.invoices, sessions), problems, today,
                     updated_at, broken_chain, health)


def _sum(invoices: list[Invoice]) -> Decimal:
    return sum((i.balance for i in invoices), ZERO)


def _last_months(today: date, n: int) -> list[str]:
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def unbilled(invoices: Iterable[Invoice], sessions: Iterable[Session]) -> int:
    """Completed sessions on no live invoice."""
    billed = {sid for inv in invoices if inv.live for sid in inv.session_ids}
    return sum(1 for s in sessions if s.status is SessionStatus.COMPLETED and s.session_id not in billed)


def dashboard_writes(rows: Sequence[tuple[str, object, object]], current: Mapping[int, Mapping[str, object]],
                     text: Callable[[object], str]) -> list[CellWrite]:
    """The Dashboard cells that change: `rows` (from `dashboard`) against the tab's `current`
    values (sheet row -> field -> value; row 2 is the first item), compared as `text` shows them."""
    out = []
    for i, (item, value, count) in enumerate(rows):
        row = i + 2
        values = current.get(row, {})
        for fld, after in (("item", item), ("value", value), ("count", count)):
            before = values.get(fld)
            if text(before) != text(after):
                out.append(CellWrite("dashboard", row, item, fld, before, after))
    return out
