"""A Services row whose price no invoice can carry is a Problem, never an invoice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as M

import pytest

from sheetbill.core.model import ServicePrice
from sheetbill.core.pricing import PriceList, PricingProblem, service_problem


def _service(price: str, rate: str) -> ServicePrice:
    return ServicePrice(7, "SVC", "Service", M(price), M(rate), "session", None, True)


@pytest.mark.parametrize("price, rate, problem", [
    ("65.00", "19", ""),
    ("0", "0", ""),  # a free session
    ("10", "100", ""),
    ("-10", "0", "Services row 7 (SVC) has a negative Unit Price (-10)"),
    ("-0.01", "19", "negative Unit Price"),
    ("10", "190", "Services row 7 (SVC) has Tax Rate 190%: a rate lies between 0% and 100%"),
    ("10", "-7", "Tax Rate -7%"),
    ("10", "100.5", "Tax Rate 100.5%"),
])
def test_a_price_no_invoice_can_carry_is_named(price: str, rate: str, problem: str) -> None:
    found = service_problem(_service(price, rate))
    assert (problem in found) if problem else found == ""
    prices = PriceList([_service(price, rate)])
    if problem:
        with pytest.raises(PricingProblem, match="Services row 7"):
            prices.price("SVC", date(2026, 11, 30))
    else:
        assert prices.price("svc", date(2026, 11, 30)).unit_price == M(price)
