"""The workbook's own id: made once (random) when a workbook first runs,
kept in the worker's state and recorded in the Changelog, so it is rebuilt
the same when the _sheetbill tab is lost. Every Message-ID the workbook
sends is derived from it, so two workbooks sending from one address (a
trial one and the real one) never share a Message-ID."""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from .changelog import Change

STATE_KEY = "workbook_id"
ACTION = "workbook id"
FIELD = "Workbook ID"


def workbook_id(state: Mapping[str, str]) -> str:
    return state.get(STATE_KEY, "")


def identify(state: Mapping[str, str], new_id: Callable[[], str], at: str,
             actor: str, tab: str) -> tuple[dict[str, str], list[Change]]:
    """For a workbook without an id: the state entry and the Changelog entry
    that give it one (`new_id()`); nothing for a workbook that has one."""
    if workbook_id(state):
        return {}, []
    made = new_id()
    return {STATE_KEY: made}, [Change(at, actor, ACTION, tab, FIELD, FIELD, "", made)]


def recorded_id(changes: Sequence[Change]) -> str:
    """The id the Changelog last recorded ('' if none)."""
    for c in reversed(changes):
        if c.action == ACTION and c.field == FIELD and c.after:
            return c.after
    return ""
