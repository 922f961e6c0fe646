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

from .conftest import FixedClock

KILLED = 137


def main(config_path: str, point: str, k: int = 1) -> None:
    worker = app.worker_for(config_mod.load(Path(config_path)), clock=FixedClock())
    calls = {"n": 0}

    def counting(func, before: bool):
        def wrapper(*args, **kwargs):
            calls["n"] += 1
            if before and calls["n"] == k:
                os._exit(KILLED)
            result = func(*args, **kwargs)
            if not before and calls["n"] == k:
                os._exit(KILLED)
            return result
        return wrapper

    if point == "replace":
        excel.os.replace = counting(os.replace, before=True)
    elif point == "render":
        worker.renderer.render = counting(worker.renderer.render, before=True)
    elif point in ("send", "sent"):
        worker.transport.send = counting(worker.transport.send, before=point == "send")
    else:
        raise SystemExit(f"unknown point {point}")
    worker.run_once()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
