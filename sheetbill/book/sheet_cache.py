"""The sheets as last read, kept beside the workbook between runs (and in memory
by `watch`), so a cycle parses only the rows that changed (see xlsx/known.py).

Only ever an optimisation: an entry stands for one exact version of a sheet
(its part's CRC-32 and size) read in one context (shared strings, date styles,
date system); a missing, stale or unreadable file costs a full read, never a
wrong value. The file is read back with an unpickler that makes nothing but
the cell value types and the entries.
"""

from __future__ import annotations

import io
import os
import pickle
import tempfile
from collections.abc import Iterator, MutableMapping
from pathlib import Path

from .xlsx.known import Known

VERSION = 1
_ALLOWED = {
    ("decimal", "Decimal"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("sheetbill.book.xlsx.known", "Known"),
    ("sheetbill.book.xlsx.known", "Block"),
    ("sheetbill.book.xlsx.values", "SheetValues"),
    ("sheetbill.book.xlsx.values", "CellError"),
    ("sheetbill.book.xlsx.values", "FormulaNoValue"),
}


class _Values(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")
        return super().find_class(module, name)


class SheetCache(MutableMapping[str, Known]):
    """Sheet name -> `Known`; `save()` writes what changed since it was loaded."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, Known] | None = None
        self._changed = False

    def _load(self) -> dict[str, Known]:
        if self._entries is None:
            self._entries = {}
            if self.path is not None:
                try:
                    with open(self.path, "rb") as handle:
                        version, entries = _Values(io.BufferedReader(handle)).load()
                    if version == VERSION and isinstance(entries, dict) and all(
                            isinstance(k, str) and isinstance(v, Known) for k, v in entries.items()):
                        self._entries = entries
                except (OSError, EOFError, ValueError, TypeError, AttributeError, IndexError,
                        pickle.UnpicklingError):
                    pass  # only a cache
        return self._entries

    def __getitem__(self, name: str) -> Known:
        return self._load()[name]

    def __setitem__(self, name: str, entry: Known) -> None:
        self._load()[name] = entry
        self._changed = True

    def __delitem__(self, name: str) -> None:
        del self._load()[name]
        self._changed = True

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def save(self) -> None:
        if self.path is None or not self._changed:
            return
        self._changed = False
        try:
            fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump((VERSION, self._load()), handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError:
            pass  # only a cache
