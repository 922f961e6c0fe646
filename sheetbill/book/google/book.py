"""The Google Sheets backend: the workbook is a spreadsheet, read in one
request and written in one atomic batchUpdate per commit.

Requests per cycle: an idle cycle is one `spreadsheets.getByDataFilter`
(every tab; of the Changelog only its header and last row). A cycle that
writes adds, whatever the number of invoices: one batchUpdate that tags the
rows it is about to write for the first time (see `anchors`), one per
commit of the worker, one to hand the lease back; and one read more only
when someone moved rows while it worked.

Two workers: see `lease`. People editing meanwhile: see `anchors`.
"""

from __future__ import annotations

import contextlib
import random
import re
from dataclasses import replace
from datetime import datetime, timezone
from typing import Callable, Iterator, Mapping, Sequence

from ...errors import SheetbillError, WorkbookBusy, WorkbookError
from .. import cells, state as snapshots
from ...core.changes import Changes
from ..apply import apply_edits, copies, state_after
from ..base import Committed, Snapshot, next_rows, with_state
from ..cache import Cache
from ..schema import Tab
from ..table import Table, state_of, tables_of
from . import anchors, commit, grid, values
from .commit import Outcome
from ...google.errors import explain
from ...google.http import Google
from .layout import Layout
from .lease import LEASE_ID, RENEW, TTL, Lease, new_holder, swap
from ...google.retry import ApiFailure

DATES = ("date", "datetime")
RELOCATIONS = 3  # times a commit follows rows that moved before giving up for this cycle
_REQUEST_INDEX = re.compile(r"requests\[(\d+)\]")


