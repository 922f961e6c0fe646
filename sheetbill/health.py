"""The small log of cycles beside the workbook, and the alert emails it drives.

`.sheetbill-cycles.jsonl` holds one JSON line per cycle (when, how it ended,
what it did) and the state of the last alert; it is written even when the
workbook cannot be, and kept to the last `KEEP` cycles. `sheetbill status`
reads it; the Dashboard shows the last failure from it; after
`schedule.alert_after_failures` failed cycles in a row the practice's own
address gets one email, and one more when a cycle succeeds again, sent
through the same exactly-once protocol as every other email.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, timedelta
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from .core import health
from .core.changelog import utc_stamp
from .core.health import CycleRecord
from .core.changes import Changes
from .deliver.exactly_once import Outgoing, send_all
from .errors import WorkbookOpen

log = logging.getLogger("sheetbill")
FILE = ".sheetbill-cycles.jsonl"
KEEP = 500  # cycles kept (3.5 days at one every 10 min); rewritten at twice as many lines
ALERT = "alert"
SENT = "sent"  # what became of an alert that went out
CONFIG = "config"  # what is wrong with the config file `watch` goes on without ("" once fixed)


def log_path(config) -> Path:
    """Beside the workbook (a Google practice: beside the config)."""
    folder = config.workbook.parent if config.workbook is not None else config.path.parent
    return folder / FILE


class CycleLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> tuple[list[CycleRecord], dict[str, str]]:
        """The cycles (oldest first) and the state, from a file that may be missing or cut short."""
        cycles: list[CycleRecord] = []
        state: dict[str, str] = {}
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return cycles, state
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a line cut short by a crash
            if "state" in entry:
                state.update(entry["state"])
            elif "at" in entry:
                cycles.append(CycleRecord(entry["at"], entry.get("outcome", ""), entry.get("summary", ""),
                                          entry.get("seconds", 0.0)))
        return cycles, state

    def append(self, record: CycleRecord) -> None:
        self._write({k: v for k, v in asdict(record).items()})

    def put_state(self, state: dict[str, str]) -> None:
        if state:
            self._write({"state": state})

    def _write(self, entry: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        self._trim()

    def _trim(self) -> None:
        with open(self.path, encoding="utf-8") as f:
            count = sum(1 for _ in f)
        if count <= 2 * KEEP:
            return
        cycles, state = self.read()
        tmp = self.path.with_name(self.path.name + ".tmp")
        lines = ([json.dumps({"state": state}, ensure_ascii=False)] if state else []) + \
            [json.dumps(asdict(c), ensure_ascii=False) for c in cycles[-KEEP:]]
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)

    def dashboard(self) -> health.Standing:
        """For the Dashboard: the last failed cycle ("when: why", or ""), the failures in a row before now
        and what is wrong with the config file."""
        cycles, state = self.read()
        last = health.last_failure(cycles)
        return health.Standing((f"{last.at}: {last.summary}" if last else ""), health.failures_in_a_row(cycles),
                               state.get(CONFIG, ""))

    def config_problem(self, problem: str) -> None:
        """Noted for `status` and the Dashboard when it changes."""
        if self.read()[1].get(CONFIG, "") != problem:
            self.put_state({CONFIG: problem})


class Health:
    """Records each cycle's end in the log and sends the alerts it calls for."""

    def __init__(self, cycles: CycleLog, threshold: int, now: Callable, transport=None, sender: str = "",
                 to: str = "", practice: str = "", open_grace: timedelta = timedelta(hours=4)) -> None:
        self.cycles, self.threshold, self.now = cycles, threshold, now
        self.open_grace = open_grace  # how long the workbook may be open in Excel before cycles count as failed
        self.transport, self.sender, self.to, self.practice = transport, sender, to, practice

    def monitored(self, run: Callable):
        """`run` (one cycle returning a CycleReport), recorded; its exceptions go on after being recorded."""
        def cycle():
            try:
                report = run()
            except WorkbookOpen as exc:  # a person works in it: billing waits, for a while without alarm
                now = self.now()
                self.ended(health.while_open(now - (exc.since or now), self.open_grace), str(exc))
                raise
            except Exception as exc:
                self.ended(health.FAILED, str(exc) or type(exc).__name__)
                raise
            self.ended(outcome(report), summary(report), report.seconds)
            return report
        return cycle

    def ended(self, outcome: str, summary: str, seconds: float = 0.0) -> None:
        try:
            self.cycles.append(CycleRecord(utc_stamp(self.now().astimezone(UTC)), outcome, summary, round(seconds, 2)))
            self._alert()
        except OSError as exc:  # the folder went away or is full: the cycle's own outcome matters more
            log.error("could not record the cycle in %s: %s", self.cycles.path, exc)

    def stopped(self, summary: str) -> str:
        """`watch` stopping for good (a restart would fail the same way): a failed cycle, and the practice
        told at once, not after more failed cycles (none will come), once in a streak. Says what was done;
        OSError if the cycle cannot be recorded."""
        self.cycles.append(CycleRecord(utc_stamp(self.now().astimezone(UTC)), health.FAILED, summary))
        done = f"recorded as a failed cycle in {self.cycles.path}"
        if self.threshold <= 0:
            return f"{done}; the practice was not emailed (schedule.alert_after_failures is 0)"
        told = self._alert(threshold=1)
        if told == SENT:
            return f"{done}; the practice was emailed at {self.to}"
        if told:
            return f"{done}; the practice was not emailed: {told}"
        _, key = health.parse_sent(self.cycles.read()[1].get(ALERT, ""))
        return f"{done}; the practice was emailed about it at {self.to} before (first failure {key})"

    def _alert(self, threshold: int | None = None) -> str:
        """Sends the alert due, if any: SENT, why it was not, or "" (none due)."""
        cycles, state = self.cycles.read()
        sent = state.get(ALERT, "")
        alert = health.alert_due(cycles, sent, self.threshold if threshold is None else threshold)
        if alert is None:
            return ""
        if self.transport is None or not self.to:
            log.warning("%s; no email transport or practice address to tell", health.subject(alert, self.practice))
            self.cycles.put_state({ALERT: health.record(alert)})
            return "no email transport or practice address to tell"
        item = Outgoing(label=f"{alert.kind} alert", message=self._message(alert),
                        mark=Changes(state={ALERT: health.mark(alert)}),
                        record=lambda: Changes(state={ALERT: health.record(alert)}),
                        unmark=Changes(state={ALERT: sent}), interrupted=health.interrupted(sent, alert),
                        kind="alert")
        outcome = send_all([item], self.transport, lambda w: self.cycles.put_state(dict(w.state)),
                           lookup=self.transport.name != "smtp")
        for error in outcome.errors:
            log.error("%s", error)
        return outcome.errors[0] if outcome.errors else SENT

    def _message(self, alert: health.Alert) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = self.to
        msg["Subject"] = health.subject(alert, self.practice)
        msg["Date"] = formatdate(self.now().timestamp(), usegmt=True)
        digest = hashlib.sha256(f"{self.cycles.path}|{alert.kind}|{alert.key}".encode()).hexdigest()[:24]
        domain = self.sender.rsplit("@", 1)[-1].strip(">") or "sheetbill"
        msg["Message-ID"] = f"<alert-{alert.kind}-{digest}@{domain}>"
        msg.set_content(health.body(alert))
        return msg


