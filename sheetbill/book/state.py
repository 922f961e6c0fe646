"""The hidden _sheetbill tab: the worker's state, and the snapshot of the rows.

The snapshot is every tab's rows as text (key -> values) as the worker last
left them, so the next cycle can tell a person's edits from its own, and
restore a finalized invoice someone changed. Each tab is stored in parts of
PART sheet rows, each compressed, in chunks that fit a cell (Excel: 32,767
characters, Sheets: 50,000), with its digest: a tab whose digest has not
changed is never decoded, and of one that changed only the parts that differ
are decoded, and written again.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import zlib
from datetime import date, datetime
from decimal import Decimal
from typing import Iterable, Mapping

from . import cells
from ..core.changes import Changes, names_and_values
from .cache import Cache
from .table import Table

SNAPSHOT_TABS = ("sessions", "clients", "services", "invoices", "lines", "payments", "cash")
CHUNK = 30000
PART = 1000  # sheet rows per stored part of a tab's snapshot


def key_of(tab: str, texts: Mapping[str, str], row: int) -> str:
    """A row's identity in the snapshot, from its texts."""
    if tab == "services":
        key = f"{texts.get('code', '')} {texts.get('valid_from', '')}".strip()
    elif tab == "lines":
        key = f"{texts.get('invoice_no', '')}/{texts.get('session_id', '')}/{texts.get('code', '')}"
    elif tab == "clients":
        key = texts.get("client_id", "") or texts.get("name", "")
    else:
        key = texts.get(_KEY_FIELD[tab], "")
    return key or f"row {row}"


_KEY_FIELD = {"sessions": "session_id", "invoices": "invoice_no", "payments": "payment_id", "cash": "date"}
_KEY_FIELDS = {"services": ("code", "valid_from"), "lines": ("invoice_no", "session_id", "code"),
               "clients": ("client_id", "name")}  # the fields `key_of` reads


def _key_fields(tab: str) -> tuple[str, ...]:
    return _KEY_FIELDS.get(tab) or (_KEY_FIELD[tab],)


def _text(value: object) -> str:
    try:
        return cells.text(value)
    except cells.CellProblem:
        return "#ERROR"


def _texts_of(values: tuple[object, ...], columns: list[tuple[str, int]],
              seen: dict[tuple[type, object], str] | None = None) -> dict[str, str]:
    """A row's cells as text, by field. `seen` keeps the texts of dates and numbers made
    for the rows before (they repeat: one text for every session on a day)."""
    width = len(values)
    texts = {}
    for f, i in columns:
        value = values[i] if i < width else None
        if value.__class__ is str:
            texts[f] = value.strip()
        elif value is None:
            texts[f] = ""
        elif seen is not None and (value.__class__ is date or value.__class__ is Decimal and value.is_finite()):
            key = (value.__class__, value)  # 1 and 1.0 read the same; a date is never a datetime here
            text = seen.get(key)
            if text is None:
                text = seen[key] = _text(value)
            texts[f] = text
        else:
            texts[f] = _text(value)
    return texts