class GoogleBook:
    """A Google Sheet as the workbook (the `Book` protocol)."""

    def __init__(self, google: Google, spreadsheet_id: str, tabs: Sequence[Tab],
                 now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 holder: str | None = None, rng: random.Random | None = None) -> None:
        self.google, self.spreadsheet_id = google, spreadsheet_id
        self.tabs = {t.key: t for t in tabs}
        self.now = now
        self.holder = holder or new_holder()
        self.rng = rng or random.Random()
        self.label = f"Google Sheet {spreadsheet_id}"
        self.cache = Cache(None)  # nothing to fingerprint without reading: every cycle reads
        self._cycle = False
        self._current: str | None = None  # the lease value as last seen in the spreadsheet
        self._lease: Lease | None = None  # the lease this worker holds
        self._snapshot: Snapshot[Layout] | None = None
        self._editor_names = True  # False once Drive would not say who edited

    # -- the lease ------------------------------------------------------------------
    @contextlib.contextmanager
    def lease(self) -> Iterator[None]:
        """Hold the spreadsheet for one cycle. Claimed with the first write (an
        idle cycle writes nothing and takes nothing), handed back at the end."""
        self._cycle, self._lease = True, None
        try:
            yield
        finally:
            self._cycle = False
            if self._lease is not None and self._snapshot is not None:
                with contextlib.suppress(SheetbillError):
                    self.commit(self._snapshot, Changes(state={"lease": f"free since {self._stamp(self.now())}"}),
                                releasing=True)
            self._lease = None

    def fingerprint(self) -> str | None:
        """None: a Google Sheet cannot be fingerprinted without reading it."""
        return None

    def hold(self) -> bool:
        """Whether this worker holds the lease for a while yet (renewing or
        claiming it if needed): asked before each email goes out."""
        if self._lease is not None and self._lease.expires - self.now() > RENEW:
            return True
        new = self._next_lease()
        try:
            self._send(swap(self._current, new), new)
        except (WorkbookBusy, ApiFailure):
            return False
        self._current, self._lease = new.value, new
        return True

    def _next_lease(self) -> Lease:
        now = self.now()
        seen = Lease.parse(self._current or "")
        return (self._lease or seen or Lease(self.holder, now)).renewed(self.holder, now)

    # -- reading --------------------------------------------------------------------
    def read(self, history: bool = False) -> Snapshot[Layout]:
        """Every tab in one request; of the Changelog only its header and last row
        (the cycle needs just its last hash, which the state keeps), unless `history`."""
        heads = set() if history else {self.tabs[k].name for k in commit.HEADS}
        read = grid.parse(self._fetch(heads))
        if any(read.sheets[n].last is None for n in heads if n in read.sheets):
            read = grid.parse(self._fetch(set()))  # its last row is not tagged (yet): read it whole, once
        layout = Layout.of(read, {k: t.name for k, t in self.tabs.items()}, self.rng)
        layout.ids |= {g.sheet_id for g in read.sheets.values()}
        def with_dates(table: Table) -> None:
            table.rows = values.dates(table.rows, _date_kinds(table))

        sheets = {name: (g.rows, g.last_row) for name, g in read.sheets.items()}
        tables = tables_of(self.tabs, sheets, f"{self.label} has no tab '{{tab}}' "
                                              "(run `sheetbill init --google` to add it)", with_dates,
                           restore="restore it from the spreadsheet's version history (File > Version history)")
        lease = read.metadata.get(LEASE_ID, ("", ""))[1] or None
        self._check_lease(lease)
        state = state_of(tables)
        self._snapshot = Snapshot(tables, state, self._editor(tables, state), layout)
        return self._snapshot

    def _fetch(self, heads: set[str]) -> dict:
        names = [t.name for t in self.tabs.values()]
        try:
            return self._get(names, heads)
        except ApiFailure as failure:
            if failure.status != 400 or "Unable to parse range" not in failure.message:
                raise self._error(failure, "reading the spreadsheet") from None
        try:
            answer = self.google.sheets("get", f"/{self.spreadsheet_id}", params={"fields": "sheets.properties.title"})
        except ApiFailure as failure:
            raise self._error(failure, "reading the spreadsheet") from None
        titles = {s["properties"]["title"] for s in answer.get("sheets") or ()}
        present = [n for n in names if n in titles]
        if not present:
            return {}
        try:
            return self._get(present, heads)
        except ApiFailure as failure:
            raise self._error(failure, "reading the spreadsheet") from None

    def _get(self, names: list[str], heads: set[str]) -> dict:
        return self.google.sheets("post", f"/{self.spreadsheet_id}:getByDataFilter", params={"fields": grid.FIELDS},
                                  body={"dataFilters": grid.filters(names, heads), "includeGridData": True})

    def _check_lease(self, value: str | None) -> None:
        self._current = value
        lease = Lease.parse(value or "")
        if self._cycle and lease is not None and lease.held_by_other(self.holder, self.now()):
            raise WorkbookBusy(f"{self.label}: another sheetbill worker ({lease.holder}) is working on it until "
                               f"{self._stamp(lease.expires)}; nothing was done, the next run goes on")

    def _editor(self, tables: Mapping[str, Table], state: Mapping[str, str]) -> str | None:
        """Who last changed the sheet, asked of Drive only when rows changed since
        the worker's last write (and only while Drive answers: with the narrow
        drive.file permission it does not for a sheet the admin created)."""
        if not self._editor_names:
            return None
        texts = snapshots.Texts(tables)
        changed = any(state.get(f"snapshot/{tab}/digest") not in (None, texts.digest(tab)) for tab in texts.rows)
        if not changed:
            return None
        drive = self.google.service("drive")
        try:
            found = self.google.execute(lambda: drive.files().get(
                fileId=self.spreadsheet_id, fields="lastModifyingUser(displayName,me)"))
        except ApiFailure:
            self._editor_names = False
            return None
        user = found.get("lastModifyingUser") or {}
        return None if user.get("me") else user.get("displayName") or None

    # -- writing --------------------------------------------------------------------
    def commit(self, snapshot: Snapshot[Layout], changes: Changes, releasing: bool = False) -> Committed[Layout]:
        if changes.empty:
            return Committed({}, snapshot)
        if not releasing:
            changes = Changes(changes.cells, changes.rows,
                              {**changes.state, "lease": f"{self.holder} until {self._stamp(self.now() + TTL)}"})
        edits = with_state(snapshot.tables, changes)
        rows = next_rows(snapshot.tables, edits)
        # the layout learns where rows are as the commit goes (new tags, rows people moved): a copy's;
        # the lease is handed back on what this book knows, whether the commit lands or not
        snapshot = self._snapshot = replace(snapshot, version=snapshot.version.copy())
        layout = snapshot.version
        self._tag(snapshot, edits)
        for _ in range(RELOCATIONS + 1):
            new = self._next_lease()
            if releasing:  # an expired lease in its place, still compared-and-set
                new = Lease("free", self.now(), new.n)
            try:
                batch = commit.build(snapshot.tables, layout, edits, rows, swap(self._current, new))
            except commit.RowsUnknown as unknown:
                raise WorkbookBusy(f"{self.label}: rows sheetbill was writing to were deleted or moved away "
                                   f"({unknown}); nothing was written, the next run starts over") from None
            try:
                self._send(batch.requests, new)
            except ApiFailure as failure:
                index = _failed_request(failure)
                if index is not None and index == batch.lease_at:
                    raise self._lost() from None
                if index is not None and index in batch.guards:
                    self._follow(snapshot)
                    continue
                raise self._error(failure, "writing to the spreadsheet") from None
            return Committed(rows, self._landed(snapshot, batch.outcome, edits, rows, new, releasing))
        raise WorkbookBusy(f"{self.label}: rows kept moving while sheetbill wrote; nothing was written, "
                           "the next run starts over")

    def _send(self, requests: list[dict], new: Lease, echo: list[str] | None = None) -> dict:
        """Send one batchUpdate (with the rows of `echo` in the answer). Refusals
        (429) are retried by the backoff; when the outcome is unknown (5xx, no
        answer), the lease says whether it landed (then the answer is {}): a copy
        sent again cannot land twice, its compare-and-set would fail."""
        body: dict = {"requests": requests}
        params = None
        if echo:
            body.update(includeSpreadsheetInResponse=True, responseRanges=echo, responseIncludeGridData=True)
            params = {"fields": f"updatedSpreadsheet({grid.WITH_FORMATS})"}
        path = f"/{self.spreadsheet_id}:batchUpdate"
        backoff = self.google.backoff
        for attempt in range(backoff.attempts):
            try:
                return self.google.sheets("post", path, params=params, body=body, idempotent=False)
            except ApiFailure as failure:
                if not failure.transient or failure.refused:
                    raise
                seen = self._lease_value()
                if seen == new.value:
                    return {}
                if seen != self._current:
                    raise self._lost() from None
                backoff.sleep(backoff.delay(attempt, failure))
        raise WorkbookBusy(f"{self.label}: Google Sheets did not answer; nothing was written, the next run goes on")

    def _lease_value(self) -> str | None:
        try:
            found = self.google.sheets("get", f"/{self.spreadsheet_id}/developerMetadata/{LEASE_ID}")
        except ApiFailure as failure:
            if failure.status == 404:
                return None
            raise self._error(failure, "checking a write") from None
        return found.get("metadataValue")

    def _landed(self, snapshot: Snapshot[Layout], outcome: Outcome, edits: Changes,
                rows: Mapping[tuple[str, str], int], new: Lease, releasing: bool) -> Snapshot[Layout]:
        """The snapshot as the batch leaves it (`snapshot`'s layout is this commit's own copy)."""
        layout = snapshot.version
        tables = copies(snapshot.tables, edits)
        for key, columns in outcome.columns.items():
            table, place = tables[key], layout.tabs[key]
            if key in outcome.new_sheets:
                place.sheet_id = outcome.new_sheets[key]
                table.exists, table.missing = True, ()
            table.columns = columns
            table.width = max([table.width] + [c + 1 for c in columns.values()])
            place.row_count, place.col_count = outcome.sizes[key]
            place.append_at += outcome.appended.get(key, 0)
            for logical, (tag, physical) in outcome.tags.get(key, {}).items():
                place.tag_of[logical], place.where[tag] = tag, physical
            place.end = outcome.ends.get(key, place.end)
            place.last = outcome.lasts.get(key, place.last)
        apply_edits(tables, edits, rows)
        self._current, self._lease = new.value, None if releasing else new
        self._snapshot = replace(snapshot, tables=tables, state=state_after(snapshot.state, edits))
        return self._snapshot

    # -- rows that people moved -----------------------------------------------------
    def _tag(self, snapshot: Snapshot[Layout], edits: Changes) -> None:
        """Tag the rows these edits write to that have no tag yet, in one batchUpdate
        that also echoes those rows: a row whose key is not the one planned on
        (someone moved rows in the meantime) stops the cycle."""
        layout = snapshot.version
        need: dict[str, set[int]] = {}
        for w in edits.cells:
            place = layout.tabs[w.tab]
            if place.sheet_id is not None and w.row > 1 and w.row not in place.tag_of:
                need.setdefault(w.tab, set()).add(w.row)
        if not need:
            return
        if any(layout.tabs[k].moved for k in need):
            raise WorkbookBusy(f"{self.label}: rows moved while sheetbill worked; nothing was written, "
                               "the next run starts over")
        new = self._next_lease()
        requests = swap(self._current, new)
        lease_at = len(requests) - 1
        tags: dict[tuple[str, int], int] = {}
        for key, wanted in need.items():
            place = layout.tabs[key]
            assert place.sheet_id is not None  # only tabs that have a sheet need tags
            for row in sorted(wanted):
                tags[(key, row)] = layout.new_id()
                requests.append(anchors.create(tags[(key, row)], grid.TAG, place.sheet_id, row))
        ranges = [f"{grid.quoted(layout.tabs[k].title)}!{r}:{r}" for k, r in tags]
        try:
            answer = self._send(requests, new, echo=ranges)
            if not answer:  # it landed but the answer was lost: read those rows back (in the body: a URL
                # with thousands of ranges is refused with 414)
                answer = {"updatedSpreadsheet": self.google.sheets(
                    "post", f"/{self.spreadsheet_id}:getByDataFilter", params={"fields": grid.WITH_FORMATS},
                    body={"dataFilters": [{"a1Range": r} for r in ranges], "includeGridData": True})}
        except ApiFailure as failure:
            if _failed_request(failure) == lease_at:
                raise self._lost() from None
            raise self._error(failure, "writing to the spreadsheet") from None
        self._current, self._lease = new.value, new
        echoed = grid.parse(answer.get("updatedSpreadsheet") or {})
        now: dict[str, dict[int, tuple[object, ...]]] = {}  # tab key -> row -> cells, dates as `read` gives them
        planned: dict[str, dict[int, tuple[object, ...]]] = {}  # the same, as planned on
        for (key, row), tag in tags.items():
            table, place = snapshot.tables[key], layout.tabs[key]
            sheet = echoed.sheets.get(place.title)
            if sheet is not None and key not in now:
                now[key], planned[key] = dict(values.dates(sheet.rows, _date_kinds(table))), dict(table.rows)
            if sheet is None or sheet.tags.get(row) != tag or not _same_row(table, planned[key].get(row, ()),
                                                                             now[key].get(row, ())):
                raise WorkbookBusy(f"{self.label}: rows moved while sheetbill worked ({table.tab.name} row {row}); "
                                   "nothing was written, the next run starts over")
            place.tag_of[row], place.where[tag] = tag, row
        for key in now:  # the echo holds the rows just tagged, with their cells' number formats
            layout.tabs[key].formats.update(echoed.sheets[layout.tabs[key].title].formats)

    def _follow(self, snapshot: Snapshot[Layout]) -> None:
        """Rows moved: read where every tag is now."""
        fresh = grid.parse(self._fetch({self.tabs[k].name for k in commit.HEADS}))
        layout = snapshot.version
        for place in layout.tabs.values():
            sheet = fresh.sheets.get(place.title)
            if sheet is not None and place.sheet_id == sheet.sheet_id:
                place.follow(sheet)
        layout.ids |= set(fresh.metadata)
        value = fresh.metadata.get(LEASE_ID, ("", ""))[1] or None
        if value != self._current:
            raise self._lost()

    # -- messages -------------------------------------------------------------------
    def _lost(self) -> WorkbookBusy:
        self._lease = None
        return WorkbookBusy(f"{self.label}: another sheetbill worker took the spreadsheet over; this one wrote "
                            "nothing more and stops")

    def _error(self, failure: ApiFailure, what: str) -> SheetbillError:
        text = explain(failure, f"{self.label}: {what}")
        return WorkbookBusy(text) if failure.transient else WorkbookError(text)

    @staticmethod
    def _stamp(moment: datetime) -> str:
        return f"{moment.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"


def _failed_request(failure: ApiFailure) -> int | None:
    """The index of the request a 400 names (`Invalid requests[3].createDeveloperMetadata: ...`)."""
    if failure.status != 400:
        return None
    found = _REQUEST_INDEX.search(failure.message)
    return int(found.group(1)) if found else None


def _date_kinds(table: Table) -> dict[int, str]:
    """Column index -> `date` / `datetime` of the table's date columns (the API sends serial numbers)."""
    return {i: table.tab.column(f).kind for f, i in table.columns.items() if table.tab.column(f).kind in DATES}


def _same_row(table: Table, mine: tuple[object, ...], now: tuple[object, ...]) -> bool:
    """Whether the row echoed now is the row planned on: same key, or same cells when it has none."""
    key = table.tab.key_field
    if key and key in table.columns and _text(table.get(mine, key)):
        return _text(table.get(mine, key)) == _text(table.get(now, key))
    return _texts(mine) == _texts(now)


def _texts(row: tuple[object, ...]) -> list[str]:
    out = [_text(v) for v in row]
    while out and not out[-1]:
        out.pop()
    return out


def _text(value: object) -> str:
    try:
        return cells.text(value)
    except cells.CellProblem:
        return repr(value)

