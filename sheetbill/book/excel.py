"""The Excel backend: a local .xlsx file, read and patched surgically.

The file is the admin's, so it is never damaged:
- nothing is written while Excel or LibreOffice has it open, nor while
  another sheetbill worker holds it;
- a commit writes a new file beside it, checks nothing the admin put in it
  was lost, fsyncs, keeps the previous version as a backup and replaces the
  workbook atomically: a crash leaves the old file or the new one;
- if the file changed on disk since it was read, nothing is written (the
  next cycle reads again).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Callable, Generic, Iterator, Mapping, Sequence, TypeVar

from ..errors import UnsafeToWrite, WorkbookBusy, WorkbookError, WorkbookOpen
from . import cells, gc_hold
from ..core.changes import Changes, names_and_values
from .apply import apply_edits, copies, state_after
from .base import Committed, Snapshot, next_rows, with_state
from .cache import Cache
from .schema import Tab
from .sheet_cache import Grown, SheetCache
from .table import Table, column_letter, state_of, tables_of
from .xlsx import Layout, NewSheet, SheetEdit, fingerprints, lost_parts, patch_workbook, read_sheets
from .xlsx.values import WriteValue
from .xlsx.errors import BrokenWorkbook, NotAZip, XlsxError

T = TypeVar("T")

Stamp = tuple[int, int]  # the file's mtime (ns) and size when read: this book's snapshot version


def office_locks(path: Path) -> list[Path]:
    """Lock files Excel (`~$name.xlsx`) and LibreOffice (`.~lock.name.xlsx#`) leave while open."""
    folder, name = path.parent, path.name
    candidates = [folder / f"~${name}", folder / f"~${name[2:]}", folder / f".~lock.{name}#"]
    return [p for p in candidates if p.exists()]


def opened_at(lock: Path, now: datetime) -> datetime:
    """When the workbook was opened: its lock file is written then (`now` if it just went away)."""
    try:
        return datetime.fromtimestamp(lock.stat().st_mtime, UTC)
    except OSError:
        return now


def since(moment: datetime, now: datetime, zone: tzinfo) -> str:
    """`moment` on the practice's clock: 09:12 today, else 2026-11-20 17:05."""
    local = moment.astimezone(zone)
    return f"{local:%H:%M}" if local.date() == now.astimezone(zone).date() else f"{local:%Y-%m-%d %H:%M}"


def open_since(workbook: Path, lock: Path, now: datetime, zone: tzinfo) -> str:
    """How a cycle, `check` and `preview` say that a person has the workbook open: since when (on the
    practice's clock), and the lock file that says so."""
    return (f"{workbook.name} has been open in Excel or LibreOffice since "
            f"{since(opened_at(lock, now), now, zone)} ({lock.name} exists)")


def left_behind(lock: Path) -> str:
    """What to do about a lock file no one's Excel holds any more."""
    return f"if no one has it open, {lock.name} was left behind by a crash: delete it"


