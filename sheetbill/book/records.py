"""Tables -> core records. A cell that cannot be read becomes an error
sentence on its record; the record is still made, so nothing is lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache
from decimal import Decimal
from typing import Callable, TypeVar

from ..core.changelog import Change
from ..core.model import CashDay, Client, Invoice, Ledger, Line, Payment, ServicePrice, Session
from ..core.payments import parse_applied
from ..core import status
from ..core.number import ZERO
from ..language import UnknownLanguage, parse_language
from . import cells
from .table import Table
from .vat_id import vat_id_problem

T = TypeVar("T")


class _Reader:
    """Reads one row's cells, collecting problems instead of raising."""

    __slots__ = ("columns", "headers", "values", "width", "day_first", "errors")

    def __init__(self, table: Table, values: tuple[object, ...], day_first: bool) -> None:
        self.columns, self.headers = table.columns, table.headers
        self.values, self.width, self.day_first = values, len(values), day_first
        self.errors: list[str] = []

    def _raw(self, name: str) -> object:
        idx = self.columns.get(name)
        return self.values[idx] if idx is not None and idx < self.width else None

    def _get(self, name: str, parse: Callable[[object, str], T], default: T) -> T:
        raw = self._raw(name)
        if raw is None and default is not None and parse is not cells.flag:
            return default
        try:
            return parse(raw, self.headers[name])
        except cells.CellProblem as exc:
            self.errors.append(str(exc))
            return default

    def text(self, name: str) -> str:
        raw = self._raw(name)
        if raw.__class__ is str:
            return raw.strip()
        return "" if raw is None else self._get(name, cells.text, "")

    def date(self, name: str):
        raw = self._raw(name)
        if raw.__class__ is date:
            return raw
        return self._get(name, lambda v, h: cells.day(v, h, self.day_first), None)

    def number(self, name: str) -> Decimal | None:
        raw = self._raw(name)
        if raw.__class__ is Decimal and raw.is_finite():
            return raw
        return self._get(name, cells.number, None)

    def money(self, name: str) -> Decimal:
        return self.number(name) or ZERO

    def rate(self, name: str) -> Decimal | None:
        raw = self._raw(name)
        if raw.__class__ is str:  # a handful of distinct texts (`19%`) on thousands of rows
            try:
                return _rate_of_text(raw)
            except cells.CellProblem:
                pass  # read again below, so the row gets the sentence
        return self._get(name, cells.rate, None)

    def whole(self, name: str) -> int | None:
        return self._get(name, cells.whole, None)

    def flag(self, name: str) -> bool:
        return self._get(name, cells.flag, True)

    def language(self, name: str) -> str:
        return self._get(name, _language, "")

    def discount(self, name: str):
        return self._get(name, cells.discount, None)

    def extras(self, name: str) -> tuple[cells.Extra, ...]:
        return self._get(name, cells.extras, ())


@lru_cache(maxsize=256)
def _rate_of_text(raw: str) -> Decimal | None:
    return cells.rate(raw, "")


def _language(value: object, header: str) -> str:
    try:
        return parse_language(cells.text(value, header))
    except UnknownLanguage as exc:
        raise cells.CellProblem(f"{header}: {exc}") from None


def sessions(table: Table, day_first: bool = True) -> tuple[Session, ...]:
    out = []
    for row, values in table.rows:
        r = _Reader(table, values, day_first)
        out.append(Session(
            row=row, session_id=r.text("session_id"), date=r.date("date"), client=r.text("client"),
            service=r.text("service"), quantity=r.number("quantity"), extras=r.extras("extras"),
            discount=r.discount("discount"), provider=r.text("provider"),
            status=status.session_status(status_text := r.text("status")),
            notes=r.text("notes"), invoice_no=r.text("invoice_no"),
            billing_status=status.billing_status(billing := r.text("billing_status")), problem=r.text("problem"),
            errors=tuple(r.errors), status_text=status_text,
            unknown_billing_status="" if status.billing_status(billing) else billing))
    return tuple(out)


