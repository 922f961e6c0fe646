"""A number typed as text reads as the practice meant it, or is a Problem naming both readings."""

from __future__ import annotations

from decimal import Decimal as M

import pytest

from sheetbill.book import cells


@pytest.mark.parametrize("typed, read", [
    ("12,50", M("12.50")), ("1.234,50", M("1234.50")), ("1,234.50", M("1234.50")), ("1,000", M("1000")),
    ("1.5", M("1.5")), ("1.50", M("1.50")), ("0.125", M("0.125")), ("1000", M("1000")), ("10.0050", M("10.0050")),
    (M("1.000"), M("1.000")),  # a number cell is a number: only text is ambiguous
])
def test_a_number_reads_as_typed(typed, read):
    assert cells.number(typed, "Amount") == read


@pytest.mark.parametrize("typed, says", [
    ("1.000", "Amount '1.000' could be 1000 or 1.00: write 1000 for that many, or 1,00 (or 1.00) with two decimals"),
    ("12.500", "could be 12500 or 12.50"),
    (" -1.000 ", "could be -1000 or -1.00"),
])
def test_a_thousand_written_the_german_way_is_not_taken_for_one(typed, says):
    with pytest.raises(cells.CellProblem, match=says.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        cells.number(typed, "Amount")
