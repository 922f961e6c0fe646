"""Asked to stop (Ctrl-C, `systemctl stop`): the cycle under way finishes first.

The first SIGINT or SIGTERM is noted and the cycle goes on to its end (its PDFs
made, its emails sent and recorded); a second one stops at once, as Ctrl-C does.
`run` and `watch` both hold one of these while they work.
"""

from __future__ import annotations

import logging
import signal
from types import FrameType

log = logging.getLogger("sheetbill")


class Stopping:
    """Handles SIGINT and SIGTERM inside `with`; true once one came."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.asked = False
        self._before: list = []

    def __enter__(self) -> Stopping:
        self._before = [signal.signal(signum, self._asked) for signum in self.SIGNALS]
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, before in zip(self.SIGNALS, self._before):
            signal.signal(signum, before)

    def __call__(self) -> bool:
        return self.asked

    def _asked(self, signum: int, frame: FrameType | None) -> None:
        if self.asked:
            raise KeyboardInterrupt
        self.asked = True
        log.info("stopping after the current cycle (Ctrl-C again to stop now)")
