"""Tables -> core records. A cell that cannot be read becomes an error
sentence on its record; the record is still made, so nothing is lost."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Callable, TypeVar

from ..core.model import Client, Invoice, Ledger, Line, ServicePrice, Session
from ..core.number import ZERO
from . import cells
from .table import Table

T = TypeVar("T")


class _Reader:
    """Reads one row's cells, collecting problems instead of raising."""

    def __init__(self, table: Table, values: tuple[object, ...], day_first: bool) -> None:
        self.table, self.values, self.day_first = table, values, day_first
        self.errors: list[str] = []

    def _get(self, name: str, parse: Callable[[object, str], T], default: T) -> T:
        idx = self.table.columns.get(name)
        raw = self.values[idx] if idx is not None and idx < len(self.values) else None
        if raw is None and default is not None and parse is not cells.flag:
            return default
        try:
            return parse(raw, self.table.headers[name])
        except cells.CellProblem as exc:
            self.errors.append(str(exc))
            return default

    def text(self, name: str) -> str:
        return self._get(name, cells.text, "")

    def date(self, name: str):
        return self._get(name, lambda v, h: cells.day(v, h, self.day_first), None)

    def number(self, name: str) -> Decimal | None:
        return self._get(name, cells.number, None)

    def money(self, name: str) -> Decimal:
        return self._get(name, cells.number, None) or ZERO

    def rate(self, name: str) -> Decimal | None:
        return self._get(name, cells.rate, None)

    def whole(self, name: str) -> int | None:
        return self._get(name, cells.whole, None)

    def flag(self, name: str) -> bool:
        return self._get(name, cells.flag, True)

    def discount(self, name: str):
        return self._get(name, cells.discount, None)

    def extras(self, name: str):
        return self._get(name, cells.extras, ())


def sessions(table: Table, day_first: bool = True) -> tuple[Session, ...]:
    out = []
    for row, values in table.rows:
        r = _Reader(table, values, day_first)
        out.append(Session(
            row=row, session_id=r.text("session_id"), date=r.date("date"), client=r.text("client"),
            service=r.text("service"), quantity=r.number("quantity"), extras=r.extras("extras"),
            discount=r.discount("discount"), provider=r.text("provider"), status=r.text("status"),
            notes=r.text("notes"), invoice_no=r.text("invoice_no"),
            billing_status=r.text("billing_status"), problem=r.text("problem"),
            errors=tuple(r.errors)))
    return tuple(out)


def clients(table: Table, day_first: bool = True) -> tuple[Client, ...]:
    out = []
    for row, values in table.rows:
        r = _Reader(table, values, day_first)
        client = Client(
            row=row, client_id=r.text("client_id"), name=r.text("name"), email=r.text("email"),
            address=r.text("address"), discount=r.discount("discount"), terms_days=r.whole("terms_days"),
            invoice_mode=r.text("invoice_mode"), tax_id=r.text("tax_id"), errors=())
        if client.client_id or client.name:
            out.append(replace(client, errors=tuple(r.errors)))
    return tuple(out)


def services(table: Table, day_first: bool = True) -> tuple[ServicePrice, ...]:
    out = []
    for row, values in table.rows:
        r = _Reader(table, values, day_first)
        code = r.text("code")
        if not code:
            continue
        out.append(ServicePrice(
            row=row, code=code, description=r.text("description"), unit_price=r.number("unit_price"),
            tax_rate=r.rate("tax_rate"), unit=r.text("unit"), valid_from=r.date("valid_from"),
            active=r.flag("active"), errors=tuple(r.errors)))
    return tuple(out)


def lines(table: Table) -> tuple[Line, ...]:
    out = []
    for row, values in table.rows:
        r = _Reader(table, values, day_first=False)
        invoice_no = r.text("invoice_no")
        if not invoice_no:
            continue
        out.append(Line(
            invoice_no=invoice_no, session_id=r.text("session_id"), date=r.date("date"),
            code=r.text("code"), description=r.text("description"),
            quantity=r.number("quantity") or ZERO, unit_price=r.money("unit_price"),
            discount=r.money("discount"), tax_rate=r.rate("tax_rate") or ZERO, net=r.money("net"),
            tax=r.money("tax"), total=r.money("total"), row=row))
    return tuple(out)


def invoices(table: Table, all_lines: tuple[Line, ...]) -> tuple[Invoice, ...]:
    by_invoice: dict[str, list[Line]] = {}
    for line in all_lines:
        by_invoice.setdefault(line.invoice_no, []).append(line)
    out = []
    for row, values in table.rows:
        r = _Reader(table, values, day_first=False)
        number = r.text("invoice_no")
        if not number:
            continue
        sessions_text = r.text("sessions")
        out.append(Invoice(
            invoice_no=number, issue_date=r.date("issue_date"), due_date=r.date("due_date"),
            client_id=r.text("client_id"), client_name=r.text("client_name"),
            session_ids=tuple(s.strip() for s in sessions_text.split(",") if s.strip()),
            net=r.money("net"), tax=r.money("tax"), total=r.money("total"), paid=r.money("paid"),
            balance=r.money("balance"), status=r.text("status"), pdf=r.text("pdf"),
            sent_at=r.text("sent_at"), message_id=r.text("message_id"), checksum=r.text("checksum"),
            row=row, lines=tuple(by_invoice.get(number, ()))))
    return tuple(out)


def ledger(tables: dict[str, Table], day_first: bool = True) -> Ledger:
    all_lines = lines(tables["lines"])
    return Ledger(
        sessions=sessions(tables["sessions"], day_first),
        clients=clients(tables["clients"], day_first),
        services=services(tables["services"], day_first),
        invoices=invoices(tables["invoices"], all_lines),
        lines=all_lines)
