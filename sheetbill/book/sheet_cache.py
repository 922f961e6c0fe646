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
from collections.abc import Iterator, Mapping, MutableMapping
from pathlib import Path

from .xlsx import SheetEdit, fingerprints, read_sheets
from .xlsx.errors import XlsxError
from .xlsx.known import Known
from .xlsx.values import SheetValues

VERSION = 2
_FEW_BLOCKS = 2  # blocks of rows a write may leave to parse again before `behind` says so
_MANY_ROWS = 1000  # rows appended at once that are worth reading back
_ALLOWED = {
    ("decimal", "Decimal"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("sheetbill.book.xlsx.known", "Known"),
    ("sheetbill.book.xlsx.known", "Block"),
    ("sheetbill.book.xlsx.values", "SheetValues"),
    ("sheetbill.book.xlsx.values", "CellError"),
    ("sheetbill.book.xlsx.values", "FormulaNoValue"),  # as caches written before the move name them
    ("sheetbill.book.markers", "CellError"),
    ("sheetbill.book.markers", "FormulaNoValue"),
}


def _appended(edit: SheetEdit) -> bool:
    """Whether `edit` only appends rows that each hold a value (so that the sheet's
    last row holding one moves down by as many)."""
    return not edit.updates and all(any(v is not None and v != "" for v in row) for row in edit.appends)


class _Values(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")
        return super().find_class(module, name)


class SheetCache(MutableMapping[str, Known]):
    """Sheet name -> `Known`; `save()` writes what changed since it was loaded.
    Each entry is stored as its own pickle: an entry is unpickled when it is asked
    for, and only entries that changed are pickled again."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._blobs: dict[str, bytes] | None = None  # as stored
        self._entries: dict[str, Known] = {}  # unpickled or new
        self._changed = False

    def _load(self) -> dict[str, bytes]:
        if self._blobs is None:
            self._blobs = {}
            if self.path is not None:
                try:
                    with open(self.path, "rb") as handle:
                        version, blobs = _Values(io.BufferedReader(handle)).load()
                    if version == VERSION and isinstance(blobs, dict) and all(
                            isinstance(k, str) and isinstance(v, bytes) for k, v in blobs.items()):
                        self._blobs = blobs
                except (OSError, EOFError, ValueError, TypeError, AttributeError, IndexError,
                        pickle.UnpicklingError):
                    pass  # only a cache
        return self._blobs

    def __getitem__(self, name: str) -> Known:
        if name not in self._entries:
            blob = self._load()[name]
            try:
                entry = _Values(io.BytesIO(blob)).load()
            except (EOFError, ValueError, TypeError, AttributeError, IndexError, pickle.UnpicklingError):
                entry = None
            if not isinstance(entry, Known):
                del self._load()[name]
                raise KeyError(name)
            self._entries[name] = entry
        return self._entries[name]

    def __setitem__(self, name: str, entry: Known) -> None:
        self._load().pop(name, None)
        self._entries[name] = entry
        self._changed = True

    def __delitem__(self, name: str) -> None:
        if name not in self._entries and name not in self._load():
            raise KeyError(name)
        self._entries.pop(name, None)
        self._load().pop(name, None)
        self._changed = True

    def __iter__(self) -> Iterator[str]:
        return iter(set(self._load()) | set(self._entries))

    def __len__(self) -> int:
        return len(set(self._load()) | set(self._entries))

    def behind(self, name: str, edit: SheetEdit) -> bool:
        """Whether writing `edit` leaves the next read of the sheet many rows to parse
        again (a commit that rewrote most of a sheet, or appended thousands of rows), so
        that reading it back once now is worth it. A sheet read only for its first row
        (one the cycle only appends to) never is."""
        try:
            entry = self[name]
        except KeyError:
            return False
        if entry.head:
            return False
        if len(edit.appends) > _MANY_ROWS:
            return True
        first = min((row for row, _ in edit.updates), default=None)
        return first is not None and sum(1 for block in entry.blocks if block.row >= first) > _FEW_BLOCKS

    def catch_up(self, before: Path, after: Path, edits: Mapping[str, SheetEdit]) -> None:
        """Once a commit wrote `edits` to the workbook `before` as `after`: read back the sheets
        it changed much (see `behind`), and note where the sheets read for their first row
        only now end, so the next read parses only what changes after this commit. Only
        ever an optimisation: a failure leaves the entries as they were."""
        try:
            old, new = fingerprints(before), fingerprints(after)
        except (XlsxError, OSError):
            return
        for name, edit in edits.items():
            entry = self.get(name)
            if (entry is not None and entry.head and entry.fingerprint == old.get(name) and new.get(name)
                    and _appended(edit)):
                values = SheetValues(entry.values.rows, entry.values.max_row + len(edit.appends))
                self[name] = Known(new[name], entry.context, True, values, ())
        names = [name for name, edit in edits.items() if self.behind(name, edit)]
        if names:
            try:
                read_sheets(after, names, known=self)
            except (XlsxError, OSError):
                pass
        self.save()

    def save(self) -> None:
        if self.path is None or not self._changed:
            return
        self._changed = False
        blobs = self._load()
        for name, entry in self._entries.items():
            if name not in blobs:
                blobs[name] = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump((VERSION, blobs), handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError:
            pass  # only a cache
