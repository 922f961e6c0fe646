"""The workbook as one cycle uses it: read with every row as text, and commits that carry
their own Changelog rows (hash-chained) and the new snapshot of what the worker saw.

`Reading` is what a cycle knows at a moment: the snapshot, the ledger made of it, the
human edits not yet written to the Changelog, and state rebuilt for this cycle.
"""

from __future__ import annotations

import logging
import secrets
from contextlib import nullcontext
from functools import partial
from itertools import chain
from dataclasses import dataclass, field, replace
from typing import Callable, Iterator, Mapping, Sequence

from ..config import Config
from ..core import changelog
from ..core.dashboard import dashboard_writes
from ..core.history import human_edits
from ..core import issued
from ..core.identity import identify
from ..core.model import Ledger
from ..core.changes import Changes, CellWrite, RowAppend
from ..core.protect import Restoration, restore_finalized
from ..core.recover import state_from_changelog
from . import records, shape, state, went_back
from .base import Book, Committed, Placed, Snapshot, next_rows
from .cells import text as cell_text, typed as cell_typed
from .state import Texts, snapshot_updates
from .xlsx import apart
from .xlsx.apart import Apart

log = logging.getLogger("sheetbill")
ACTOR = "sheetbill"
SCHEMA_VERSION = "1"
LET_GO = 10_000  # rows and cells written, past which a commit's texts are kept encoded only (see Texts.let_go)


@dataclass
class Reading:
    snapshot: Snapshot
    ledger: Ledger
    people: list[changelog.Change] = field(default_factory=list)  # human edits, written with the next commit
    recovered: dict[str, str] = field(default_factory=dict)  # state rebuilt this cycle, written with its commits


