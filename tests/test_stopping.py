"""Stopping `run` (the timer's unit stopped, Ctrl-C) lets the cycle under way finish."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import threading
from datetime import date

from .conftest import session
from .test_deliver_smtp import Mailbox, serve  # noqa: F401 - serve is a fixture
from .test_e2e_smtp import use_smtp


class Holding(Mailbox):
    """A mail server that holds the first message until told to answer."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived, self.answer = threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.arrived.set()
        await asyncio.get_running_loop().run_in_executor(None, self.answer.wait)
        return await super().handle_DATA(server, session, envelope)


def test_run_stopped_mid_cycle_finishes_the_cycle(practice, serve):
    """`systemctl stop` of the timer's unit while `run` sent its first email: run died there, that
    email's outcome unknown (a Problem for a person over SMTP) and the second not sent."""
    server = Holding()
    use_smtp(practice, serve(server))
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session("S-00002", date(2026, 11, 3), "C-002"))
    run = subprocess.Popen([sys.executable, "-m", "sheetbill", "run", "--config", str(practice.config_path)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.arrived.wait(timeout=300), run.communicate()
        run.send_signal(signal.SIGTERM)
    finally:
        server.answer.set()
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert "2 email(s) sent" in out
    assert "stopping after the current cycle" in err and "stopped after the cycle" in err
    assert len(server.envelopes) == 2
    assert [i["Sent At"] is not None for i in practice.rows("Invoices")] == [True, True]
