"""Run one cycle in this process and die (os._exit, no cleanup) at a chosen point.

    python -m tests.crashrun CONFIG POINT [K]

POINT: `replace` (inside the commit, before the workbook is replaced),
`render` (after the commit, at the K-th PDF), `send` (before the K-th email
goes out), `sent` (right after the K-th email went out, before it is recorded).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sheetbill import app
from sheetbill import config as config_mod
from sheetbill.book import excel
from sheetbill.book.xlsx import segments

from .conftest import FixedClock

KILLED = 137


def killer(k: int):
    """`counting(func, before, only)`: func, but the process dies at its k-th call
    that `only` selects, before or right after the call."""
    calls = {"n": 0}

    def counting(func, before: bool, only=lambda *a, **kw: True):
        def wrapper(*args, **kwargs):
            if not only(*args, **kwargs):
                return func(*args, **kwargs)
            calls["n"] += 1
            if before and calls["n"] == k:
                os._exit(KILLED)
            result = func(*args, **kwargs)
            if not before and calls["n"] == k:
                os._exit(KILLED)
            return result
        return wrapper
    return counting


def run_killed(worker, point: str, counting, arm_other=None) -> None:
    """Arm the points every backend has (render, send, sent), or `arm_other(point)`, then run."""
    if point == "render":
        worker.delivery.renderer.render = counting(worker.delivery.renderer.render, before=True)
    elif point in ("send", "sent"):
        worker.transport.send = counting(worker.transport.send, before=point == "send")
    elif arm_other is None or not arm_other(point):
        raise SystemExit(f"unknown point {point}")
    worker.run_once()


def main(config_path: str, point: str, k: int = 1) -> None:
    segments.SEGMENT = 4096  # as in every test: the commits after the first patch the sheets' last rows only
    worker = app.worker_for(config_mod.load(Path(config_path)), clock=FixedClock())
    counting = killer(k)

    def arm(point: str) -> bool:
        if point == "replace":
            excel.os.replace = counting(os.replace, before=True)
            return True
        return False

    run_killed(worker, point, counting, arm)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
