from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheetbill.core.numbering import NumberPattern, PatternError, Sequencer, gaps_and_duplicates

P = NumberPattern("INV-{year}-{seq:04}")


def test_format_and_parse():
    assert P.format(7, date(2026, 3, 1)) == "INV-2026-0007"
    assert P.parse("INV-2026-0007") == (2026, 7)
    assert P.parse("CN-2026-0007") is None
    assert NumberPattern("{client}/{seq}").format(12, date(2026, 1, 1), "C-001") == "C-001/12"


def test_sequence_continues_after_the_ledger_and_resets_each_year():
    seq = Sequencer(P, ["INV-2026-0001", "INV-2026-0002", "INV-2025-0041", "garbage"])
    assert seq.next(date(2026, 12, 31)) == "INV-2026-0003"
    assert seq.next(date(2027, 1, 1)) == "INV-2027-0001"
    assert seq.next(date(2026, 12, 31)) == "INV-2026-0004"


def test_without_year_the_series_never_resets():
    pattern = NumberPattern("R{seq:05}")
    seq = Sequencer(pattern, ["R00009"])
    assert seq.next(date(2030, 1, 1)) == "R00010"


@pytest.mark.parametrize("bad", ["INV-{year}", "INV-{seq}-{seq}", "INV-{yr}-{seq}"])
def test_bad_patterns_are_refused_with_a_reason(bad):
    with pytest.raises(PatternError):
        NumberPattern(bad)


@given(st.lists(st.integers(min_value=2024, max_value=2028), min_size=1, max_size=200))
def test_numbers_handed_out_form_gapless_series(years):
    seq = Sequencer(P, [])
    numbers = [seq.next(date(y, 6, 1)) for y in years]
    assert len(set(numbers)) == len(numbers)
    assert gaps_and_duplicates(P, numbers) == []


@given(st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=60, unique=True))
def test_resuming_from_any_ledger_never_reuses_a_number(existing):
    numbers = [P.format(n, date(2026, 1, 1)) for n in existing]
    nxt = Sequencer(P, numbers).next(date(2026, 5, 5))
    assert nxt not in numbers
    assert P.parse(nxt)[1] == max(existing) + 1


def test_audit_finds_gaps_and_duplicates():
    found = gaps_and_duplicates(P, ["INV-2026-0001", "INV-2026-0003", "INV-2026-0003"])
    assert any("used twice in 2026: 3" in f for f in found)
    assert any("missing in 2026: 2" in f for f in found)
