from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheetbill.core.number import D, fmt, money, percent


@pytest.mark.parametrize("text, expected", [
    ("12.50", "12.50"), ("1,234.50", "1234.50"), ("1.234,50", "1234.50"), ("12,50", "12.50"),
    ("€ 12.50", "12.50"), ("12.50 EUR", "12.50"), ("-5", "-5"), ("(5.00)", "-5.00"), ("1,234", "1234"),
    (" 7 ", "7"), (".5", ".5"),
])
def test_amounts_from_cell_text(text, expected):
    assert D(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "12.5.3", "1e5", "NaN", "--3", "12 apples"])
def test_bad_amounts_say_what_they_got(text):
    with pytest.raises(ValueError, match="not a number"):
        D(text)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        D(0.1)


@pytest.mark.parametrize("raw, expected", [("19%", 19), ("7.5 %", "7.5"), ("0", 0), (Decimal("0.19"), 19),
                                           ("19", 19), (Decimal("7"), 7)])
def test_percent(raw, expected):
    assert percent(raw) == Decimal(str(expected))


@pytest.mark.parametrize("value, expected", [("2.345", "2.35"), ("2.344", "2.34"), ("-2.345", "-2.35"),
                                             ("0.005", "0.01")])
def test_rounding_is_half_up(value, expected):
    assert money(Decimal(value)) == Decimal(expected)


@pytest.mark.parametrize("value, minor, expected", [
    ("-0.00", "0.01", "0.00"),  # a zero tax negated for a credit note
    ("-0", "0.01", "0.00"),
    ("-0.004", "0.01", "0.00"),  # rounds to zero
    ("-0.005", "0.01", "-0.01"),
    ("-0.4", "1", "0"),  # JPY
    ("-0.0004", "0.001", "0.000"),
    ("0.00", "0.01", "0.00"),
])
def test_zero_has_no_sign(value, minor, expected):
    assert str(money(Decimal(value), Decimal(minor))) == expected
    assert fmt(Decimal(value), Decimal(minor)) == expected


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_text_round_trip(amount):
    assert D(str(amount)) == amount
    assert D(f"{amount:,}") == amount


@given(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False))
def test_money_is_within_half_a_cent(value):
    rounded = money(value)
    assert abs(rounded - value) <= Decimal("0.005")
    assert rounded.as_tuple().exponent == -2
