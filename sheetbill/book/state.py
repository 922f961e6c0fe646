"""The hidden _sheetbill tab: the worker's state, and the snapshot of the rows.

The snapshot is every tab's rows as text (key -> values) as the worker last
left them, so the next cycle can tell a person's edits from its own, and
restore a finalized invoice someone changed. It is stored compressed, in
chunks that fit a cell (Excel: 32,767 characters, Sheets: 50,000); a tab
whose digest has not changed is never decoded.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import zlib
from typing import Mapping

from . import cells
from ..core.changes import Changes
from .cache import Cache
from .table import Table

SNAPSHOT_TABS = ("sessions", "clients", "services", "invoices", "lines", "payments", "cash")
CHUNK = 30000


def key_of(tab: str, texts: Mapping[str, str], row: int) -> str:
    """A row's identity in the snapshot, from its texts."""
    if tab == "services":
        key = f"{texts.get('code', '')} {texts.get('valid_from', '')}".strip()
    elif tab == "lines":
        key = "/".join(texts.get(f, "") for f in ("invoice_no", "session_id", "code"))
    elif tab == "clients":
        key = texts.get("client_id", "") or texts.get("name", "")
    else:
        key = texts.get({"cash": "date"}.get(tab, _KEY_FIELD[tab]), "")
    return key or f"row {row}"


_KEY_FIELD = {"sessions": "session_id", "invoices": "invoice_no", "payments": "payment_id", "cash": "date"}


def _text(value: object) -> str:
    try:
        return cells.text(value)
    except cells.CellProblem:
        return "#ERROR"


class Texts:
    """Every snapshotted tab's rows as text, kept in step with the cycle's commits.

    A tab in `unchanged` (its sheet is byte for byte what the last commit
    wrote, and so equals the stored snapshot) is only turned into text if a
    commit touches it."""

    def __init__(self, tables: Mapping[str, Table], unchanged: frozenset[str] = frozenset(),
                 state: Mapping[str, str] | None = None) -> None:
        self.tables = tables
        self.state = state or {}
        self.rows: dict[str, dict[str, dict[str, str]]] = {}
        self.key_at: dict[str, dict[int, str]] = {}
        self.unchanged = set(unchanged)
        self._digests: dict[str, str] = {}
        self._encoded: dict[str, bytes] = {}  # each tab encoded once per change (digest, then the chunks)
        self._stored: dict[tuple[str, str], dict] = {}  # (tab, stored digest) -> its decoded rows
        for tab in SNAPSHOT_TABS:
            table = tables.get(tab)
            if table is not None and table.exists and tab not in self.unchanged:
                self._build(tab)

    def _build(self, tab: str) -> None:
        stored = decode(tab, self.state) if tab in self.unchanged else None
        if stored is not None:  # the sheet is as the last commit left it: its snapshot is its text
            self.rows[tab], self.key_at[tab] = stored
        else:
            table = self.tables[tab]
            self.rows[tab], self.key_at[tab] = {}, {}
            columns = list(table.columns.items())
            for row, values in table.rows:
                width = len(values)
                texts = {}
                for f, i in columns:
                    value = values[i] if i < width else None
                    texts[f] = value.strip() if value.__class__ is str else "" if value is None else _text(value)
                self._put(tab, row, texts)
        self.unchanged.discard(tab)

    def _put(self, tab: str, row: int, texts: dict[str, str]) -> None:
        base = key = key_of(tab, texts, row)
        n = 2
        while key in self.rows[tab]:
            key, n = f"{base} #{n}", n + 1
        self.rows[tab][key] = texts
        self.key_at[tab][row] = key
        self._digests.pop(tab, None)
        self._encoded.pop(tab, None)

    def digest(self, tab: str) -> str:
        if tab not in self._digests:
            self._digests[tab] = hashlib.sha256(self.encoded(tab)).hexdigest()[:32]
        return self._digests[tab]

    def encoded(self, tab: str) -> bytes:
        """The tab's rows and where each stands, as stored in the snapshot."""
        if tab not in self._encoded:
            self._encoded[tab] = _encode_json({"rows": self.rows[tab], "at": self.key_at[tab]})
        return self._encoded[tab]

    def drop_encoded(self, tab: str) -> None:
        self.digest(tab)
        self._encoded.pop(tab, None)

    def stored(self, tab: str, state: Mapping[str, str]) -> dict | None:
        """The rows of `tab`'s stored snapshot, decoded once per stored version."""
        slot = (tab, state.get(f"snapshot/{tab}/digest", ""))
        if slot not in self._stored:
            decoded = decode(tab, state)
            if decoded is None:
                return None
            self._stored[slot] = decoded[0]
        return self._stored[slot]

    def row_of(self) -> dict[tuple[str, str], int]:
        return {(tab, key): row for tab, keys in self.key_at.items() for row, key in keys.items()}

    def after(self, changes: Changes, appended: Mapping[tuple[str, str], int]) -> "Texts":
        """A new Texts: the rows as they read once `changes` are written (this one stays as it is)."""
        new = copy.copy(self)
        touched = {w.tab for w in changes.cells} | {a.tab for a in changes.rows}
        new.rows = {t: dict(r) if t in touched else r for t, r in self.rows.items()}
        new.key_at = {t: dict(k) if t in touched else k for t, k in self.key_at.items()}
        new.unchanged, new._digests = set(self.unchanged), dict(self._digests)
        new._encoded, self._encoded = self._encoded, {}  # a cache: it goes with the newer rows
        new.apply(changes, appended)  # lets go of the stored snapshots decoded for comparing, this one's too
        return new

    def apply(self, edits: Changes, appended: Mapping[tuple[str, str], int]) -> None:
        """What the rows read as once `edits` are written."""
        self._stored.clear()  # the stored snapshots were for comparing; not kept through the commit
        for tab in {w.tab for w in edits.cells} | {a.tab for a in edits.rows}:
            if tab in self.unchanged:
                self._build(tab)
        for w in edits.cells:
            if w.tab not in self.rows:
                continue
            key = self.key_at[w.tab].get(w.row)
            texts = dict(self.rows[w.tab].pop(key, {})) if key is not None else {}
            texts[w.field] = self._text(w.tab, w.field, w.after)
            self._put(w.tab, w.row, texts)
        for a in edits.rows:
            if a.tab in self.rows and (a.tab, a.key) in appended:
                texts = {f: self._text(a.tab, f, v) for f, v in a.values.items()}
                self._put(a.tab, appended[(a.tab, a.key)], texts)

    def _text(self, tab: str, field: str, value: object) -> str:
        kind = self.tables[tab].tab.column(field).kind
        return cells.text(cells.for_kind(kind, value))


