"""Rebuilding the worker's state from the Changelog, when the hidden
_sheetbill tab was deleted or cleared: the chain goes on from the last Hash,
and reminders and statements already sent are not sent again."""

from __future__ import annotations

from typing import Sequence

from .changelog import Change


def state_from_changelog(changes: Sequence[Change]) -> dict[str, str]:
    state: dict[str, str] = {}
    for c in changes:
        if c.action == "remind":
            state[f"reminder/{c.key}"] = c.after
        elif c.action == "statement":
            state[f"statement/{c.key}/{c.after}"] = c.at
    if changes:
        state["changelog_hash"] = changes[-1].hash
    return state
