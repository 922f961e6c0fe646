"""The scheduled loop: a few lines around one `run_once()`."""

from __future__ import annotations

import logging
import time as _time
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Callable

from .cycle_report import CycleReport
from .errors import SheetbillError, WorkbookOpen

log = logging.getLogger("sheetbill")


def log_report(report: CycleReport, problems: bool = False) -> None:
    """A cycle on the log: its line, then (with `problems`, the rows that got one) what a person should
    know, and each PDF or email it could not make and why (the next cycle tries it again)."""
    log.info(report.line())
    if problems:
        for p in report.problems:
            log.warning("problem: %s row %s (%s): %s", p.tab, p.row, p.key, p.message)
    for note in report.for_a_person():
        log.warning(note)
    for warning in report.warnings:
        log.warning("warning: %s", warning)
    for error in report.errors:
        log.error("%s", error)


def next_daily(at: time, zone: tzinfo, after: datetime) -> datetime:
    """The first moment after `after` at which the practice's clock (in `zone`) shows `at`; on the day
    summer time begins, a time the clock skips is the moment the clock jumps over it."""
    day = after.astimezone(zone).date()
    for offset in range(3):
        due = datetime.combine(day + timedelta(days=offset), at, tzinfo=zone).astimezone(UTC)
        if due > after.astimezone(UTC):
            return due
    raise AssertionError("a time of day comes round within two days")


def watch(run: Callable[[], CycleReport], every_minutes: float, daily_at: time | None = None,
          scheduler=None, stop: Callable[[], bool] = lambda: False, idle: Callable[[float], None] = _time.sleep,
          timezone: tzinfo = UTC, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
    """Run `run` now and then on the schedule until `stop()` or Ctrl-C; a
    failing cycle is logged and the loop goes on. `daily_at` is a time on the
    practice's clock (`timezone`), whatever the machine's."""
    import schedule

    sched = scheduler or schedule.Scheduler()

    def cycle() -> None:
        try:
            log_report(run())
        except WorkbookOpen as exc:  # a person works in it: no failure of the worker's
            log.warning("%s", exc)
        except SheetbillError as exc:
            log.error("cycle failed: %s", exc)

    sched.every(round(every_minutes * 60)).seconds.do(cycle)  # minutes may be fractional
    daily = next_daily(daily_at, timezone, now()) if daily_at is not None else None
    cycle()
    try:
        while not stop():
            sched.run_pending()
            if daily is not None and daily_at is not None and now() >= daily:
                daily = next_daily(daily_at, timezone, now())
                cycle()
            idle(min(max(sched.idle_seconds or 1, 0.1), 1.0))
    except KeyboardInterrupt:
        log.info("stopped")