def clients(table: Table, day_first: bool = True) -> tuple[Client, ...]:
    out = []
    for row, values in table.rows:
        r = _Reader(table, values, day_first)
        client = Client(
            row=row, client_id=r.text("client_id"), name=r.text("name"), email=r.text("email"),
            address=r.text("address"), discount=r.discount("discount"), terms_days=r.whole("terms_days"),
            invoice_mode=status.invoice_mode(mode := r.text("invoice_mode")), tax_id=r.text("tax_id"), errors=(),
            balance=r.number("balance"), credit=r.number("credit"), vat_category=r.text("vat_category"),
            vat_id_problem=vat_id_problem(r.text("tax_id")),
            e_invoice=r.text("e_invoice"), buyer_reference=r.text("buyer_reference"),
            language=r.language("language"), unknown_invoice_mode="" if status.invoice_mode(mode) else mode)
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
            active=r.flag("active"), errors=tuple(r.errors), vat_category=r.text("vat_category"),
            exemption_reason=r.text("exemption_reason"), prices=r.text("prices")))
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
            tax=r.money("tax"), total=r.money("total"), row=row, vat_category=r.text("vat_category").upper(),
            exemption_reason=r.text("exemption_reason"), vatex=r.text("vatex"),
            gross=r.text("prices").lower() == "gross"))
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
            balance=r.money("balance"), status=status.invoice_status(status_text := r.text("status")),
            pdf=r.text("pdf"),
            sent_at=r.text("sent_at"), message_id=r.text("message_id"), checksum=r.text("checksum"),
            row=row, lines=tuple(by_invoice.get(number, ())),
            unknown_status="" if status.invoice_status(status_text) else status_text))
    return tuple(out)


def payments(table: Table, day_first: bool = True) -> tuple[Payment, ...]:
    out = []
    for row, values in table.rows:
        r = _Reader(table, values, day_first)
        payment = Payment(
            row=row, payment_id=r.text("payment_id"), date=r.date("date"), client=r.text("client"),
            invoice_no=r.text("invoice_no"), amount=r.number("amount"), method=r.text("method"),
            reference=r.text("reference"), applied=(), receipt_no=r.text("receipt_no"),
            receipt_sent_at=r.text("receipt_sent_at"), problem=r.text("problem"))
        applied_text = r.text("applied_to")
        try:
            applied = parse_applied(applied_text)
        except ValueError:
            r.errors.append(f"Applied To '{applied_text}' cannot be read; restore it from the Changelog")
            applied = ()
        if payment.payment_id or payment.amount is not None or payment.client or r.errors:
            out.append(replace(payment, applied=applied, errors=tuple(r.errors)))
    return tuple(out)


def cash(table: Table, day_first: bool = True) -> tuple[CashDay, ...]:
    out = []
    for row, values in table.rows:
        r = _Reader(table, values, day_first)
        day = CashDay(row=row, date=r.date("date"), opening=r.number("opening"), counted=r.number("counted"),
                      cash_in=r.number("cash_in"), cash_out=r.number("cash_out"), expected=r.number("expected"),
                      variance=r.number("variance"), status=r.text("status"))
        if day.date or r.errors:
            out.append(replace(day, errors=tuple(r.errors)))
    return tuple(out)


def changes(table: Table) -> tuple[Change, ...]:
    """The Changelog as written (cells as text), for checking its hash chain."""
    fields = ("at", "actor", "action", "tab", "key", "field", "before", "after", "hash")
    out = []
    for _, values in table.rows:
        texts = [cells.text(table.get(values, f)) if not isinstance(table.get(values, f), (cells.ErrorValue, cells.FormulaNoValue)) else "#ERROR"
                 for f in fields]
        if any(texts):
            out.append(Change(*texts))
    return tuple(out)


def ledger(tables: dict[str, Table], day_first: bool = True) -> Ledger:
    all_lines = lines(tables["lines"])
    return Ledger(
        sessions=sessions(tables["sessions"], day_first),
        clients=clients(tables["clients"], day_first),
        services=services(tables["services"], day_first),
        invoices=invoices(tables["invoices"], all_lines),
        lines=all_lines,
        payments=payments(tables["payments"], day_first) if "payments" in tables else (),
        cash=cash(tables["cash"], day_first) if "cash" in tables else ())
