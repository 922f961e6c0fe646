"""The sheets as last read, kept beside the workbook between runs (and in memory
by `watch`), so a cycle parses only the rows that changed (see xlsx/known.py).

Only ever an optimisation: an entry stands for one exact version of a sheet
(its part's CRC-32 and size) read in one context (shared strings, date and
percent styles, date system); a missing, stale or unreadable file costs a full
read, never a wrong value. The file is read back with an unpickler that makes
nothing but the cell value types and the entries.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import tempfile
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import BinaryIO

from .xlsx import SheetEdit, fingerprints, read_sheets
from .xlsx import apart
from .xlsx.apart import Apart
from .xlsx.package import Package
from .xlsx.errors import XlsxError
from .xlsx.known import Known
from .xlsx.values import SheetValues

VERSION = 6  # 4: numbers under a percent format are kept as markers.Percent; 5: and PercentSign; 6: rows in batches
_BATCH = 4096  # rows pickled at a time (see `_dump`)
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
    ("sheetbill.book.markers", "Percent"),
    ("sheetbill.book.markers", "PercentSign"),
}


@dataclass(frozen=True)
class Grown:
    """What `catch_up` needs of a sheet's edit (not its values: a first cycle's new rows are
    let go before the sheets are read back)."""

    appended: int  # rows appended
    first_update: int | None  # the first row with a cell written, if any
    filled: bool  # only appends, each row holding a value (so the last used row moves down by as many)

    @classmethod
    def of(cls, edit: SheetEdit) -> Grown:
        filled = not edit.updates and all(any(v is not None and v != "" for v in row) for row in edit.appends)
        return cls(len(edit.appends), min((row for row, _ in edit.updates), default=None), filled)


class _Values(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")
        return super().find_class(module, name)


class SheetCache(MutableMapping[str, Known]):
    """Sheet name -> `Known`; `save()` writes what changed since it was loaded.

    The file holds each entry as its own pickle, one after the other, and at its end an
    index (name -> where its pickle lies), found through the file's first 8 bytes. Only
    the index is read at first; an entry is read and unpickled when it is asked for, and
    never kept as bytes. `save()` pickles the entries that changed and copies the others'
    bytes from the file as it was loaded, so a cycle holds only the values it reads."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._index: dict[str, tuple[int, int]] | None = None  # as stored: name -> (offset, length)
        self._stored: tuple[int, int] | None = None  # the loaded file's (device, inode)
        self._entries: dict[str, Known] = {}  # unpickled or new
        self._dirty: set[str] = set()  # entries set since loaded (pickled by `save`)
        self._pickled: dict[str, bytes] = {}  # entries a helper process read back, as it pickled them
        self._changed = False

    def _load(self) -> dict[str, tuple[int, int]]:
        if self._index is None:
            self._index = {}
            if self.path is not None:
                try:
                    with open(self.path, "rb") as handle:
                        index = _read_index(handle)
                        if index is not None:
                            stat = os.fstat(handle.fileno())
                            self._index, self._stored = index, (stat.st_dev, stat.st_ino)
                except OSError:
                    pass  # only a cache
        return self._index

    def _blob(self, handle: BinaryIO, name: str) -> bytes | None:
        """The stored pickle of `name`, from the very file the index was read from."""
        stat = os.fstat(handle.fileno())
        if (stat.st_dev, stat.st_ino) != self._stored:
            return None
        offset, length = self._load()[name]
        handle.seek(offset)
        blob = handle.read(length)
        return blob if len(blob) == length else None

    def __getitem__(self, name: str) -> Known:
        if name not in self._entries:
            if name not in self._load() and name not in self._pickled:
                raise KeyError(name)
            entry = None
            try:
                blob = self._pickled.get(name)
                if blob is None:
                    assert self.path is not None  # an index was read from it
                    with open(self.path, "rb") as handle:
                        blob = self._blob(handle, name)
                entry = _load_entry(io.BytesIO(blob)) if blob is not None else None
            except (OSError, EOFError, ValueError, TypeError, AttributeError, IndexError, pickle.UnpicklingError):
                pass
            if not isinstance(entry, Known):
                self._forget(name)
                raise KeyError(name)
            self._entries[name] = entry
        return self._entries[name]

    def __setitem__(self, name: str, entry: Known) -> None:
        self._load().pop(name, None)
        self._pickled.pop(name, None)
        self._entries[name] = entry
        self._dirty.add(name)
        self._changed = True

    def set_pickled(self, name: str, blob: bytes) -> None:
        """An entry as pickled (by a helper process): unpickled only when asked for."""
        self._load().pop(name, None)
        self._entries.pop(name, None)
        self._pickled[name] = blob
        self._dirty.add(name)
        self._changed = True

    def __delitem__(self, name: str) -> None:
        if name not in self._entries and name not in self._load() and name not in self._pickled:
            raise KeyError(name)
        self._forget(name)

    def _forget(self, name: str) -> None:
        self._entries.pop(name, None)
        self._pickled.pop(name, None)
        self._load().pop(name, None)
        self._dirty.discard(name)
        self._changed = True

    def __iter__(self) -> Iterator[str]:
        return iter(set(self._load()) | set(self._entries) | set(self._pickled))

    def __len__(self) -> int:
        return len(set(self._load()) | set(self._entries) | set(self._pickled))

    def without(self, name: str) -> MutableMapping[str, Known]:
        """This cache with the entry of sheet `name` hidden, and kept as it is (a read of the
        whole Changelog goes by, which the cycle reads the first row of)."""
        return _Without(self, name)

    def behind(self, name: str, grown: Grown) -> bool:
        """Whether a commit that `grown` describes leaves the next read of the sheet many
        rows to parse again (a commit that rewrote most of a sheet, or appended thousands
        of rows), so that reading it back once now is worth it. A sheet read only for its
        first row (one the cycle only appends to) never is."""
        try:
            entry = self[name]
        except KeyError:
            return False
        if entry.head:
            return False
        if grown.appended > _MANY_ROWS:
            return True
        first = grown.first_update
        return first is not None and sum(1 for block in entry.blocks if block.row >= first) > _FEW_BLOCKS

    def catch_up(self, before: Path, after: Path, edits: Mapping[str, Grown], save: bool = True) -> None:
        """Once a commit wrote `edits` to the workbook `before` as `after`: read back the sheets
        it changed much (see `behind`), and note where the sheets read for their first row
        only now end, so the next read parses only what changes after this commit; saved unless
        `save` is False (a cycle saves once, at its end, when the commit's own memory is free).
        Only ever an optimisation: a failure leaves the entries as they were."""
        try:
            old, new = fingerprints(before), fingerprints(after)
        except (XlsxError, OSError):
            return
        for name, grown in edits.items():
            entry = self.get(name)
            if (entry is not None and entry.head and entry.fingerprint == old.get(name) and new.get(name)
                    and grown.filled):
                values = SheetValues(entry.values.rows, entry.values.max_row + grown.appended)
                self[name] = Known(new[name], entry.context, True, values, ())
        names = [name for name, grown in edits.items() if self.behind(name, grown)]
        if names:
            try:
                self._read_back(after, names)
            except (XlsxError, OSError):
                pass
        if save:
            self.save()

    def _read_back(self, path: Path, names: list[str]) -> None:
        """Read the sheets `names` of `path` into the cache: the larger ones in a helper
        process meanwhile, when there are several (see xlsx/apart.py)."""
        aside = _larger_half(path, names) if len(names) > 1 and apart.available() else []
        if not aside:
            read_sheets(path, names, known=self)
            return
        with Apart(partial(_read_pickled, path, {name: self.get(name) for name in aside})) as helper:
            read_sheets(path, [name for name in names if name not in aside], known=self)
            found = helper.result()
        if found is None:
            read_sheets(path, aside, known=self)
            return
        for name, blob in found.items():
            self.set_pickled(name, blob)

    def save(self) -> None:
        if self.path is None or not self._changed:
            return
        index = self._load()
        try:
            fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as out, _opened(self.path if index else None) as old:
                    out.write(bytes(_HEAD.size))
                    written: dict[str, tuple[int, int]] = {}
                    for name in sorted(set(index) | self._dirty):
                        at = out.tell()
                        blob = self._pickled.get(name)
                        if blob is None and name not in self._dirty and old is not None:
                            blob = self._blob(old, name)
                        if blob is not None:
                            out.write(blob)
                        elif name in self._entries:  # pickled straight into the file, never held as bytes
                            _dump(self._entries[name], out)
                        else:
                            continue  # the file changed under us: that sheet is read in full next time
                        written[name] = (at, out.tell() - at)
                    at = out.tell()
                    pickle.dump((VERSION, written), out, protocol=pickle.HIGHEST_PROTOCOL)
                    out.seek(0)
                    out.write(_HEAD.pack(at))
                os.replace(tmp, self.path)
                stat = os.stat(self.path)
                self._index, self._stored = written, (stat.st_dev, stat.st_ino)
                self._dirty.clear()
                self._changed = False
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError:
            pass  # only a cache


