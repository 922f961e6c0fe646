"""The quiet cycle: when nothing the cycle depends on changed since a cycle that left
nothing to do, the next one is skipped without reading the workbook."""

from __future__ import annotations

from datetime import date


def quiet_key(content: str | None, today: date, config_digest: str, code: str,
              looks_each_cycle: bool = False) -> str | None:
    """What an idle cycle depends on: the workbook's content (`content`, its fingerprint), the day,
    the config and the code that reads it (`code`, a digest of sheetbill's own source: after an
    upgrade the same workbook may read differently). None where a cycle must always run: no
    fingerprint, or something outside the workbook to look at each cycle (card payments, a folder
    of bank statements)."""
    if content is None or looks_each_cycle:
        return None
    return f"{content}|{today.isoformat()}|{config_digest}|{code}"
