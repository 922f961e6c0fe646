"""Pricing a session: the price list by date, extras, discounts.

Prices are net, or gross where the config or the service says so (then the
tax is taken out per invoice, see invoice.py); each line gets its VAT
treatment (core.vat). Every failure is returned as a one-line sentence for
the session's Problem column.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Iterable

from .model import Client, Discount, Line, ServicePrice, Session, SessionStatus
from .number import HUNDRED, ZERO, money, shares
from .vat import VatProblem, VatRules, treatment
from .record import record


class PricingProblem(Exception):
    """A session cannot be priced; str() is the Problem text."""


class PriceList:
    """Services rows by code; a code's rows with different Valid From are its history."""

    def __init__(self, services: Iterable[ServicePrice]) -> None:
        self._by_code: dict[str, list[ServicePrice]] = {}
        for service in services:
            if service.code:
                self._by_code.setdefault(service.code.upper(), []).append(service)
        for rows in self._by_code.values():
            rows.sort(key=lambda s: (s.valid_from or date.min, s.row))

    def price(self, code: str, on: date) -> ServicePrice:
        rows = self._by_code.get(code.strip().upper())
        if not rows:
            raise PricingProblem(f"Unknown service '{code}' (not in Services)")
        valid = [s for s in rows if (s.valid_from or date.min) <= on]
        if not valid:
            first = rows[0].valid_from
            raise PricingProblem(f"No price for {code} on {on.isoformat()} (first price valid from {first.isoformat() if first else '?'})")
        newest = valid[-1]
        same_day = [s for s in valid if s.valid_from == newest.valid_from]
        if len(same_day) > 1:
            rows_text = " and ".join(str(s.row) for s in same_day)
            raise PricingProblem(f"Two prices for {code} valid from {_day(newest.valid_from)} (Services rows {rows_text})")
        if newest.errors:
            raise PricingProblem(f"Services row {newest.row} ({code}): {newest.errors[0]}")
        if not newest.active:
            raise PricingProblem(f"Service {code} is not active (Services row {newest.row})")
        if newest.unit_price is None or newest.tax_rate is None:
            raise PricingProblem(f"Services row {newest.row} ({code}) has no Unit Price or Tax Rate")
        problem = service_problem(newest)
        if problem:
            raise PricingProblem(problem)
        return newest


def service_problem(service: ServicePrice) -> str:
    """What makes a Services row's price unusable on an invoice ("" if nothing): a negative
    Unit Price (money back is a credit note or a refund, not a service) or a Tax Rate
    outside 0% to 100% (a typo: 190% for 19%)."""
    where = f"Services row {service.row} ({service.code})"
    if service.unit_price is not None and service.unit_price < 0:
        return (f"{where} has a negative Unit Price ({service.unit_price}): money given back is a credit note "
                "(set the invoice's Status to Void) or a refund in Payments")
    if service.tax_rate is not None and not ZERO <= service.tax_rate <= HUNDRED:
        return f"{where} has Tax Rate {service.tax_rate.normalize():f}%: a rate lies between 0% and 100%"
    return ""


def _day(d: date | None) -> str:
    return d.isoformat() if d else "the start"


@record
class PricedItem:
    code: str
    quantity: Decimal


NO_VAT_RULES = VatRules()  # the defaults: a rate above 0 is standard, 0% exempt

def session_lines(session: Session, client: Client, prices: PriceList,
                  minor: Decimal, no_show_code: str | None = None,
                  vat: VatRules = NO_VAT_RULES) -> tuple[Line, ...]:
    """The session's lines (invoice number left empty), or PricingProblem."""
    assert session.date is not None
    if no_show_code and session.status is SessionStatus.NO_SHOW:
        items = [PricedItem(no_show_code, Decimal(1))]
    else:
        if not session.service:
            raise PricingProblem("No Service given")
        quantity = session.quantity if session.quantity is not None else Decimal(1)
        if quantity <= 0:
            raise PricingProblem(f"Quantity must be more than 0 (is {quantity})")
        items = [PricedItem(session.service, quantity)]
        items += [PricedItem(e.code, e.quantity) for e in session.extras]
    discount = session.discount if session.discount is not None else client.discount
    gross_lines = []
    for item in items:
        service = prices.price(item.code, session.date)
        assert service.unit_price is not None and service.tax_rate is not None  # price() refuses a row without them
        try:
            how = treatment(service, client, vat)
        except VatProblem as exc:
            raise PricingProblem(str(exc)) from None
        unit_price = service.unit_price
        if how.vat_removed:  # a gross price sold without VAT (e.g. reverse charge): its net price
            unit_price = money(unit_price * HUNDRED / (HUNDRED + how.vat_removed), minor)
        gross = money(item.quantity * unit_price, minor)
        gross_lines.append((item, service, how, unit_price, gross))
    try:
        cuts = discounts(discount, [g[-1] for g in gross_lines], minor)
    except PricingProblem as exc:
        if session.discount is None:  # the client's: the session's own cell is empty, so say whose it is
            raise PricingProblem(f"Client {client.client_id}'s {exc}") from None
        raise
    lines = []
    for (item, service, how, unit_price, gross), cut in zip(gross_lines, cuts):
        net = gross - cut  # for a gross price, the line's total until invoice.allocate_tax
        lines.append(Line(
            invoice_no="", session_id=session.session_id, date=session.date,
            code=service.code, description=service.description or service.code,
            quantity=item.quantity, unit_price=unit_price, discount=cut,
            tax_rate=how.rate, net=net, tax=ZERO, total=net, vat_category=how.category,
            exemption_reason=how.reason, vatex=how.vatex, gross=how.gross,
        ))
    return tuple(lines)


def discounts(discount: Discount | None, grosses: list[Decimal], minor: Decimal) -> list[Decimal]:
    """The amount taken off each line: a percent of each, or a fixed amount shared
    among the lines in proportion to their amounts, so that a session whose lines
    have different tax rates has each rate's revenue lowered by its share (as VAT law
    has it for a price reduction). Shares are in whole cents that add up to the
    amount; a cent left over by rounding goes to the line whose share lost most,
    the first such line on a tie."""
    if discount is None:
        return [ZERO] * len(grosses)
    if discount.percent is not None:
        if not ZERO <= discount.percent <= HUNDRED:
            raise PricingProblem(f"Discount {discount.percent.normalize():f}% must be between 0% and 100%")
        return [money(g * discount.percent / HUNDRED, minor) for g in grosses]
    amount = discount.amount or ZERO
    if amount < 0:
        raise PricingProblem(f"Discount {amount} must not be negative")
    total = sum(grosses, ZERO)
    if amount > total:
        raise PricingProblem(f"Discount {amount} is more than the session's {total}")
    amount = money(amount, minor)
    if not amount:
        return [ZERO] * len(grosses)
    return shares(amount, [amount * g / total for g in grosses], minor)
