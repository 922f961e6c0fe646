"""The Changelog's hash chain, checked by every cycle (not only `audit`).

Where a cycle reads the Changelog's last row (Google): its Hash must be the last one
sheetbill wrote (kept in the worker state), or entries were deleted or the
last one edited. Where the backend can tell that the Changelog sheet changed
(an Excel file's parts carry checksums), the whole chain is verified again
after each change nobody but sheetbill made; the verified version is cached.
"""

from __future__ import annotations

from .book import records
from .book.base import Book, Snapshot
from .book.cache import Cache
from .book.cells import text
from .core.changelog import broken_links

HINT = "run `sheetbill audit` and restore the Changelog from a backup"


class ChainCheck:
    def __init__(self, book: Book, cache: Cache) -> None:
        self.book, self.cache = book, cache

    def findings(self, snapshot: Snapshot) -> list[str]:
        """Sentences saying where the chain is broken; [] when it holds."""
        out = self._tail(snapshot)
        key = snapshot.fingerprints.get("changelog")
        if key and self.cache.get("chain_ok") != key:
            history = self.book.read(history=True)
            out += broken_links(records.changes(history.tables["changelog"]))
        return [f"Changelog: {f}; {HINT}" for f in out]

    def passed(self, snapshot: Snapshot) -> None:
        """The chain held at the start of a cycle that then wrote only well-chained rows."""
        key = snapshot.fingerprints.get("changelog")
        if key:
            self.cache.put(chain_ok=key)

    @staticmethod
    def _tail(snapshot: Snapshot) -> list[str]:
        table = snapshot.tables.get("changelog")
        expected = snapshot.state.get("changelog_hash")
        if table is None or not table.exists or not expected or "hash" not in table.columns:
            return []
        rows = [(r, v) for r, v in table.rows if any(text(x) for x in v)]
        if not rows:  # a backend that read only the header: the full check covers it
            return []
        if text(table.get(rows[-1][1], "hash")) == expected:
            return []
        return [(f"the last entry (row {rows[-1][0]}) is not the last one sheetbill wrote: entries were deleted, "
                 "or the last one edited")]
