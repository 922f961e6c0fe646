"""`cells.typed`: a snapshot's text back to the value its cell held, so that what
the worker restores is a number or a date again, never the text of one."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheetbill.book.cells import text, typed


@pytest.mark.parametrize("kind, written, value", [
    ("money", "73.21", Decimal("73.21")),
    ("money", "-12.5", Decimal("-12.5")),
    ("money", "66", Decimal("66")),
    ("decimal", "0.25", Decimal("0.25")),
    ("int", "14", 14),
    ("date", "2026-11-03", date(2026, 11, 3)),
    ("date", "2026-11-03 09:30", datetime(2026, 11, 3, 9, 30)),  # a date column holding a datetime
    ("datetime", "2026-11-03 09:30", datetime(2026, 11, 3, 9, 30)),
    ("bool", "TRUE", True),
    ("bool", "FALSE", False),
    # what does not read as the column's kind stays the text the cell held
    ("money", "", ""),
    ("money", "n/a", "n/a"),
    ("money", "1,5", "1,5"),
    ("money", "1e3", "1e3"),
    ("money", "#ERROR", "#ERROR"),
    ("int", "14.5", "14.5"),
    ("date", "03.11.2026", "03.11.2026"),
    ("date", "2026-02-30", "2026-02-30"),
    ("bool", "yes", "yes"),
    # text kinds keep their text, numbers and percent signs included
    ("text", "0042", "0042"),
    ("text", "2026-11-03", "2026-11-03"),
    ("percent", "19%", "19%"),
])
def test_typed(kind: str, written: str, value: object) -> None:
    got = typed(kind, written)
    assert got == value and type(got) is type(value)


values = st.one_of(
    st.tuples(st.just("money"), st.decimals(allow_nan=False, allow_infinity=False, places=2,
                                            min_value=-10**9, max_value=10**9)),
    st.tuples(st.just("decimal"), st.decimals(allow_nan=False, allow_infinity=False, places=4,
                                              min_value=-10**6, max_value=10**6)),
    st.tuples(st.just("int"), st.integers(-10**6, 10**6)),
    st.tuples(st.just("date"), st.dates(date(1900, 1, 1), date(9999, 12, 31))),
    st.tuples(st.just("datetime"), st.datetimes(datetime(1900, 1, 1)).map(lambda d: d.replace(second=0, microsecond=0))),
    st.tuples(st.just("bool"), st.booleans()),
)


@given(values)
def test_a_value_comes_back_from_its_text(pair: tuple[str, object]) -> None:
    kind, value = pair
    back = typed(kind, text(value))
    assert back == value and type(back) is type(value)