class ExcelBook:
    def __init__(self, path: Path, tabs: Sequence[Tab], backups: int = 5, patch=patch_workbook,
                 zone: tzinfo = UTC, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.path = Path(path)
        self.zone, self.now = zone, now  # the practice's clock, to say since when the workbook is open
        self._patch = patch  # the package writer; tests hand in a faulty one
        self.tabs = {t.key: t for t in tabs}
        self.backups = backups
        self.label = str(self.path.name)
        self.cache = Cache(self.path.parent / f".{self.path.name}.sheetbill-cache")
        self._leased = False
        self.sheets = SheetCache(self.path.parent / f".{self.path.name}.sheetbill-rows")  # sheets as last read

    def fingerprint(self) -> str | None:
        """The whole workbook's content, from the zip directory alone (None if unreadable)."""
        try:
            return ";".join(f"{k}={v}" for k, v in sorted(fingerprints(self.path).items()))
        except (XlsxError, OSError):
            return None

    # -- holding the file -------------------------------------------------
    def _check_usable(self) -> None:
        check_usable(self.path)

    @contextlib.contextmanager
    def lease(self) -> Iterator[None]:
        self._check_usable()
        lock_path = self.path.parent / f".{self.path.name}.sheetbill-lock"
        try:
            handle = open(lock_path, "a+")
        except OSError as exc:  # a folder sheetbill may not write in: it could not save the workbook either
            raise self._cannot_write(exc) from None
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise WorkbookBusy(f"{self.path.name}: another sheetbill worker is working on it; try again later") from None
            for stale in self.path.parent.glob(f".{self.path.stem}.*.xlsx.tmp"):
                stale.unlink(missing_ok=True)  # left by a run that was killed mid-commit
            for stale in self.path.parent.glob(f".{self.path.name}.sheetbill-rows.*"):
                stale.unlink(missing_ok=True)
            self._leased = True
            try:
                yield
            finally:
                self._leased = False
                gc_hold.release()
                self.sheets.save()  # what this cycle's reads and commits learnt
                fcntl.flock(handle, fcntl.LOCK_UN)

    def hold(self) -> bool:
        """The file lock lasts the whole cycle: held while `lease` is."""
        return True

    def check_not_open(self) -> None:
        found = office_locks(self.path)
        if found:
            now = self.now()
            raise WorkbookOpen(f"{open_since(self.path, found[0], now, self.zone)}; billing waits until "
                               f"it is closed, then the next run goes on ({left_behind(found[0])}). "
                               "Nothing was written.", opened_at(found[0], now))

    # -- reading ----------------------------------------------------------
    def read(self, history: bool = False) -> Snapshot[Stamp]:
        """Every tab; the Changelog's rows only with `history` (the cycle needs just its last hash,
        which the state keeps)."""
        self._check_usable()
        stat = self.path.stat()
        if self._leased:
            gc_hold.hold()  # until the commit or the end of the lease (see gc_hold.py)
        try:
            changelog = self.tabs["changelog"].name
            heads = () if history else [changelog]
            book = read_sheets(self.path, [t.name for t in self.tabs.values()], heads=heads,
                               known=self.sheets.without(changelog) if history else self.sheets)
            if not self._leased:  # in a cycle: saved by its commit, or at the end of the lease
                self.sheets.save()
        except XlsxError as exc:
            raise WorkbookError(self._unreadable(exc)) from None
        except OSError as exc:
            raise WorkbookError(f"{self.path}: cannot be read: {exc.strerror or exc}") from None
        sheets = {name: (v.rows, v.max_row) for name, v in book.sheets.items()}
        tables = tables_of(self.tabs, sheets, f"{self.path.name} has no tab '{{tab}}' "
                                              "(run `sheetbill check` to see what is missing)",
                           restore=f"restore {self.path.name} from the backups/ folder beside it")
        for table in tables.values():
            table.head = table.tab.name in heads
        state = state_of(tables)
        return Snapshot(tables, state, book.last_modified_by, (stat.st_mtime_ns, stat.st_size),
                        fingerprints=self._by_key(book.fingerprints))

    def _unreadable(self, exc: XlsxError) -> str:
        """Why the workbook cannot be read; for a damaged one (a save cut short), where its last good copy is."""
        text = str(exc) if str(exc).startswith(self.path.name) else f"{self.path.name}: {exc}"
        newest = self.path.parent / "backups" / f"{self.path.stem}.1{self.path.suffix}"
        if isinstance(exc, (NotAZip, BrokenWorkbook)) and newest.exists():
            text += (f"; if Excel cannot open it either, restore it from the backups/ folder beside it "
                     f"(the newest: backups/{newest.name})")
        return text

    def _by_key(self, by_name: Mapping[str, str]) -> dict[str, str]:
        return {key: by_name[tab.name] for key, tab in self.tabs.items() if tab.name in by_name}

    # -- writing ----------------------------------------------------------
    def commit(self, snapshot: Snapshot[Stamp], changes: Changes) -> Committed[Stamp]:
        if changes.empty:
            return Committed({}, snapshot)
        try:
            return self._commit(snapshot, changes)
        finally:
            gc_hold.release()

    def _commit(self, snapshot: Snapshot[Stamp], changes: Changes) -> Committed[Stamp]:
        self.check_not_open()
        body = Changes(changes.cells, changes.rows)
        tables = copies(snapshot.tables, body, also=("state",))  # new tabs and columns, then the rows written
        sheet_edits, new_sheets = self._sheet_edits(tables, body)
        stated = _Once(lambda: self._stated(snapshot.tables, tables, changes.state))
        state_table = tables.get("state")
        late = state_table is not None and state_table.exists and state_table.tab.name not in sheet_edits
        if not late:  # the state tab is added, or written with the rest
            for name, edit in stated()[1].items():
                sheet_edits[name] = _both(sheet_edits[name], edit) if name in sheet_edits else edit
            new_sheets += stated()[2]
        edits = _Once(lambda: body + stated()[0])
        placed = _Once(lambda: next_rows(snapshot.tables, edits()))
        applied = _Once(lambda: apply_edits(tables, edits(), placed()))  # to the copies: while the writer waits
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{self.path.stem}.", suffix=".xlsx.tmp", dir=self.path.parent)
        except OSError as exc:
            raise self._cannot_write(exc) from None
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            try:
                known = self._layouts()
                written = self._patch(self.path, tmp, sheet_edits, new_sheets, layouts=known, meanwhile=applied,
                                      last=(lambda: stated()[1]) if late else None)
            except XlsxError as exc:
                raise UnsafeToWrite(f"{self.path.name}: cannot write safely: {exc}. Nothing was written.") from None
            except OSError as exc:
                raise self._cannot_write(exc) from None
            if late:
                sheet_edits.update(stated()[1])
            grown = {name: Grown.of(edit) for name, edit in sheet_edits.items()}
            del sheet_edits  # the new rows as written: a first cycle's are the most it holds at once
            layouts = written.layouts if written is not None else {}
            counted = self.cache.get("features", {})  # what the parts the last commit wrote hold
            counted = dict(counted) if isinstance(counted, dict) else {}
            counted.update(written.counted if written is not None else {})  # and those the writer read whole
            lost = lost_parts(self.path, tmp, counted, layouts)
            if lost:
                raise UnsafeToWrite(f"{self.path.name}: writing would lose {'; '.join(lost)}. Nothing was written.")
            _same_access(self.path, tmp)
            _fsync(tmp)
            stat = self.path.stat()
            if (stat.st_mtime_ns, stat.st_size) != snapshot.version:
                raise WorkbookBusy(f"{self.path.name} was changed while sheetbill worked on it; nothing was written, the next run starts over")
            self.sheets.catch_up(self.path, tmp, grown, save=not self._leased)  # a cycle saves at the lease's end
            self._keep_backup()
            os.replace(tmp, self.path)
            _fsync_dir(self.path.parent)
            kept = {**known, **layouts}
            self.cache.put(features=counted, layouts={part: layout.to_json() for part, layout in kept.items()})
        finally:
            tmp.unlink(missing_ok=True)
        stat = self.path.stat()
        if not applied.done:  # a writer that had no time to spare
            applied()
        return Committed(placed(), replace(snapshot, tables=tables, state=state_after(snapshot.state, edits()),
                                       version=(stat.st_mtime_ns, stat.st_size),
                                       fingerprints=self._by_key(fingerprints(self.path))))

    def _stated(self, before: Mapping[str, Table], tables: Mapping[str, Table],
                state: Mapping[str, str]) -> tuple[Changes, dict[str, SheetEdit], list[NewSheet]]:
        """The state's cells and rows of the _sheetbill tab, and the sheet edits and new sheet
        they make. Asked for last: the state may be in the making (see cycle_book.Later)."""
        stated = with_state(before, Changes(state=state))
        edits, new_sheets = self._sheet_edits(tables, stated)
        return stated, edits, new_sheets

    def _cannot_write(self, exc: OSError) -> WorkbookError:
        """The new version could not be written beside the workbook (disk full, no permission)."""
        return WorkbookError(f"{self.path.name}: cannot write in {self.path.parent}: {exc.strerror or exc}. "
                             "Nothing was written; free the space or fix the folder's permissions, then run again")

    def _layouts(self) -> dict[str, Layout]:
        """The segments of the sheets the last commits wrote (each used only on the very part it describes)."""
        known = self.cache.get("layouts", {})
        found = {part: Layout.from_json(value) for part, value in known.items()} if isinstance(known, dict) else {}
        return {part: layout for part, layout in found.items() if layout is not None}

    def _keep_backup(self) -> None:
        if self.backups <= 0:
            return
        folder = self.path.parent / "backups"
        folder.mkdir(exist_ok=True)
        name = lambda i: folder / f"{self.path.stem}.{i}{self.path.suffix}"  # noqa: E731
        name(self.backups).unlink(missing_ok=True)
        for i in range(self.backups - 1, 0, -1):
            if name(i).exists():
                os.replace(name(i), name(i + 1))
        os.link(self.path, name(1))

    def _sheet_edits(self, tables: Mapping[str, Table], edits: Changes):
        """The cells to write per sheet, and the sheets to add (`tables` learn their new columns)."""
        updates: dict[str, dict[tuple[int, int], WriteValue]] = {}
        appends: dict[str, list[list[WriteValue]]] = {}
        new_sheets: list[NewSheet] = []
        for key, table in tables.items():
            if not table.exists and _touches(key, edits):
                new_sheets.append(NewSheet(table.tab.name, table.tab.headers, hidden=table.tab.hidden))
                made = [c for c in table.tab.columns if not c.optional]
                table.columns = {c.field: i for i, c in enumerate(made)}
                table.width, table.missing, table.exists = len(made), (), True
        spots: dict[str, dict[str, tuple[int, str]]] = {}  # tab -> field -> column, kind: 100,000s of rows on a first cycle

        def spot(tab: str, fld: str) -> tuple[int, str]:
            table = tables[tab]
            found = spots.setdefault(tab, {})[fld] = (self._column(table, fld, updates), table.tab.column(fld).kind)
            return found

        for w in edits.cells:
            col, kind = spots.get(w.tab, {}).get(w.field) or spot(w.tab, w.field)
            updates.setdefault(tables[w.tab].tab.name, {})[(w.row, col)] = cells.for_kind(kind, w.after)
        shapes: dict[tuple[str, tuple[str, ...]], tuple[list[tuple[int, str]], int]] = {}  # where each field goes
        for a in edits.rows:
            names, values = names_and_values(a.values)
            shape = shapes.get((a.tab, names))
            if shape is None:
                found = spots.setdefault(a.tab, {})
                spotted = [found.get(fld) or spot(a.tab, fld) for fld in names]
                shape = shapes[(a.tab, names)] = (spotted, max([tables[a.tab].width, 1] + [c + 1 for c, _ in spotted]))
            spotted, width = shape
            row: list[WriteValue] = [None] * width
            for (col, kind), value in zip(spotted, values):
                row[col] = cells.for_kind(kind, value)
            appends.setdefault(tables[a.tab].tab.name, []).append(row)
        sheet_edits = {}
        for table in tables.values():
            name = table.tab.name
            if name in updates or name in appends:
                money = frozenset(i for f, i in table.columns.items() if table.tab.column(f).kind == "money")
                sheet_edits[name] = SheetEdit(updates=updates.get(name, {}), appends=appends.get(name, []),
                                              money_columns=money)
        return sheet_edits, new_sheets

    @staticmethod
    def _column(table: Table, fld: str, updates: dict) -> int:
        """The column of `fld`; a worker column missing from the sheet gets its header added."""
        if fld in table.columns:
            return table.columns[fld]
        column = table.tab.column(fld)
        if not (column.worker or table.tab.worker):
            raise WorkbookError(f"Tab '{table.tab.name}' has no column '{column.header}'")
        idx = table.width
        table.columns[fld] = idx
        table.width += 1
        updates.setdefault(table.tab.name, {})[(1, idx)] = column.header
        return idx


class _Once(Generic[T]):
    """`work()`, done on the first call only; its result, kept."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work
        self._made: list[T] = []

    @property
    def done(self) -> bool:
        return bool(self._made)

    def __call__(self) -> T:
        if not self._made:
            self._made.append(self.work())
        return self._made[0]


def _both(first: SheetEdit, then: SheetEdit) -> SheetEdit:
    """Two edits of one sheet as one (`then`'s cells written after `first`'s)."""
    return SheetEdit(updates={**first.updates, **then.updates}, appends=[*first.appends, *then.appends],
                     money_columns=first.money_columns | then.money_columns)


def _touches(key: str, edits: Changes) -> bool:  # noqa: D103
    return any(w.tab == key for w in edits.cells) or any(a.tab == key for a in edits.rows)


def _same_access(original: Path, new: Path) -> None:
    """The new file gets the workbook's mode and group, so a colleague or a sync
    client in the group keeps access (a temporary file starts owner-only)."""
    was = original.stat()
    try:
        os.chown(new, -1, was.st_gid)
    except OSError:
        pass  # not a member of that group: the mode is kept all the same
    os.chmod(new, was.st_mode & 0o7777)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


__all__ = ["ExcelBook", "office_locks", "column_letter"]


def check_usable(path: Path) -> None:
    """WorkbookError, saying what to do, when `path` is not a workbook file."""
    if not path.exists():
        raise WorkbookError(f"{path}: no such workbook (create one with `sheetbill init DIR`)")
    if not path.is_file():
        raise WorkbookError(f"{path}: is a folder, not a workbook; name the .xlsx file in `workbook:`")
