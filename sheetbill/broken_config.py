"""What `watch` and `status` make of a config file that does not load.

`watch` stops for good on it (exit 78: its unit does not restart it), so
it records a failed cycle naming what is wrong and tells the practice at
once, where the file can be read far enough for that; else its one line
on stderr (the journal) says that no one was told. `status` lists the
cycles it can find all the same, and what is wrong.
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

from .clock import SystemClock
from .config_salvage import readable
from .errors import ConfigError, ConfigInvalid
from .core.changelog import utc_stamp
from .core.health import FAILED, CycleRecord
from .health import CONFIG, FILE, CycleLog, status_at
START_AGAIN = "fix the config file, then start watch again"


def watch_cannot_start(path: Path, error: ConfigError) -> ConfigInvalid:
    """The error `watch` exits with, once the failed cycle is recorded and the practice told."""
    return ConfigInvalid(f"{error} ({START_AGAIN}; {_told(path, error)})")


def _told(path: Path, error: ConfigError) -> str:
    found = readable(path)
    if found.log is None:
        return f"no cycle was recorded and the practice was not emailed: {found.why}"
    summary = f"watch did not start: {error}; {START_AGAIN}"
    try:
        if found.config is None:
            stamp = utc_stamp(SystemClock().now().astimezone(UTC))
            CycleLog(found.log).append(CycleRecord(stamp, FAILED, summary))
            return f"recorded as a failed cycle in {found.log}; the practice was not emailed: {found.why}"
        from .app import alert_transport
        from .health import health_for

        return health_for(found.config, alert_transport(found.config), SystemClock().now).stopped(summary)
    except OSError as exc:
        return (f"no cycle was recorded in {found.log} ({exc.strerror or exc}) and the practice was not "
                "emailed")


def status_lines(path: Path, error: ConfigError, last: int = 20) -> list[str]:
    """`sheetbill status` on a config file that does not load: the cycles beside the workbook it names
    (or beside the config), then what is wrong with it."""
    found = readable(path)
    beside = path.resolve().parent / FILE
    where = found.log or (beside if beside.exists() else None)
    if where is None:
        out = [f"no cycle log found: {found.why}; looked for {FILE} beside the config, in {beside.parent}"]
        noted = ""
    else:
        out = status_at(where, last)
        noted = CycleLog(where).read()[1].get(CONFIG, "")
    if not noted.startswith(str(error)):
        out.append(f"config: {error}")
    return out