class CycleBook:
    def __init__(self, config: Config, book: Book, now: Callable) -> None:
        self.config, self.book, self.now = config, book, now

    def read(self) -> Snapshot:
        snapshot = self.book.read()
        unchanged = state.unchanged_tabs(snapshot.fingerprints, snapshot.state, self.book.cache)
        return replace(snapshot, texts=Texts(snapshot.tables, unchanged, snapshot.state))

    def ledger(self, snapshot: Snapshot) -> Ledger:
        ledger = records.ledger(snapshot.tables, self.config.day_first)
        return replace(ledger, receipts_issued=issued.receipts_issued(snapshot.state))

    def reading(self) -> Reading:
        """A fresh read: the snapshot and its ledger."""
        snapshot = self.read()
        return Reading(snapshot, self.ledger(snapshot))

    def first_reading(self) -> Reading:
        """The cycle's first read: lost state rebuilt, the workbook's own id made on its first
        run, and the edits people made since the last cycle."""
        snapshot = self.read()
        went_back.check_not_older(self.book, snapshot, self.config.workbook.name if self.config.workbook else "The Google Sheet")
        recovered = self.recover(snapshot)
        made, identity = self.identify({**snapshot.state, **recovered})
        recovered.update(made)
        snapshot = replace(snapshot, state={**snapshot.state, **recovered})  # as the next commit writes it
        return Reading(snapshot, self.ledger(snapshot), identity + self.human_edits(snapshot), recovered)

    def recover(self, snapshot: Snapshot) -> dict[str, str]:
        """State rebuilt from the Changelog when _sheetbill lost it (written with the next commit)."""
        if "changelog_hash" in snapshot.state or snapshot.tables["changelog"].last_row <= 1:
            return {}
        history = self.book.read(history=True)
        recovered = state_from_changelog(records.changes(history.tables["changelog"]))
        log.warning("the _sheetbill tab had no state; rebuilt it from the Changelog")
        return recovered

    def identify(self, state_: Mapping[str, str]) -> tuple[dict[str, str], list[changelog.Change]]:
        """A workbook's own id (see core.identity), made on its first run and committed with it:
        the state entry and its Changelog entry (none for a workbook that has one)."""
        return identify(state_, lambda: secrets.token_hex(8), self.stamp(), ACTOR, "_sheetbill")

    def previous(self, snapshot: Snapshot) -> dict[str, dict[str, dict[str, str]]]:
        """The rows as the last cycle left them (from the snapshot in the state)."""
        assert snapshot.texts is not None  # read() keeps them
        return state.previous(snapshot.texts, snapshot.state)

    def restoration(self, seen: Reading) -> Restoration:
        """Edits people made to finalized invoices since the last cycle, and how to undo them (core.protect)."""
        snapshot = seen.snapshot
        assert snapshot.texts is not None  # read() keeps them
        before = self.previous(snapshot)
        undo = restore_finalized(before, snapshot.texts.rows, snapshot.texts.row_of(), seen.ledger.invoices,
                                 have_snapshot=any(k.startswith("snapshot/") for k in snapshot.state),
                                 unreadable=state.unreadable(snapshot.texts, before, snapshot.state))
        return replace(undo, writes=[replace(w, after=self._typed(w.tab, w.field, w.after)) for w in undo.writes],
                       appends=[replace(a, values={f: self._typed(a.tab, f, v) for f, v in a.values.items()})
                                for a in undo.appends])

    def _typed(self, tab: str, fld: str, value: object) -> object:
        """A snapshot's text as the value its cell held (core.protect undoes edits with the
        texts it compares): a Total typed over comes back a number, not "73.21" as text."""
        return cell_typed(self.config.tab(tab).column(fld).kind, value) if isinstance(value, str) else value

    def human_edits(self, snapshot: Snapshot) -> list[changelog.Change]:
        assert snapshot.texts is not None  # read() keeps them
        before = self.previous(snapshot)
        return human_edits(before, snapshot.texts.rows, self.stamp(), snapshot.editor or "editor",
                           lambda t: self.header(t, ""), self.header)

    def header(self, tab: str, fld: str) -> str:
        t = self.config.tab(tab)
        return t.name if not fld else t.column(fld).header

    def stamp(self) -> str:
        return changelog.utc_stamp(self.now())

    def commit(self, snapshot: Snapshot, changes: Changes, action: str | None = None) -> Committed:
        """One atomic write: `changes`, the Changelog rows (`changes.log`, then one per row and
        cell written, hash-chained) and the new snapshot of the rows in the state. `snapshot`
        is left as it was: the result holds the one after the commit."""
        before = snapshot.texts
        assert before is not None  # read() keeps them
        big = len(changes.log) + 2 * (len(changes.rows) + len(changes.cells)) > LET_GO  # with its Changelog rows
        aside = Apart(partial(_snapshot_updates, before, changes, next_rows(snapshot.tables, changes),
                              snapshot.state)) if big and apart.available() else None
        with aside or nullcontext():  # the new snapshot made in a helper process meanwhile
            written, logs = self._logged(snapshot, changes, action)
            appended = next_rows(snapshot.tables, written)
            others = {**changes.state, **issued.after_commit(self.config.rules.receipt_pattern, snapshot.state,
                                                             changes)}
            shaped = shape.updates(snapshot.tables, written, appended, snapshot.state)
            made: list[Texts] = []

            def state_() -> dict[str, str]:
                """The state to write: `others`, the new snapshot's entries and the Changelog's hash."""
                found = aside.result() if aside is not None else None
                texts = before.stored_after(written, {**snapshot.state, **others, **found, **logs}) \
                    if found is not None else None
                if texts is None or found is None:  # made here: no helper, or it gave nothing
                    texts = before.after(written, appended)
                    found = snapshot_updates(texts, snapshot.state)
                    if big:
                        texts.let_go({**snapshot.state, **others, **found, **logs})
                made.append(texts)
                return {**others, **found, **logs}

            if big and (written.cells or written.rows):  # the book asks for the state once it needs it
                later = Later(lambda: {**state_(), **shaped})
                done = self.book.commit(snapshot, replace(written, state=later))
                len(later)  # made, were it not asked for
            else:
                now = state_()
                if replace(written, state=now).empty:
                    return Committed({}, snapshot)
                done = self.book.commit(snapshot, replace(written, state={**now, **shaped}))  # the shape along others
        texts = made[0]
        texts.written(done.snapshot.tables, done.snapshot.state)
        after = replace(done.snapshot, texts=texts)
        state.remember(after.fingerprints, texts, after.state, self.book.cache)
        went_back.remember(self.book.cache, logs.get("changelog_hash"))
        return Committed(done.rows, after)

    def _logged(self, snapshot: Snapshot, changes: Changes, action: str | None) -> tuple[Changes, dict[str, str]]:
        """`changes` with their Changelog rows (`changes.log`, then one per row and cell written,
        the Dashboard's aside, hash-chained on from the last), and the state entries that say
        where the chain now ends (none when nothing is logged)."""
        logged = Changes(tuple(w for w in changes.cells if w.tab != "dashboard"), changes.rows)
        ours = changelog.entries(logged, self.now(), ACTOR, self.header, action)
        rows = changelog.chained_rows(chain((c.fields() for c in changes.log), ours),
                                      snapshot.state.get("changelog_hash", changelog.GENESIS))
        logs = {"changelog_hash": rows[-1][0], "schema_version": SCHEMA_VERSION} if rows else {}
        return Changes(changes.cells, changes.rows + tuple(RowAppend("changelog", h, r) for h, r in rows)), logs

    def commit_and_read(self, seen: Reading, changes: Changes, action: str | None = None,
                        recovered: bool = False) -> Reading:
        """Commit (with the human edits still to log, and with `recovered` the rebuilt state too),
        then read again so that what follows plans on what was written."""
        self.commit(seen.snapshot, Changes.of(state=seen.recovered if recovered else {}, log=seen.people) + changes,
                    action)
        return replace(self.reading(), recovered=seen.recovered)

    def dashboard_cells(self, snapshot: Snapshot, rows: Callable[[], Sequence[tuple[str, object, object]]],
                        along: bool) -> list[CellWrite]:
        """The Dashboard cells that change to show `rows()` (core.dashboard); none without the tab, and
        none where only its time of update would change and nothing else is written (`along`)."""
        table = snapshot.tables.get("dashboard")
        if table is None:
            return []
        fields: list[str] = [f for f in ("item", "value", "count") if f in table.columns]
        current = {r: {f: table.get(v, f) for f in fields} for r, v in table.rows}
        board = dashboard_writes(rows(), current, cell_text)
        return board if along or any(w.key != "Updated at" for w in board) else []

    def muted(self, snapshot: Snapshot, tab: str, is_muted: Callable[[str], bool]) -> frozenset[str]:
        """The keys of `tab`'s rows whose Reminders column mutes them."""
        table = snapshot.tables[tab]
        if "reminders" not in table.columns:
            return frozenset()
        key = table.tab.key_field
        return frozenset(cell_text(table.get(v, key)) for _, v in table.rows
                         if is_muted(cell_text(table.get(v, "reminders"))))


