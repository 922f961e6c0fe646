"""The worker's own health: how its cycles ended, and when to tell the practice.

Pure: the cycles come in as a list (newest last), oldest first; the alert
state is what was last sent ("down" or "up", and its id). After
`threshold` failed cycles in a row the practice is told once; once again
when a cycle succeeds after that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

OK, ERRORS, FAILED = "ok", "errors", "failed"
WAITING = "waiting"  # the workbook open in Excel: a person works in it, neither a failure nor a success
DOWN, UP = "down", "up"
SENDING = "sending"


class Standing(NamedTuple):
    """The worker's health as the Dashboard shows it."""

    last_failure: str = ""  # the last failed cycle, "when: why", or ""
    failures: int = 0  # failed cycles in a row before now
    config_problem: str = ""  # what is wrong with the config file `watch` goes on without, or ""


@dataclass(frozen=True)
class CycleRecord:
    at: str  # UTC stamp, e.g. 2026-11-29T22:00:01Z
    outcome: str  # OK, ERRORS (finished, some items failed), FAILED (stopped) or WAITING (workbook open)
    summary: str  # the report's line, or the failure's message
    seconds: float = 0.0

    def line(self) -> str:
        return f"{self.at}  {self.outcome:<6}  {self.summary}"


@dataclass(frozen=True)
class Alert:
    kind: str  # DOWN or UP
    key: str  # the failure streak it is about: the stamp of its first failed cycle
    failures: int  # failed cycles in a row (DOWN), or that there were (UP)
    last_error: str


def while_open(open_for: timedelta, grace: timedelta) -> str:
    """A cycle that found the workbook open in Excel: waiting, until it has been open longer than `grace`."""
    return FAILED if open_for >= grace else WAITING


def counted(cycles: Sequence[CycleRecord]) -> list[CycleRecord]:
    """The cycles that say whether the worker works: those that waited for the workbook say nothing."""
    return [c for c in cycles if c.outcome != WAITING]


def failures_in_a_row(cycles: Sequence[CycleRecord]) -> int:
    n = 0
    for cycle in reversed(counted(cycles)):
        if cycle.outcome != FAILED:
            break
        n += 1
    return n


def last_failure(cycles: Sequence[CycleRecord]) -> CycleRecord | None:
    return next((c for c in reversed(cycles) if c.outcome == FAILED), None)


def alert_due(cycles: Sequence[CycleRecord], sent: str, threshold: int) -> Alert | None:
    """The alert to send now, if any. `sent`: the state of the last alert,
    "down <key>", "up <key>" (with " sending" while it goes) or "".
    `threshold` 0: never."""
    cycles = counted(cycles)
    if threshold <= 0 or not cycles:
        return None
    kind, key = parse_sent(sent)
    streak = failures_in_a_row(cycles)
    if streak >= threshold:
        first = cycles[-streak]
        if kind == DOWN and key == first.at and not sent.endswith(SENDING):
            return None  # told already (marked as being told: the send protocol finishes it)
        return Alert(DOWN, first.at, streak, cycles[-1].summary)
    if streak == 0 and (kind == DOWN or (kind == UP and sent.endswith(SENDING))):
        before = cycles[:-1]
        count = failures_in_a_row(before)
        last = last_failure(before)
        return Alert(UP, key, count, last.summary if last else "")
    return None


def parse_sent(sent: str) -> tuple[str, str]:
    """("down"|"up"|"", key) of a stored alert state."""
    parts = sent.split(" ", 1)
    if len(parts) < 2 or parts[0] not in (DOWN, UP):
        return "", ""
    return parts[0], parts[1].removesuffix(" " + SENDING)


def mark(alert: Alert) -> str:
    return f"{alert.kind} {alert.key} {SENDING}"


def record(alert: Alert) -> str:
    return f"{alert.kind} {alert.key}"


def interrupted(sent: str, alert: Alert) -> bool:
    """Marked by an earlier run for this very alert and not recorded as sent."""
    return sent == mark(alert)


def subject(alert: Alert, practice: str) -> str:
    if alert.kind == DOWN and alert.failures == 1:
        return f"sheetbill: a cycle failed for {practice}"
    if alert.kind == DOWN:
        return f"sheetbill: {alert.failures} cycles in a row failed for {practice}"
    return f"sheetbill: working again for {practice}"


def body(alert: Alert) -> str:
    if alert.kind == DOWN:
        failed = (f"sheetbill's last cycle failed, at {alert.key}" if alert.failures == 1 else
                  f"sheetbill's last {alert.failures} cycles failed; the first at {alert.key}")
        return (f"{failed}.\n\n"
                f"The last error:\n  {alert.last_error}\n\n"
                "No invoices are made or sent until this is fixed. On the server, "
                "`sheetbill status --config ...` lists the last cycles.\n"
                "You get one more email when a cycle succeeds again.\n")
    return (f"A cycle succeeded again after {alert.failures or 'several'} failed ones "
            f"(the first at {alert.key}).\n\nThe last error was:\n  {alert.last_error}\n")
