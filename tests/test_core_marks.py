"""core.marks: the keys of the worker's state and the marks of an email being sent."""

from __future__ import annotations

from datetime import date

import pytest

from sheetbill.core.marks import (OLD_RECEIPT_MARK, cell_is_sending, copy_key, marked_id, reminder_level,
                                  reminders_sent, sending_cell, sending_state, state_is_sending, statement_key,
                                  superbill_key)

MID = "<receipt.rcpt-2026-0001.3f2a9c1e5b7d@practice.example>"
OCT = (date(2026, 10, 1), date(2026, 10, 31))


@pytest.mark.parametrize("key, expected", [
    (statement_key("C-001", *OCT), "statement/C-001/2026-10-01..2026-10-31"),
    (superbill_key("C-001", *OCT), "superbill/C-001/2026-10-01..2026-10-31"),
    (copy_key("INV-2026-0001", date(2026, 11, 21)), "copy/INV-2026-0001/2026-11-21"),
])
def test_state_keys_keep_the_format_existing_workbooks_hold(key, expected):
    assert key == expected


@pytest.mark.parametrize("mark, sending, mid", [
    (sending_cell(MID), True, MID),
    (OLD_RECEIPT_MARK, True, ""),  # an older version's sentence is still read as a mark
    (f"sending {MID} (if this stays, check the Sent folder)", True, MID),  # and its later form
    ("2026-11-21T09:31:00Z", False, ""),
    ("not emailed: the client has no Email", False, ""),
])
def test_a_receipts_mark_is_read_in_every_form(mark, sending, mid):
    assert cell_is_sending(mark) is sending
    assert marked_id(mark) == mid


def test_a_receipts_mark_is_the_id_it_goes_out_with():
    assert sending_cell(MID) == f"sending {MID}"


@pytest.mark.parametrize("value, level", [("2", "2"), (sending_state("3", MID), "3"), ("1 sending", "1"), ("", "")])
def test_a_reminders_level(value, level):
    assert reminder_level(value) == level


@pytest.mark.parametrize("state, sent", [
    ({}, {}),
    ({"reminder/INV-1": "2"}, {"INV-1": 2}),
    ({"reminder/INV-1": sending_state("2", MID)}, {"INV-1": 1}),  # the second is going out: the first went
    ({"reminder/INV-1": "1 sending"}, {"INV-1": 0}),
    ({"reminder/INV-1": ""}, {}),  # resolved to be sent again from the start
    ({"statement/C-1/x": "T", "changelog_hash": "ab", "reminder/INV-2": "1"}, {"INV-2": 1}),
])
def test_reminders_sent_count_only_those_certainly_out(state, sent):
    assert reminders_sent(state) == sent


@pytest.mark.parametrize("value, sending", [(sending_state("T", MID), True), ("T", False), ("", False)])
def test_a_state_mark(value, sending):
    assert state_is_sending(value) is sending
