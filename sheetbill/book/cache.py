"""A cache beside the workbook, an optimisation: losing it costs time, never correctness (and
the one safety net it also holds, `written_hash`: see went_back.py).

- `tabs`: each sheet's fingerprint and the snapshot digest it stands for, so a
  sheet the worker wrote last is not compared row by row;
- `quiet`: the workbook's fingerprint, the day, the config and the code of
  the last cycle that left nothing to do, so an idle cycle on an unchanged
  workbook the same day, by the same sheetbill, reads nothing.
"""

from __future__ import annotations

import json
from pathlib import Path


class Cache:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._data: dict | None = None

    def _load(self) -> dict:
        if self._data is None:
            try:
                self._data = json.loads(self.path.read_text()) if self.path else {}
            except (OSError, ValueError):
                self._data = {}
            if not isinstance(self._data, dict):
                self._data = {}
        return self._data

    def get(self, key: str, default=None):
        return self._load().get(key, default)

    def put(self, **entries) -> None:
        if self.path is None:
            return
        data = self._load()
        data.update(entries)
        try:
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps(data))
            tmp.replace(self.path)
        except OSError:
            pass  # only a cache
