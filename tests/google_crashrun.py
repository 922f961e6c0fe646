"""Run one cycle against the fake Google and die (os._exit, no cleanup) at a chosen point.

    SHEETBILL_GOOGLE_ENDPOINT=http://127.0.0.1:PORT python -m tests.google_crashrun CONFIG POINT [K]

POINT: `write` (the K-th batchUpdate reached Google, its answer is never
read), `render` (before the K-th PDF), `send` (before the K-th email goes
to Gmail), `sent` (right after Gmail took the K-th email, before anything
is recorded).
"""

from __future__ import annotations

import sys
from pathlib import Path

from sheetbill import app
from sheetbill import config as config_mod
from sheetbill.google.http import Google

from .conftest import FixedClock
from .crashrun import killer, run_killed


def main(config_path: str, point: str, k: int = 1) -> None:
    worker = app.worker_for(config_mod.load(Path(config_path)), clock=FixedClock())
    counting = killer(k)

    def arm(point: str) -> bool:
        if point == "write":
            Google.sheets = counting(Google.sheets, before=False,
                                     only=lambda self, method, path, **kw: ":batchUpdate" in path)
            return True
        return False

    run_killed(worker, point, counting, arm)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
