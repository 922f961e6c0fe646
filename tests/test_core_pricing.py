"""A Services row whose price no invoice can carry is a Problem, never an invoice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as M

import pytest

from sheetbill.core.model import Discount, ServicePrice
from sheetbill.core.pricing import PriceList, PricingProblem, discounts, service_problem


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


@pytest.mark.parametrize("discount, grosses, cuts", [
    # an amount is shared by the lines in proportion to their amounts: an exempt
    # treatment and a 19 % extra each lose their share, so VAT is on what is paid
    (M("10.00"), ["65.00", "6.90"], ["9.04", "0.96"]),
    (M("71.90"), ["65.00", "6.90"], ["65.00", "6.90"]),  # all of it: each line to 0.00
    (M("0.01"), ["65.00", "6.90"], ["0.01", "0.00"]),  # the cent goes where the share lost most
    (M("0.03"), ["10.00", "10.00", "10.00"], ["0.01", "0.01", "0.01"]),
    (M("0.02"), ["10.00", "10.00", "10.00"], ["0.01", "0.01", "0.00"]),  # a tie: the first lines
    (M("5"), ["20.00"], ["5.00"]),
    (M("0"), ["0.00", "0.00"], ["0.00", "0.00"]),  # a free session without a discount
    (M("12.5"), ["50.00"], ["12.50"]),
])
def test_an_amount_discount_is_shared_in_proportion(discount: M, grosses: list[str], cuts: list[str]) -> None:
    got = discounts(Discount(amount=discount), [M(g) for g in grosses], M("0.01"))
    assert got == [M(c) for c in cuts]
    assert sum(got) == discount


@pytest.mark.parametrize("percent, grosses, cuts", [
    (M("10"), ["65.00", "6.90"], ["6.50", "0.69"]),
    (M("12.5"), ["0.05"], ["0.01"]),  # half a cent rounds up
    (M("100"), ["65.00", "6.90"], ["65.00", "6.90"]),
])
def test_a_percent_discount_takes_that_share_of_each_line(percent: M, grosses: list[str], cuts: list[str]) -> None:
    assert discounts(Discount(percent=percent), [M(g) for g in grosses], M("0.01")) == [M(c) for c in cuts]


@pytest.mark.parametrize("discount, problem", [
    (Discount(amount=M("71.91")), "Discount 71.91 is more than the session's 71.90"),
    (Discount(amount=M("-1")), "must not be negative"),
    (Discount(percent=M("101")), "between 0% and 100%"),
])
def test_a_discount_no_invoice_can_carry_is_refused(discount: Discount, problem: str) -> None:
    with pytest.raises(PricingProblem, match=problem):
        discounts(discount, [M("65.00"), M("6.90")], M("0.01"))