class Later(Mapping[str, str]):
    """A mapping made when first read: a big commit's state, whose snapshot is being made in a
    helper process while the book turns the rest of the commit into its own edits."""

    def __init__(self, make: Callable[[], Mapping[str, str]]) -> None:
        self._make: Callable[[], Mapping[str, str]] | None = make
        self._made: Mapping[str, str] = {}

    def _now(self) -> Mapping[str, str]:
        if self._make is not None:
            self._made, self._make = self._make(), None
        return self._made

    def __getitem__(self, key: str) -> str:
        return self._now()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._now())

    def __len__(self) -> int:
        return len(self._now())


def _snapshot_updates(texts: Texts, changes: Changes, appended: Placed, state: Mapping[str, str]) -> dict[str, str]:
    """The state entries of the snapshot once `changes` are written, rows at `appended` (the
    Changelog's rows left out: it is not in the snapshot). Run in a helper process."""
    return snapshot_updates(texts.after(changes, appended), state)


class Commits:
    """Commits made one after another (an email's mark, then its record: see
    deliver/exactly_once.py), each on the snapshot the one before left; `snapshot` is the latest."""

    def __init__(self, book: CycleBook, snapshot: Snapshot) -> None:
        self.book, self.snapshot = book, snapshot

    def __call__(self, changes: Changes) -> None:
        self.snapshot = self.book.commit(self.snapshot, changes).snapshot
