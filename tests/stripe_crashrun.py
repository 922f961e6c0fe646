"""Run one cycle of a practice with Stripe on and die (os._exit) at a chosen point.

    python -m tests.stripe_crashrun CONFIG POINT [K]

POINT: `link` (right after the K-th pay link was made, before it is written
down), `events` (right after Stripe's events were read), `charge` (right
after the K-th AutoPay charge, before it is recorded), `setup` (right after
the K-th AutoPay card set-up page was made, before its email is marked),
`replace` (inside the K-th commit, before the workbook is replaced); `sent`
(right after the K-th email went out, before it is recorded).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sheetbill import app
from sheetbill import config as config_mod
from sheetbill.book import excel

from .conftest import FixedClock
from .crashrun import killer, run_killed


def main(config_path: str, point: str, k: int = 1) -> None:
    worker = app.worker_for(config_mod.load(Path(config_path)), clock=FixedClock())
    counting = killer(k)
    gateway = worker.card.gateway

    def arm(point: str) -> bool:
        if point == "replace":
            excel.os.replace = counting(os.replace, before=True)
        elif point in ("link", "events", "charge", "setup"):
            name = {"link": "create_link", "events": "events", "charge": "charge", "setup": "create_setup"}[point]
            setattr(gateway, name, counting(getattr(gateway, name), before=False))
        else:
            return False
        return True

    run_killed(worker, point, counting, arm)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