class Texts:
    """Every snapshotted tab's rows as text, kept in step with the cycle's commits.

    A tab in `unchanged` (its sheet is byte for byte what the last commit
    wrote, and so equals the stored snapshot) is only turned into text if a
    commit touches it. A tab's rows are stored in parts of PART sheet rows,
    each with its digest, so a commit encodes and writes only the parts it changed."""

    def __init__(self, tables: Mapping[str, Table], unchanged: frozenset[str] = frozenset(),
                 state: Mapping[str, str] | None = None) -> None:
        self.tables = tables
        self.state = state or {}
        self.rows: dict[str, dict[str, dict[str, str]]] = {}
        self.key_at: dict[str, dict[int, str]] = {}
        self.unchanged = set(unchanged)
        self._digests: dict[str, str] = {}
        self._parts: dict[str, dict[int, str]] = {}  # tab -> part -> digest, for the parts not changed since
        self._stored: dict[tuple[str, str], dict] = {}  # (tab, stored digest) -> its decoded rows
        self._unloaded: dict[str, set[int]] = {}  # tab -> stored parts not decoded (see `_load_parts`)
        self._written: dict[tuple[str, type, object], str] = {}  # see `_text`
        for tab in SNAPSHOT_TABS:
            table = tables.get(tab)
            if table is not None and table.exists and tab not in self.unchanged:
                self._build(tab)

    def _build(self, tab: str) -> None:
        stored = decode(tab, self.state) if tab in self.unchanged else None
        if stored is not None:  # the sheet is as the last commit left it: its snapshot is its text
            self.rows[tab], self.key_at[tab] = stored
            self._parts[tab] = dict(_stored_parts(tab, self.state) or {})  # and so are its parts
        else:
            table = self.tables[tab]
            self.rows[tab], self.key_at[tab] = {}, {}
            columns = list(table.columns.items())
            seen: dict[tuple[type, object], str] = {}
            for row, values in table.rows:
                self._put(tab, row, _texts_of(values, columns, seen))
        self.unchanged.discard(tab)

    def _put(self, tab: str, row: int, texts: dict[str, str]) -> None:
        base = key = key_of(tab, texts, row)
        n = 2
        while key in self.rows[tab]:
            key, n = f"{base} #{n}", n + 1
        self.rows[tab][key] = texts
        self.key_at[tab][row] = key
        self._changed(tab, row)

    def digest(self, tab: str) -> str:
        """The digest of the tab's snapshot: of its parts' digests."""
        if tab not in self._digests:
            parts = self.part_digests(tab)
            listed = ";".join(f"{k}={d}" for k, d in sorted(parts.items()))
            self._digests[tab] = hashlib.sha256(f"parts:{listed}".encode()).hexdigest()[:32]
        return self._digests[tab]

    def part_digests(self, tab: str) -> dict[int, str]:
        """Each part's digest (part k: the rows of sheet rows k*PART to (k+1)*PART-1)."""
        self.refresh_parts(tab)
        return dict(self._parts[tab])

    def refresh_parts(self, tab: str) -> dict[int, bytes]:
        """Make the digests of the parts changed since they were last made; returns the
        encodings made on the way (for writing them without encoding them again)."""
        known = self._parts.setdefault(tab, {})
        present = {row // PART for row in self.key_at[tab]} | self._unloaded.get(tab, set())
        made = self.encoded_parts(tab, present - known.keys())
        for k, raw in made.items():
            known[k] = _digest(raw)
        for k in known.keys() - present:
            del known[k]
        return made

    def encoded_parts(self, tab: str, wanted: Iterable[int]) -> dict[int, bytes]:
        """The `wanted` parts of the tab: their rows and where each stands, as stored."""
        at: dict[int, list[tuple[int, str]]] = {k: [] for k in wanted}
        if not at:
            return {}
        for row, key in self.key_at[tab].items():
            part = at.get(row // PART)
            if part is not None:
                part.append((row, key))
        rows = self.rows[tab]
        return {k: _encode_part(part, rows) for k, part in at.items()}

    def stored(self, tab: str, state: Mapping[str, str]) -> dict | None:
        """The rows of `tab`'s stored snapshot, decoded once per stored version (parts
        equal to the current ones are not decoded: they are the current rows)."""
        slot = (tab, state.get(f"snapshot/{tab}/digest", ""))
        self._complete(tab)
        if slot not in self._stored:
            stored_parts = _stored_parts(tab, state)
            if stored_parts is None:
                decoded = decode(tab, state)
                if decoded is None:
                    return None
                self._stored[slot] = decoded[0]
            else:
                current = self.part_digests(tab)
                same = {k for k, digest in stored_parts.items() if current.get(k) == digest}
                rows: dict[str, dict[str, str]] = {key: self.rows[tab][key] for row, key in self.key_at[tab].items()
                                                   if row // PART in same}
                for k in stored_parts.keys() - same:
                    part = _decode_part(tab, k, state)
                    if part is None:
                        return None
                    rows.update(part[0])
                self._stored[slot] = dict(sorted(rows.items()))
        return self._stored[slot]

    def _load_parts(self, tab: str, edits: Changes, appended: Mapping[tuple[str, str], int]) -> bool:
        """Decode, of an unchanged tab's stored parts, only those `edits` write to. Only
        when no key needs telling apart (`_put` adds ` #2` to a key seen before, so
        keys are compared over the whole tab): every row's key is unique, the edits
        write no key field, and the rows they add have keys of their own."""
        parts = _stored_parts(tab, self.state)
        if parts is None or any(w.tab == tab and w.field in _key_fields(tab) for w in edits.cells):
            return False
        table = self.tables[tab]
        fields = [(f, table.columns[f]) for f in _key_fields(tab) if f in table.columns]
        keys = {key_of(tab, _texts_of(values, fields), row) for row, values in table.rows}
        if len(keys) != len(table.rows):
            return False
        touched = {w.row for w in edits.cells if w.tab == tab}
        for a in edits.rows:
            at = appended.get((a.tab, a.key)) if a.tab == tab else None
            if at is not None:
                key = key_of(tab, {f: self._text(tab, f, a.values.get(f)) for f in _key_fields(tab)}, at)
                if key in keys:
                    return False
                keys.add(key)
                touched.add(at)
        self.rows[tab], self.key_at[tab] = {}, {}
        for k in {row // PART for row in touched} & parts.keys():
            part = _decode_part(tab, k, self.state)
            if part is None:
                return False
            self.rows[tab].update(part[0])
            self.key_at[tab].update(part[1])
        self._parts[tab] = dict(parts)
        self._unloaded[tab] = parts.keys() - {row // PART for row in touched}
        self.unchanged.discard(tab)
        return True

    def _complete(self, tab: str) -> None:
        """Decode the parts `_load_parts` left, so the tab holds all its rows again (a part
        that cannot be read is made from the sheet's rows, as `_build` does)."""
        for k in sorted(self._unloaded.pop(tab, set())):
            part = _decode_part(tab, k, self.state)
            if part is not None:
                self.rows[tab].update(part[0])
                self.key_at[tab].update(part[1])
                continue
            table = self.tables[tab]
            columns = list(table.columns.items())
            for row, values in table.rows:
                if row // PART == k:
                    self._put(tab, row, _texts_of(values, columns))

    def loaded(self, tab: str) -> dict[str, dict[str, str]]:
        """All the rows of `tab`."""
        self._complete(tab)
        return self.rows[tab]

    def row_of(self) -> dict[tuple[str, str], int]:
        for tab in list(self._unloaded):
            self._complete(tab)
        return {(tab, key): row for tab, keys in self.key_at.items() for row, key in keys.items()}

    def after(self, changes: Changes, appended: Mapping[tuple[str, str], int]) -> "Texts":
        """A new Texts: the rows as they read once `changes` are written (this one stays as it is)."""
        new = copy.copy(self)
        touched = {w.tab for w in changes.cells} | {a.tab for a in changes.rows}
        new.rows = {t: dict(r) if t in touched else r for t, r in self.rows.items()}
        new.key_at = {t: dict(k) if t in touched else k for t, k in self.key_at.items()}
        new.unchanged, new._digests = set(self.unchanged), dict(self._digests)
        new._parts = {t: dict(p) if t in touched else p for t, p in self._parts.items()}
        new._unloaded = {t: set(u) for t, u in self._unloaded.items()}
        new.apply(changes, appended)  # lets go of the stored snapshots decoded for comparing, this one's too
        return new

    def stored_after(self, changes: Changes, state: Mapping[str, str]) -> "Texts | None":
        """What `after(changes, ...)` then `let_go(state)` come to, without making the rows'
        texts here: `state` holds the snapshot `after` makes (its `snapshot_updates`, made in
        a helper process: see cycle_book.py), and every tab `changes` touch is decoded from
        there when asked for. None where `state` does not hold one of them in parts."""
        touched = {w.tab for w in changes.cells} | {a.tab for a in changes.rows}
        tabs = touched & (self.rows.keys() | self.unchanged)
        stored = {tab: _stored_parts(tab, state) for tab in tabs}
        if any(parts is None for parts in stored.values()):
            return None
        self._stored.clear()  # as `after` does: the stored snapshots decoded for comparing are done with
        new = copy.copy(self)
        new.rows, new.key_at, new._parts = dict(self.rows), dict(self.key_at), dict(self._parts)
        new.unchanged, new._digests = set(self.unchanged), dict(self._digests)
        new._unloaded = {t: set(u) for t, u in self._unloaded.items()}
        new.state = state
        for tab, parts in stored.items():
            assert parts is not None
            new.rows[tab], new.key_at[tab] = {}, {}
            new._parts[tab], new._unloaded[tab] = dict(parts), set(parts)
            new._digests.pop(tab, None)
            new.unchanged.discard(tab)
        return new

    def written(self, tables: Mapping[str, Table], state: Mapping[str, str]) -> None:
        """The tables and state as the commit that made these texts left them (the parts
        not decoded yet are read from there)."""
        self.tables, self.state = tables, state

    def let_go(self, state: Mapping[str, str]) -> None:
        """Drop the rows of every tab `state` holds the snapshot of (as `snapshot_updates`
        made it), to be decoded from there part by part when asked for again. After a commit
        of thousands of rows (a first cycle), the texts of its rows are otherwise the
        most memory the commit holds besides the rows themselves."""
        self.state = state
        for tab in list(self.rows):
            if _stored_parts(tab, state) != self.part_digests(tab):
                continue
            self._unloaded[tab] = set(self._parts[tab])
            self.rows[tab], self.key_at[tab] = {}, {}

    def apply(self, edits: Changes, appended: Mapping[tuple[str, str], int]) -> None:
        """What the rows read as once `edits` are written."""
        self._stored.clear()  # the stored snapshots were for comparing; not kept through the commit
        for tab in {w.tab for w in edits.cells} | {a.tab for a in edits.rows}:
            if tab in self._unloaded:
                self._complete(tab)
            if tab in self.unchanged and not self._load_parts(tab, edits, appended):
                self._build(tab)
        copied: set[tuple[str, str]] = set()  # rows whose texts are this Texts' own (`after` shares the others)
        for w in edits.cells:
            rows = self.rows.get(w.tab)
            if rows is None:
                continue
            key = self.key_at[w.tab].get(w.row)
            if key is None or w.field in _key_fields(w.tab):  # a new row, or one whose key may change
                texts = dict(rows.pop(key, {})) if key is not None else {}
                texts[w.field] = self._text(w.tab, w.field, w.after)
                self._put(w.tab, w.row, texts)
                continue
            if (w.tab, key) not in copied:
                rows[key] = dict(rows[key])
                copied.add((w.tab, key))
            rows[key][w.field] = self._text(w.tab, w.field, w.after)
            self._changed(w.tab, w.row)
        self._append(edits, appended)

    def _append(self, edits: Changes, appended: Mapping[tuple[str, str], int]) -> None:
        """The texts of the rows `edits` append (a first cycle appends hundreds of thousands)."""
        kinds: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}  # of the fields of each shape of row
        written, text_of, safe = self._written, self._text_of, cells.safe_text
        for a in edits.rows:
            if a.tab not in self.rows or (a.tab, a.key) not in appended:
                continue
            names, values = names_and_values(a.values)
            shape = kinds.get((a.tab, names))
            if shape is None:
                of = {c.field: c.kind for c in self.tables[a.tab].tab.columns}
                shape = kinds[(a.tab, names)] = tuple(of.get(f, "") for f in names)
            texts = {}
            for f, kind, v in zip(names, shape, values):
                if v.__class__ is str:
                    texts[f] = safe(v).strip()  # as `_text_of`, without the call
                    continue
                found = written.get((kind, v.__class__, v)) if v.__class__ in _PLAIN or v.__class__ is Decimal and v.is_finite() else None
                texts[f] = found if found is not None else text_of(kind, v)
            self._put(a.tab, appended[(a.tab, a.key)], texts)

    def _changed(self, tab: str, row: int) -> None:
        """The tab's digest and the digest of the row's part are to be made again."""
        self._digests.pop(tab, None)
        self._parts.setdefault(tab, {}).pop(row // PART, None)

    def _text(self, tab: str, field: str, value: object) -> str:
        """How `value` reads once written to the field's cell."""
        if value.__class__ is str:
            return cells.safe_text(value).strip()
        return self._text_of(self.tables[tab].tab.column(field).kind, value)

    def _text_of(self, kind: str, value: object) -> str:
        """How `value` reads once written to a cell of the `kind`. The texts of numbers and
        dates are kept (a first cycle writes the same amounts and days thousands of times)."""
        if value.__class__ is str:  # for_kind keeps any column's text as it is (blank as None, read as "")
            return cells.safe_text(value).strip()
        if value.__class__ not in _KEPT or isinstance(value, Decimal) and not value.is_finite():
            return cells.text(cells.for_kind(kind, value))
        memo = (kind, value.__class__, value)
        found = self._written.get(memo)
        if found is None:
            found = cells.text(cells.for_kind(kind, value))
            if len(self._written) < _WRITTEN:
                self._written[memo] = found
        return found


_KEPT = frozenset({Decimal, date, datetime, int, bool})  # values `Texts._text` keeps the texts of
_PLAIN = frozenset({date, datetime, int, bool})  # of those, the ones always hashable (a Decimal NaN may not be)
_WRITTEN = 100_000  # texts it keeps at most


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


def _encode_part(at: list[tuple[int, str]], rows: Mapping[str, Mapping[str, str]]) -> bytes:
    """A part's rows (`at`: row number, key) as stored: each row's fields named once per
    shape of row (`shapes`, each sorted), and each row as its number, key, shape and texts
    (`rows`, by row number). The same rows give the same bytes, in whatever order their
    fields were made."""
    shapes: dict[tuple[str, ...], tuple[int, tuple[str, ...], bool]] = {}
    lines: list[list] = []
    for row, key in sorted(at):
        texts = rows[key]
        names = tuple(texts)
        shape = shapes.get(names)
        if shape is None:
            order = tuple(sorted(names))
            shape = shapes[names] = (len(shapes), order, order == names)
        i, order, in_order = shape
        lines.append([row, key, i, *(texts.values() if in_order else map(texts.__getitem__, order))])
    return _encode_json({"shapes": [list(order) for _, order, _ in shapes.values()], "rows": lines})


def _decode_rows(data: dict) -> tuple[dict, dict[int, str]]:
    """The rows and row number -> key of a decoded part (see `_encode_part`); of a whole
    snapshot, or a part written before shapes, each row is a mapping of its own."""
    if "shapes" not in data:
        return data["rows"], {int(row): key for row, key in data["at"].items()}
    shapes = [tuple(names) for names in data["shapes"]]
    rows: dict[str, dict[str, str]] = {}
    at: dict[int, str] = {}
    for line in data["rows"]:
        names = shapes[line[2]]
        if len(line) != len(names) + 3:
            raise ValueError("a row of the snapshot has more or fewer texts than its fields")
        rows[line[1]] = dict(zip(names, line[3:]))
        at[int(line[0])] = line[1]
    return rows, at


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:32]


def _chunks(prefix: str, raw: bytes, state: Mapping[str, str]) -> dict[str, str]:
    """State entries `prefix/0..`, `prefix/n` holding `raw` compressed, in chunks that fit
    a cell; the chunks of a longer earlier version are blanked."""
    blob = base64.b64encode(zlib.compress(raw, 1)).decode()
    chunks = [blob[i:i + CHUNK] for i in range(0, len(blob), CHUNK)] or [""]
    out = {f"{prefix}/{i}": c for i, c in enumerate(chunks)}
    out[f"{prefix}/n"] = str(len(chunks))
    for i in range(len(chunks), _count(state, f"{prefix}/n")):
        out[f"{prefix}/{i}"] = ""
    return out


def _count(state: Mapping[str, str], key: str) -> int:
    try:
        return int(state.get(key, "0") or 0)
    except ValueError:
        return 0


def _unchunk(prefix: str, state: Mapping[str, str]) -> bytes | None:
    """What `_chunks` stored at `prefix` (None: nothing there)."""
    n = int(state.get(f"{prefix}/n", "0") or 0)
    if not n:
        return None
    blob = "".join(state.get(f"{prefix}/{i}", "") for i in range(n))
    return zlib.decompress(base64.b64decode(blob))


_PARTS = "p:"  # how the list of a tab's stored parts starts (`snapshot/<tab>/parts`)


def _stored_parts(tab: str, state: Mapping[str, str]) -> dict[int, str] | None:
    """The stored parts of `tab` and their digests; None when the tab's snapshot is not
    stored in parts (none yet, or one whole, as workbooks before parts hold it)."""
    listed = state.get(f"snapshot/{tab}/parts", "")
    if not listed.startswith(_PARTS):
        return None
    try:
        return {int(k): state.get(f"snapshot/{tab}/p{k}/digest", "") for k in listed[len(_PARTS):].split(",") if k}
    except ValueError:
        return None


def _decode_part(tab: str, k: int, state: Mapping[str, str]) -> tuple[dict, dict[int, str]] | None:
    return _decode_at(f"snapshot/{tab}/p{k}", state)


def _decode_at(prefix: str, state: Mapping[str, str]) -> tuple[dict, dict[int, str]] | None:
    """The rows and row number -> key stored at `prefix`, or None (nothing there, or unreadable)."""
    try:
        raw = _unchunk(prefix, state)
        if raw is None:
            return None
        return _decode_rows(json.loads(raw))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, zlib.error, json.JSONDecodeError):
        return None


def decode(tab: str, state: Mapping[str, str]) -> tuple[dict, dict[int, str]] | None:
    """The snapshot of `tab` (rows, row number -> key), or None if there is none
    (first run) or it is unreadable. Reads both the parts and the one whole
    snapshot workbooks written before parts hold."""
    parts = _stored_parts(tab, state)
    if parts is not None:
        rows: dict[str, dict[str, str]] = {}
        at: dict[int, str] = {}
        for k in parts:
            part = _decode_part(tab, k, state)
            if part is None:
                return None
            rows.update(part[0])
            at.update(part[1])
        return dict(sorted(rows.items())), dict(sorted(at.items()))
    return _decode_at(f"snapshot/{tab}", state)


def snapshot_updates(texts: Texts, state: Mapping[str, str]) -> dict[str, str]:
    """State entries to write so the stored snapshot matches `texts` (only changed parts
    of changed tabs; a whole snapshot of an older workbook is blanked once its parts are
    written)."""
    out: dict[str, str] = {}
    for tab in texts.rows:
        made = texts.refresh_parts(tab)
        digest = texts.digest(tab)
        if state.get(f"snapshot/{tab}/digest") == digest:
            continue
        parts = texts.part_digests(tab)
        stored = _stored_parts(tab, state) or {}
        changed = [k for k, part_digest in parts.items() if stored.get(k) != part_digest]
        encoded = {k: made[k] for k in changed if k in made}
        encoded.update(texts.encoded_parts(tab, [k for k in changed if k not in made]))
        for k in changed:
            out.update(_chunks(f"snapshot/{tab}/p{k}", encoded[k], state))
            out[f"snapshot/{tab}/p{k}/digest"] = parts[k]
        for k in stored.keys() - parts.keys():
            out.update({f"snapshot/{tab}/p{k}/{i}": "" for i in range(_count(state, f"snapshot/{tab}/p{k}/n"))})
            out.update({f"snapshot/{tab}/p{k}/n": "", f"snapshot/{tab}/p{k}/digest": ""})
        whole = _count(state, f"snapshot/{tab}/n")
        if whole:
            out.update({f"snapshot/{tab}/{i}": "" for i in range(whole)})
            out[f"snapshot/{tab}/n"] = ""
        out[f"snapshot/{tab}/parts"] = _PARTS + ",".join(str(k) for k in sorted(parts))
        out[f"snapshot/{tab}/digest"] = digest
    return out


def unreadable(texts: Texts, previous_: Mapping[str, object], state: Mapping[str, str]) -> frozenset[str]:
    """The tabs whose stored snapshot `previous` could not read back (damaged or partly
    deleted in the _sheetbill tab). A tab unchanged since is not read back: it is not one."""
    return frozenset(tab for tab in texts.rows if f"snapshot/{tab}/digest" in state and tab not in previous_)


def previous(texts: Texts, state: Mapping[str, str]) -> dict[str, dict[str, dict[str, str]]]:
    """The stored snapshot of each tab that changed since (unchanged tabs: equal to now)."""
    out = {}
    for tab in list(texts.rows):
        stored = state.get(f"snapshot/{tab}/digest")
        if stored is None:
            continue
        if stored == texts.digest(tab):
            out[tab] = texts.loaded(tab)
        else:
            decoded = texts.stored(tab, state)
            if decoded is not None:
                out[tab] = decoded
    return out
