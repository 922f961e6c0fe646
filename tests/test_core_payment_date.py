"""A payment's Date that is likely a typo of its year: a pure check, table-driven."""

from __future__ import annotations

from datetime import date

import pytest

from sheetbill.core.payment_date import FirstVisit, payment_date_problem

TODAY = date(2026, 11, 21)
FIRST = FirstVisit(date(2026, 11, 3), "session S-00001")
AHEAD = ("If it is right (paid that far ahead), raise limits.prepayment_days in the config and the next run "
         "goes on")


@pytest.mark.parametrize("day, first, limit, expected", [
    # on or after the first session, or ahead within the limit: a payment like any other
    (date(2026, 11, 20), FIRST, 90, ""),
    (date(2026, 11, 3), FIRST, 90, ""),
    (date(2026, 8, 5), FIRST, 90, ""),  # 90 days ahead: a deposit
    (date(2026, 11, 21), None, 90, ""),  # a new client's deposit, entered the day it came
    (date(2026, 9, 1), None, 90, ""),
    (date(2025, 11, 20), FIRST, None, ""),  # no limit in the config
    # the year typed one too low: the date it likely is, named
    (date(2025, 11, 20), FIRST, 90,
     "Date 2025-11-20 is 348 days before client C-001's first session S-00001 (2026-11-03): likely a typo; if it "
     f"is 2026-11-20, correct the year. {AHEAD}"),
    (date(2025, 11, 21), None, 90,
     "Date 2025-11-21 is 365 days ago, and client C-001 has no session or invoice yet: likely a typo; if it is "
     f"2026-11-21, correct the year. {AHEAD}"),
    (date(2026, 8, 4), FIRST, 90,  # 91 days ahead; a year on would be in the future: no date to name
     f"Date 2026-08-04 is 91 days before client C-001's first session S-00001 (2026-11-03): likely a typo; if it is "
     f"wrong, correct it. {AHEAD}"),
    (date(2024, 11, 20), FIRST, 90,  # two years early: a year on is still too early to name
     f"Date 2024-11-20 is 713 days before client C-001's first session S-00001 (2026-11-03): likely a typo; if it "
     f"is wrong, correct it. {AHEAD}"),
    # in the future: held whatever the limit, the year typed one too high named
    (date(2027, 11, 20), FIRST, 90,
     "Date 2027-11-20 is in the future (a typo for 2026-11-20?); enter the payment once it is received"),
    (date(2026, 11, 22), FIRST, None, "Date 2026-11-22 is in the future; enter the payment once it is received"),
    (date(2028, 2, 29), FIRST, None, "Date 2028-02-29 is in the future; enter the payment once it is received"),
])
def test_a_payment_date_that_is_likely_a_typo_is_held_naming_the_date_it_likely_is(day, first, limit, expected):
    assert payment_date_problem(day, TODAY, "C-001", first, limit) == expected
