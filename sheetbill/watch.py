"""The scheduled loop: a few lines around one `run_once()`."""

from __future__ import annotations

import logging
import time as _time
from typing import Callable

from .cycle_report import CycleReport
from .errors import SheetbillError

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


def watch(run: Callable[[], CycleReport], every_minutes: float, daily_at=None,
          scheduler=None, stop: Callable[[], bool] = lambda: False, idle: Callable[[float], None] = _time.sleep) -> None:
    """Run `run` now and then on the schedule until `stop()` or Ctrl-C; a
    failing cycle is logged and the loop goes on."""
    import schedule

    sched = scheduler or schedule.Scheduler()

    def cycle() -> None:
        try:
            log_report(run())
        except SheetbillError as exc:
            log.error("cycle failed: %s", exc)

    sched.every(round(every_minutes * 60)).seconds.do(cycle)  # minutes may be fractional
    if daily_at is not None:
        sched.every().day.at(daily_at.strftime("%H:%M")).do(cycle)
    cycle()
    try:
        while not stop():
            sched.run_pending()
            idle(min(max(sched.idle_seconds or 1, 0.1), 1.0))
    except KeyboardInterrupt:
        log.info("stopped")
