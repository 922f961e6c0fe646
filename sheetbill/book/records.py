"""Tables -> core records. A cell that cannot be read becomes an error
sentence on its record; the record is still made, so nothing is lost.

A table is read a column at a time (`_Columns`): each column's cells go
through one comprehension whose common case (a `str`, `Decimal` or `date` as
the file holds it) needs no call, and only the odd cell through the general
parser in `cells`. Sentences are kept per row, in the order its columns are
read, which is the order of the record's fields."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
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


class _Columns:
    """One table's rows, read a column at a time; problems are collected per row
    (by position) instead of raised."""

    __slots__ = ("table", "rows", "numbers", "day_first", "errors")

    def __init__(self, table: Table, day_first: bool) -> None:
        self.table, self.day_first = table, day_first
        self.numbers = [row for row, _ in table.rows]
        self.rows = [values for _, values in table.rows]
        self.errors: dict[int, list[str]] = {}

    def raw(self, name: str) -> list[object]:
        idx = self.table.columns.get(name)
        if idx is None:
            return [None] * len(self.rows)
        return [values[idx] if idx < len(values) else None for values in self.rows]

    def errors_of(self, at: int) -> tuple[str, ...]:
        found = self.errors.get(at)
        return tuple(found) if found else ()

    def _slow(self, name: str, parse: Callable[[object, str], T], default: T) -> Callable[[int, object], T]:
        """The general parser for one column's odd cells: its value, or `default`
        and a sentence on the row."""
        header = self.table.headers[name]
        errors = self.errors

        def read(at: int, raw: object) -> T:
            if raw is None and default is not None and parse is not cells.flag:
                return default
            try:
                return parse(raw, header)
            except cells.CellProblem as exc:
                errors.setdefault(at, []).append(str(exc))
                return default
        return read

    def text(self, name: str) -> list[str]:
        slow = self._slow(name, cells.text, "")
        return [v.strip() if v.__class__ is str else "" if v is None else slow(at, v)
                for at, v in enumerate(self.raw(name))]

    def date(self, name: str) -> list[date | None]:
        day_first = self.day_first
        slow = self._slow(name, lambda v, h: cells.day(v, h, day_first), None)
        return [v if v.__class__ is date or v is None else slow(at, v) for at, v in enumerate(self.raw(name))]

    def number(self, name: str) -> list[Decimal | None]:
        slow = self._slow(name, cells.number, None)
        return [v if v.__class__ is Decimal and v.is_finite() or v is None else slow(at, v)
                for at, v in enumerate(self.raw(name))]

    def money(self, name: str) -> list[Decimal]:
        return [v or ZERO for v in self.number(name)]

    def rate(self, name: str) -> list[Decimal | None]:
        slow = self._slow(name, cells.rate, None)

        def read(at: int, raw: object) -> Decimal | None:
            if raw.__class__ is str:  # a handful of distinct texts (`19%`) on thousands of rows
                try:
                    return _rate_of_text(raw)
                except cells.CellProblem:
                    pass  # read again below, so the row gets the sentence
            return slow(at, raw)
        return [read(at, v) for at, v in enumerate(self.raw(name))]

    def parsed(self, name: str, parse: Callable[[object, str], T], default: T) -> list[T]:
        slow = self._slow(name, parse, default)
        return [slow(at, v) for at, v in enumerate(self.raw(name))]

    def terms(self, name: str) -> list[int | None]:
        return self.parsed(name, cells.terms, None)

    def flag(self, name: str) -> list[bool]:
        return self.parsed(name, cells.flag, True)

    def language(self, name: str) -> list[str]:
        return self.parsed(name, _language, "")


    def discount(self, name: str) -> list[cells.Discount | None]:
        slow = self._slow(name, cells.discount, None)
        return [None if v is None else slow(at, v) for at, v in enumerate(self.raw(name))]

    def extras(self, name: str) -> list[tuple[cells.Extra, ...]]:
        slow = self._slow(name, cells.extras, tuple[cells.Extra, ...]())
        return [() if v is None else slow(at, v) for at, v in enumerate(self.raw(name))]


@lru_cache(maxsize=256)
def _rate_of_text(raw: str) -> Decimal | None:
    return cells.rate(raw, "")


def _language(value: object, header: str) -> str:
    try:
        return parse_language(cells.text(value, header))
    except UnknownLanguage as exc:
        raise cells.CellProblem(f"{header}: {exc}") from None


def sessions(table: Table, day_first: bool = True) -> tuple[Session, ...]:
    c = _Columns(table, day_first)
    ids, days, clients_, services_ = c.text("session_id"), c.date("date"), c.text("client"), c.text("service")
    quantities, extras, discounts, providers = c.number("quantity"), c.extras("extras"), c.discount("discount"), c.text("provider")
    statuses, notes, numbers, billing, problems = (c.text("status"), c.text("notes"), c.text("invoice_no"),
                                                     c.text("billing_status"), c.text("problem"))
    session_status, billing_status = status.session_status, status.billing_status
    return tuple(
        Session(row=row, session_id=ids[at], date=days[at], client=clients_[at], service=services_[at],
                quantity=quantities[at], extras=extras[at], discount=discounts[at], provider=providers[at],
                status=session_status(statuses[at]), notes=notes[at], invoice_no=numbers[at],
                billing_status=(known := billing_status(billing[at])), problem=problems[at],
                errors=c.errors_of(at), status_text=statuses[at],
                unknown_billing_status="" if known else billing[at])
        for at, row in enumerate(c.numbers))


def clients(table: Table, day_first: bool = True) -> tuple[Client, ...]:
    c = _Columns(table, day_first)
    ids, names, emails, addresses = c.text("client_id"), c.text("name"), c.text("email"), c.text("address")
    discounts, terms, modes, tax_ids = c.discount("discount"), c.terms("terms_days"), c.text("invoice_mode"), c.text("tax_id")
    balances, credits, categories = c.number("balance"), c.number("credit"), c.text("vat_category")
    e_invoices, references, languages = c.text("e_invoice"), c.text("buyer_reference"), c.language("language")
    invoice_mode = status.invoice_mode
    return tuple(
        Client(row=row, client_id=ids[at], name=names[at], email=emails[at], address=addresses[at],
               discount=discounts[at], terms_days=terms[at], invoice_mode=(known := invoice_mode(modes[at])),
               tax_id=tax_ids[at], errors=c.errors_of(at), balance=balances[at], credit=credits[at],
               vat_category=categories[at], vat_id_problem=vat_id_problem(tax_ids[at]), e_invoice=e_invoices[at],
               buyer_reference=references[at], language=languages[at],
               unknown_invoice_mode="" if known else modes[at])
        for at, row in enumerate(c.numbers) if ids[at] or names[at])


def services(table: Table, day_first: bool = True) -> tuple[ServicePrice, ...]:
    c = _Columns(table, day_first)
    codes = c.text("code")
    keep = [at for at, code in enumerate(codes) if code]  # rows without a code are not read further
    c.rows, c.numbers, codes = [c.rows[at] for at in keep], [c.numbers[at] for at in keep], [codes[at] for at in keep]
    c.errors = {}  # a code that cannot be read is no code: its row was left out
    descriptions, prices, rates, units = c.text("description"), c.number("unit_price"), c.rate("tax_rate"), c.text("unit")
    valid, active, categories = c.date("valid_from"), c.flag("active"), c.text("vat_category")
    reasons, gross = c.text("exemption_reason"), c.text("prices")
    return tuple(
        ServicePrice(row=row, code=codes[at], description=descriptions[at], unit_price=prices[at], tax_rate=rates[at],
                     unit=units[at], valid_from=valid[at], active=active[at], errors=c.errors_of(at),
                     vat_category=categories[at], exemption_reason=reasons[at], prices=gross[at])
        for at, row in enumerate(c.numbers))


def lines(table: Table) -> tuple[Line, ...]:
    c = _Columns(table, day_first=False)
    numbers, ids, days, codes = c.text("invoice_no"), c.text("session_id"), c.date("date"), c.text("code")
    descriptions, quantities, prices = c.text("description"), c.number("quantity"), c.money("unit_price")
    discounts, rates, nets, taxes, totals = (c.money("discount"), c.rate("tax_rate"), c.money("net"), c.money("tax"),
                                             c.money("total"))
    categories, reasons, vatex, gross = c.text("vat_category"), c.text("exemption_reason"), c.text("vatex"), c.text("prices")
    return tuple(
        Line(invoice_no=numbers[at], session_id=ids[at], date=days[at], code=codes[at],
             description=descriptions[at], quantity=quantities[at] or ZERO, unit_price=prices[at],
             discount=discounts[at], tax_rate=rates[at] or ZERO, net=nets[at], tax=taxes[at], total=totals[at],
             row=row, vat_category=categories[at].upper(), exemption_reason=reasons[at], vatex=vatex[at],
             gross=gross[at].lower() == "gross")
        for at, row in enumerate(c.numbers) if numbers[at])


def invoices(table: Table, all_lines: tuple[Line, ...]) -> tuple[Invoice, ...]:
    by_invoice: dict[str, list[Line]] = {}
    for line in all_lines:
        by_invoice.setdefault(line.invoice_no, []).append(line)
    c = _Columns(table, day_first=False)
    numbers, issued, due = c.text("invoice_no"), c.date("issue_date"), c.date("due_date")
    client_ids, client_names, sessions_ = c.text("client_id"), c.text("client_name"), c.text("sessions")
    nets, taxes, totals, paid, balances = c.money("net"), c.money("tax"), c.money("total"), c.money("paid"), c.money("balance")
    statuses, pdfs, sent, message_ids, checksums = (c.text("status"), c.text("pdf"), c.text("sent_at"),
                                                    c.text("message_id"), c.text("checksum"))
    invoice_status = status.invoice_status
    return tuple(
        Invoice(invoice_no=number, issue_date=issued[at], due_date=due[at], client_id=client_ids[at],
                client_name=client_names[at], session_ids=_ids(sessions_[at]), net=nets[at], tax=taxes[at],
                total=totals[at], paid=paid[at], balance=balances[at],
                status=(known := invoice_status(statuses[at])), pdf=pdfs[at], sent_at=sent[at],
                message_id=message_ids[at], checksum=checksums[at], row=c.numbers[at],
                lines=tuple(by_invoice.get(number, ())), unknown_status="" if known else statuses[at])
        for at, number in enumerate(numbers) if number)


def _ids(text: str) -> tuple[str, ...]:
    """A Sessions cell (`S-1, S-2`) as its ids."""
    if "," not in text:
        return (text,) if text else ()
    return tuple(s.strip() for s in text.split(",") if s.strip())


def payments(table: Table, day_first: bool = True) -> tuple[Payment, ...]:
    c = _Columns(table, day_first)
    ids, days, clients_, numbers = c.text("payment_id"), c.date("date"), c.text("client"), c.text("invoice_no")
    amounts, methods, references = c.number("amount"), c.text("method"), c.text("reference")
    receipts, receipts_sent, problems, applied_texts = (c.text("receipt_no"), c.text("receipt_sent_at"),
                                                        c.text("problem"), c.text("applied_to"))
    out = []
    for at, row in enumerate(c.numbers):
        try:
            applied = parse_applied(applied_texts[at])
        except ValueError:
            c.errors.setdefault(at, []).append(
                f"Applied To '{applied_texts[at]}' cannot be read; restore it from the Changelog")
            applied = ()
        errors = c.errors_of(at)
        if ids[at] or amounts[at] is not None or clients_[at] or errors:
            out.append(Payment(
                row=row, payment_id=ids[at], date=days[at], client=clients_[at], invoice_no=numbers[at],
                amount=amounts[at], method=methods[at], reference=references[at], applied=applied,
                receipt_no=receipts[at], receipt_sent_at=receipts_sent[at], problem=problems[at], errors=errors))
    return tuple(out)


def cash(table: Table, day_first: bool = True) -> tuple[CashDay, ...]:
    c = _Columns(table, day_first)
    days, opening, counted, cash_in = c.date("date"), c.number("opening"), c.number("counted"), c.number("cash_in")
    cash_out, expected, variance, statuses = c.number("cash_out"), c.number("expected"), c.number("variance"), c.text("status")
    return tuple(
        CashDay(row=row, date=days[at], opening=opening[at], counted=counted[at], cash_in=cash_in[at],
                cash_out=cash_out[at], expected=expected[at], variance=variance[at], status=statuses[at],
                errors=c.errors_of(at))
        for at, row in enumerate(c.numbers) if days[at] or at in c.errors)


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