def outcome(report) -> str:
    """A cycle whose emails all failed sent nothing a client is waiting for: failed, as one that stopped."""
    if report.emails_failed():
        return health.FAILED
    return health.ERRORS if report.errors else health.OK


def summary(report) -> str:
    """A cycle's line, and for one that had errors the first of them: `status` says why."""
    if report.emails_failed():
        return f"emails failed: {report.unsent[0]}; {report.line()}"
    if not report.errors:
        return report.line()
    more = f" (and {len(report.errors) - 1} more)" if len(report.errors) > 1 else ""
    return f"{report.line()}: {report.errors[0]}{more}"


def health_for(config, transport, now: Callable) -> Health:
    return Health(CycleLog(log_path(config)), config.schedule.alert_after_failures, now, transport,
                  config.email.sender, config.practice.email or config.email.sender, config.practice.name,
                  timedelta(hours=config.schedule.alert_after_open_hours))


def status_lines(config, last: int = 20) -> list[str]:
    """`sheetbill status`: the last cycles, newest last, and where things stand."""
    return status_at(log_path(config), last)


def status_at(path: Path, last: int = 20) -> list[str]:
    """`status` of the cycle log at `path`."""
    cycles, state = CycleLog(path).read()
    if not cycles:
        return [f"no cycles recorded yet in {path}"]
    streak = health.failures_in_a_row(cycles)
    out = [c.line() for c in cycles[-last:]]
    if state.get(CONFIG):
        out.append(f"config: {state[CONFIG]}")
    kind, key = health.parse_sent(state.get(ALERT, ""))
    if streak:
        out.append(f"{streak} failed cycle(s) in a row" +
                   (f"; the practice was emailed (first failure {key})" if kind == health.DOWN else ""))
    elif cycles[-1].outcome == health.WAITING:
        out.append(f"waiting: {cycles[-1].summary}")
    else:
        out.append(f"last cycle: {cycles[-1].outcome} at {cycles[-1].at}")
    return out
