"""A workbook put back to a version older than the one this worker last wrote (a
backup copied over it, a file sync that lost the newest save): going on from it
would issue again the numbers, receipts and emails of the runs since, to other
sessions and clients. The cache beside the workbook remembers the Changelog's
last Hash as the worker last wrote it; a workbook whose Changelog does not hold
that Hash is older, and a run refuses it until a person says what to do.

Only a safety net: without the cache file (deleted, or a backend that keeps
none) nothing is checked.
"""

from __future__ import annotations

from ..errors import UnsafeToWrite
from . import records
from .base import Book, Snapshot
from .cache import Cache

WRITTEN = "written_hash"  # the cache's entry: the Changelog's last Hash the worker wrote


def remember(cache: Cache, last_hash: str | None) -> None:
    if last_hash:
        cache.put(**{WRITTEN: last_hash})


def check_not_older(book: Book, snapshot: Snapshot, name: str) -> None:
    """Raise UnsafeToWrite when the workbook (`name`) is older than the version this worker
    last wrote; a newer one (another run wrote since) is fine."""
    written = book.cache.get(WRITTEN)
    now = snapshot.state.get("changelog_hash")
    if not written or not now or now == written or book.cache.path is None:
        return
    history = book.read(history=True)
    if any(change.hash == written for change in records.changes(history.tables["changelog"])):
        return
    raise UnsafeToWrite(
        f"{name} is older than the version sheetbill last wrote (put back from a backup?): going on from it "
        "would issue the numbers, receipts and emails of the runs since again, to other sessions. Put the newest "
        f"version back, or, to go on from this one on purpose, delete {book.cache.path.name} beside it and run "
        "again. Nothing was written.")