def unchanged_tabs(fingerprints: Mapping[str, str], state: Mapping[str, str], cache: Cache) -> frozenset[str]:
    """Tabs whose sheet is exactly as the last commit left it: the cache beside the
    workbook remembers each sheet's fingerprint and the snapshot digest it holds."""
    known = cache.get("tabs", {})
    return frozenset(tab for tab, fp in fingerprints.items()
                     if known.get(tab) == [fp, state.get(f"snapshot/{tab}/digest")])


def remember(fingerprints: Mapping[str, str], texts: Texts, state: Mapping[str, str], cache: Cache) -> None:
    """Note, after a commit, which snapshot digest each sheet's fingerprint stands for."""
    if fingerprints:
        cache.put(tabs={tab: [fp, texts.digest(tab) if tab in texts.rows else state.get(f"snapshot/{tab}/digest")]
                        for tab, fp in fingerprints.items() if tab in SNAPSHOT_TABS})


def _encode_json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def encode(tab: str, raw: bytes) -> dict[str, str]:
    """State entries that hold a tab's encoded snapshot (stale chunks of a longer
    earlier version are blanked by the caller)."""
    blob = base64.b64encode(zlib.compress(raw, 1)).decode()
    chunks = [blob[i:i + CHUNK] for i in range(0, len(blob), CHUNK)] or [""]
    out = {f"snapshot/{tab}/{i}": c for i, c in enumerate(chunks)}
    out[f"snapshot/{tab}/n"] = str(len(chunks))
    out[f"snapshot/{tab}/digest"] = hashlib.sha256(raw).hexdigest()[:32]
    return out


def decode(tab: str, state: Mapping[str, str]) -> tuple[dict, dict[int, str]] | None:
    """The snapshot of `tab` (rows, row number -> key), or None if there is none
    (first run) or it is unreadable."""
    try:
        n = int(state.get(f"snapshot/{tab}/n", "0") or 0)
        if not n:
            return None
        blob = "".join(state.get(f"snapshot/{tab}/{i}", "") for i in range(n))
        data = json.loads(zlib.decompress(base64.b64decode(blob)))
        return data["rows"], {int(row): key for row, key in data["at"].items()}
    except (ValueError, KeyError, TypeError, zlib.error, json.JSONDecodeError):
        return None


def snapshot_updates(texts: Texts, state: Mapping[str, str]) -> dict[str, str]:
    """State entries to write so the stored snapshot matches `texts` (only changed tabs)."""
    out: dict[str, str] = {}
    for tab in texts.rows:
        if state.get(f"snapshot/{tab}/digest") == texts.digest(tab):
            continue
        entries = encode(tab, texts.encoded(tab))
        texts.drop_encoded(tab)  # its digest is kept; the bytes are not needed again
        old_n = int(state.get(f"snapshot/{tab}/n", "0") or 0)
        for i in range(int(entries[f"snapshot/{tab}/n"]), old_n):
            entries[f"snapshot/{tab}/{i}"] = ""
        out.update(entries)
    return out


def previous(texts: Texts, state: Mapping[str, str]) -> dict[str, dict[str, dict[str, str]]]:
    """The stored snapshot of each tab that changed since (unchanged tabs: equal to now)."""
    out = {}
    for tab, rows in texts.rows.items():
        stored = state.get(f"snapshot/{tab}/digest")
        if stored is None:
            continue
        if stored == texts.digest(tab):
            out[tab] = rows
        else:
            decoded = texts.stored(tab, state)
            if decoded is not None:
                out[tab] = decoded
    return out
