"""The scheduled loop: a few lines around one `run_once()`."""

from __future__ import annotations

import logging
import time as _time
from typing import Callable

from .cycle_report import CycleReport
from .errors import SheetbillError

log = logging.getLogger("sheetbill")


def watch(run: Callable[[], CycleReport], every_minutes: float, daily_at=None,
          scheduler=None, stop: Callable[[], bool] = lambda: False, idle: Callable[[float], None] = _time.sleep) -> None:
    """Run `run` now and then on the schedule until `stop()` or Ctrl-C; a
    failing cycle is logged and the loop goes on."""
    import schedule

    sched = scheduler or schedule.Scheduler()

    def cycle() -> None:
        try:
            report = run()
            log.info(report.line())
            for note in report.for_a_person():
                log.warning(note)
            for warning in report.warnings:
                log.warning("warning: %s", warning)
            for error in report.errors:  # which PDF or email, and why: the next cycle tries it again
                log.error("%s", error)
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