def _larger_half(path: Path, names: list[str]) -> list[str]:
    """The sheets among `names` that make up about the larger half of their unpacked size."""
    with Package(path) as package:
        size = {s.name: package.info(s.part).file_size for s in package.sheets if s.name in names}
    half: list[str] = []
    total = 0
    for name in sorted(size, key=size.__getitem__, reverse=True):
        if total + size[name] <= sum(size.values()) / 2 or not half:
            half.append(name)
            total += size[name]
    return half if len(half) < len(size) else half[:-1]


def _read_pickled(path: Path, known: dict[str, Known | None]) -> dict[str, bytes]:
    """The sheets `known` names read from `path` (on their entries, where given), each pickled."""
    entries = {name: entry for name, entry in known.items() if entry is not None}
    read_sheets(path, list(known), known=entries)
    return {name: _dumped(entry) for name, entry in entries.items()}


def _dump(entry: Known, out: BinaryIO) -> None:
    """An entry as the file holds it: the entry without its rows, then its rows a batch at a
    time, each batch a pickle of its own, then None. A pickler remembers every object it wrote
    until it is done: whole, a sheet of 100,000 rows took some 15 MB more to save than to hold."""
    rows = entry.values.rows
    pickle.dump(replace(entry, values=SheetValues([], entry.values.max_row)), out, protocol=pickle.HIGHEST_PROTOCOL)
    for start in range(0, len(rows), _BATCH):
        pickle.dump(rows[start : start + _BATCH], out, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.dump(None, out, protocol=pickle.HIGHEST_PROTOCOL)


def _dumped(entry: Known) -> bytes:
    out = io.BytesIO()
    _dump(entry, out)
    return out.getvalue()


def _load_entry(stream: BinaryIO) -> Known | None:
    """What `_dump` wrote (None: not an entry)."""
    head = _Values(stream).load()
    if not isinstance(head, Known):
        return None
    rows: list = []
    while (batch := _Values(stream).load()) is not None:
        if not isinstance(batch, list):
            return None
        rows += batch
    return replace(head, values=SheetValues(rows, head.values.max_row))


class _Without(MutableMapping[str, Known]):
    def __init__(self, cache: SheetCache, hidden: str) -> None:
        self.cache, self.hidden = cache, hidden

    def __getitem__(self, name: str) -> Known:
        if name == self.hidden:
            raise KeyError(name)
        return self.cache[name]

    def __setitem__(self, name: str, entry: Known) -> None:
        if name != self.hidden:
            self.cache[name] = entry

    def __delitem__(self, name: str) -> None:
        if name != self.hidden:
            del self.cache[name]

    def __iter__(self) -> Iterator[str]:
        return (name for name in self.cache if name != self.hidden)

    def __len__(self) -> int:
        return sum(1 for _ in self)


_HEAD = struct.Struct("<Q")  # where the index starts


def _read_index(handle: BinaryIO) -> dict[str, tuple[int, int]] | None:
    """The index a cache file ends with, or None for a file that is not one."""
    try:
        head = handle.read(_HEAD.size)
        if len(head) != _HEAD.size:
            return None
        handle.seek(_HEAD.unpack(head)[0])
        version, index = _Values(handle).load()
    except (OSError, EOFError, ValueError, TypeError, AttributeError, IndexError, OverflowError,
            pickle.UnpicklingError):
        return None
    if version != VERSION or not isinstance(index, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, tuple) and len(v) == 2
               and all(isinstance(n, int) and n >= 0 for n in v) for k, v in index.items()):
        return None
    return index


@contextmanager
def _opened(path: Path | None) -> Iterator[BinaryIO | None]:
    """`path` open for reading (None when there is none to read)."""
    if path is None:
        yield None
        return
    try:
        handle = open(path, "rb")
    except OSError:
        yield None
        return
    with handle:
        yield handle
