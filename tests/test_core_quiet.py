"""core.quiet: when a cycle may be skipped."""

from __future__ import annotations

from datetime import date

import pytest

from sheetbill.core.quiet import quiet_key

DAY = date(2026, 11, 21)


@pytest.mark.parametrize("content, looks, expected", [
    ("sheet1=ab;sheet2=cd", False, "sheet1=ab;sheet2=cd|2026-11-21|cfg"),
    (None, False, None),  # no fingerprint (Google): every cycle reads
    ("sheet1=ab", True, None),  # card payments or a bank folder: look every cycle
])
def test_the_quiet_key(content, looks, expected):
    assert quiet_key(content, DAY, "cfg", looks) == expected


def test_a_new_day_or_config_is_no_longer_quiet():
    key = quiet_key("x", DAY, "cfg")
    assert quiet_key("x", date(2026, 11, 22), "cfg") != key
    assert quiet_key("x", DAY, "other") != key
    assert quiet_key("y", DAY, "cfg") != key
