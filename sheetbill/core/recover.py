"""Rebuilding the worker's state from the Changelog, when the hidden
_sheetbill tab was deleted or cleared: the chain goes on from the last Hash,
reminders, statements, superbills, invoice copies and AutoPay set-up emails already
sent are not sent again, and the workbook keeps the id its Message-IDs are
made from."""

from __future__ import annotations

from typing import Sequence

from .changelog import Change
from .identity import STATE_KEY, recorded_id
from .marks import AUTOPAY_SETUP, STATEMENT, SUPERBILL, copy_key_text, reminder_key


def state_from_changelog(changes: Sequence[Change]) -> dict[str, str]:
    state: dict[str, str] = {}
    for c in changes:
        if c.action == "remind":
            state[reminder_key(c.key)] = c.after
        elif c.action in (STATEMENT, SUPERBILL):
            state[f"{c.action}/{c.key}/{c.after}"] = c.at  # the Changelog's After is the period
        elif c.action == "invoice copy" and c.after.split():  # After: the status then the day
            state[copy_key_text(c.key, c.after.split()[-1])] = c.at
        elif c.action == AUTOPAY_SETUP:  # AutoPay's card set-up email (payments/autopay_setup.py)
            state[f"{AUTOPAY_SETUP}/{c.key}"] = c.at
    if recorded_id(changes):
        state[STATE_KEY] = recorded_id(changes)
    if changes:
        state["changelog_hash"] = changes[-1].hash
    return state
