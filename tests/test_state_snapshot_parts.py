"""The snapshot in the _sheetbill tab (book/state.py): stored in parts of rows, so a
commit writes only the parts it changed; the one whole snapshot an older workbook
holds is still read, and replaced by parts on the next commit."""

from __future__ import annotations

import base64
import json
import zlib
from datetime import date, datetime
from decimal import Decimal

import pytest

from sheetbill.book import cells, state
from sheetbill.book.schema import DEFAULT_TABS
from sheetbill.book.table import build
from sheetbill.core.changes import CellWrite, Changes, RowAppend
from sheetbill.core.model import InvoiceStatus

TABS = {t.key: t for t in DEFAULT_TABS}
HEADER = ["Session ID", "Date", "Client", "Service", "Status", "Invoice No"]


def _tables(n: int) -> dict:
    rows = [(1, tuple(HEADER))] + [(r, (f"S-{r:05d}", "2026-11-03", "C-1", "LD60", "Completed", None))
                                   for r in range(2, n + 2)]
    return {"sessions": build(TABS["sessions"], rows)}


def _committed(texts: state.Texts, stored: dict[str, str]) -> dict[str, str]:
    """The state once the snapshot updates of `texts` are written over `stored`."""
    return {**stored, **state.snapshot_updates(texts, stored)}


def _old_whole_snapshot(texts: state.Texts, tab: str) -> dict[str, str]:
    """A tab's snapshot as workbooks written before parts hold it: one blob in chunks."""
    raw = json.dumps({"rows": texts.rows[tab], "at": texts.key_at[tab]}, ensure_ascii=False,
                     separators=(",", ":"), sort_keys=True).encode()
    blob = base64.b64encode(zlib.compress(raw, 1)).decode()
    chunks = [blob[i:i + 1000] for i in range(0, len(blob), 1000)]
    out = {f"snapshot/{tab}/{i}": c for i, c in enumerate(chunks)}
    out.update({f"snapshot/{tab}/n": str(len(chunks)), f"snapshot/{tab}/digest": "0" * 32})
    return out


def test_a_commit_writes_only_the_parts_it_changed():
    tables = _tables(3500)  # rows 2..3501: parts 0 to 3
    stored = _committed(state.Texts(tables), {})
    assert stored["snapshot/sessions/parts"] == "p:0,1,2,3"
    texts = state.Texts(tables, frozenset({"sessions"}), stored)  # as the last commit left it
    assert "sessions" not in texts.rows
    texts.apply(Changes.of(cells=[CellWrite("sessions", 2500, "S-02500", "invoice_no", None, "INV-1")],
                      rows=[RowAppend("sessions", "S-new", {"session_id": "S-new"})]),
                {("sessions", "S-new"): 3502})
    updates = state.snapshot_updates(texts, stored)
    assert {k.split("/")[2] for k in updates if k.split("/")[2][1:].isdigit()} == {"p2", "p3"}
    after = {**stored, **updates}
    rows, at = state.decode("sessions", after)
    assert rows["S-02500"]["invoice_no"] == "INV-1" and at[3502] == "S-new" and len(rows) == 3501
    assert state.snapshot_updates(texts, after) == {}


def test_what_people_changed_is_read_from_the_changed_parts_only(monkeypatch):
    tables = _tables(2500)
    stored = _committed(state.Texts(tables), {})
    edited = _tables(2500)
    values = list(edited["sessions"].rows[2200][1])
    values[4] = "Cancelled"
    edited["sessions"].rows[2200] = (edited["sessions"].rows[2200][0], tuple(values))
    decoded = []
    real = state._decode_part
    monkeypatch.setattr(state, "_decode_part", lambda tab, k, st: decoded.append(k) or real(tab, k, st))
    texts = state.Texts(edited, frozenset(), stored)
    before = state.previous(texts, stored)["sessions"]
    assert decoded == [2]
    assert before["S-02202"]["status"] == "Completed" and texts.rows["sessions"]["S-02202"]["status"] == "Cancelled"
    assert before == state.Texts(tables).rows["sessions"]


def test_an_older_workbooks_whole_snapshot_is_read_and_then_replaced_by_parts():
    tables = _tables(1200)
    old = _old_whole_snapshot(state.Texts(tables), "sessions")
    texts = state.Texts(tables, frozenset(), old)
    assert state.previous(texts, old)["sessions"] == texts.rows["sessions"]  # compared with, so no edits seen
    assert state.decode("sessions", old)[1][5] == "S-00005"
    new = _committed(texts, old)
    assert new["snapshot/sessions/n"] == "" and all(new[f"snapshot/sessions/{i}"] == "" for i in range(3))
    assert new["snapshot/sessions/parts"] == "p:0,1"
    assert state.decode("sessions", new) == state.decode("sessions", old)


@pytest.mark.parametrize("stored", [
    {},  # the first run
    {"snapshot/sessions/parts": "p:0,1", "snapshot/sessions/digest": "x"},  # its parts lost
    {"snapshot/sessions/n": "2", "snapshot/sessions/0": "not base64", "snapshot/sessions/digest": "x"},
])
def test_no_readable_snapshot_reads_as_none(stored):
    texts = state.Texts(_tables(10), frozenset(), stored)
    assert state.decode("sessions", stored) is None
    assert "sessions" not in state.previous(texts, stored)


def _after_commit(tables, stored, edits, appended) -> dict[str, str]:
    texts = state.Texts(tables, frozenset({"sessions"}), stored)
    texts.apply(edits, appended)
    return {**stored, **state.snapshot_updates(texts, stored)}


@pytest.mark.parametrize("ids, edits, appended", [
    (None, Changes.of(cells=[CellWrite("sessions", 1500, "S-01500", "status", None, "Cancelled")],
                 rows=[RowAppend("sessions", "S-new", {"session_id": "S-new"})]), {("sessions", "S-new"): 2502}),
    ({700: "S-00002"}, Changes.of(cells=[CellWrite("sessions", 2, "S-00002", "status", None, "Cancelled")]), {}),
    (None, Changes.of(rows=[RowAppend("sessions", "S-00005", {"session_id": "S-00005"})]), {("sessions", "S-00005"): 2502}),
    (None, Changes.of(cells=[CellWrite("sessions", 5, "S-00005", "session_id", None, "S-00009")]), {}),
])
def test_a_commit_decoding_some_parts_stores_what_decoding_all_stores(monkeypatch, ids, edits, appended):
    tables = _tables(2500)
    for row, session_id in (ids or {}).items():  # the same Session ID twice: keys told apart with #2
        tables["sessions"].rows[row - 2] = (row, (session_id,) + tables["sessions"].rows[row - 2][1][1:])
    stored = _committed(state.Texts(tables), {})
    some = _after_commit(tables, stored, edits, appended)
    monkeypatch.setattr(state.Texts, "_load_parts", lambda *a: False)
    assert some == _after_commit(tables, stored, edits, appended)


def test_parts_left_undecoded_are_decoded_when_the_whole_tab_is_asked_for():
    tables = _tables(2500)
    stored = _committed(state.Texts(tables), {})
    texts = state.Texts(tables, frozenset({"sessions"}), stored)
    texts.apply(Changes.of(cells=[CellWrite("sessions", 2400, "S-02400", "status", None, "Cancelled")]), {})
    assert len(texts.rows["sessions"]) < 1000  # only the part written to
    stored = {**stored, **state.snapshot_updates(texts, stored), "snapshot/sessions/p0/0": "damaged"}
    texts.state = stored
    rows = texts.row_of()
    assert len(rows) == 2500 and rows[("sessions", "S-00005")] == 5  # the damaged part made from the sheet
    assert texts.rows["sessions"]["S-02400"]["status"] == "Cancelled"


def test_texts_let_go_after_a_big_commit_read_as_before_and_commit_alike():
    tables = _tables(2500)
    kept = state.Texts(tables)
    stored = _committed(kept, {})
    dropped = state.Texts(tables)
    dropped.let_go(stored)
    assert dropped.rows["sessions"] == {}  # held encoded in the state only
    edit = Changes.of(cells=[CellWrite("sessions", 700, "S-00700", "status", None, "Cancelled")])
    for texts in (kept, dropped):
        texts.apply(edit, {})
    assert state.snapshot_updates(dropped, stored) == state.snapshot_updates(kept, stored)
    assert dropped.loaded("sessions") == kept.loaded("sessions") and dropped.row_of() == kept.row_of()
    changed = state.Texts(tables)
    changed.apply(edit, {})
    changed.let_go({})  # the state holds none of it: nothing to decode from, nothing let go
    assert changed.rows["sessions"]["S-00700"]["status"] == "Cancelled"


LINE_HEADER = ["Invoice No", "Session ID", "Date", "Code", "Quantity", "Unit Price", "Tax Rate", "Net"]


@pytest.mark.parametrize("field, value", [
    ("code", "  LD60 "), ("code", "a\x01b"), ("code", ""), ("code", None), ("net", Decimal("65.50")),
    ("net", Decimal("65.5")), ("net", Decimal("NaN")), ("tax_rate", Decimal("19")), ("tax_rate", Decimal("7.0")),
    ("quantity", 2), ("date", date(2026, 11, 3)), ("date", datetime(2026, 11, 3, 9, 30)), ("code", True),
    ("code", InvoiceStatus.PAID),
])
def test_an_appended_rows_snapshot_reads_as_its_cells_will(field, value):
    tables = {"lines": build(TABS["lines"], [(1, tuple(LINE_HEADER))])}
    texts = state.Texts(tables)
    for n in (1, 2):  # the second time from what the first kept
        texts.apply(Changes.of(rows=[RowAppend("lines", f"INV-{n}", {"invoice_no": f"INV-{n}", field: value})]),
                    {("lines", f"INV-{n}"): n + 1})
        kind = TABS["lines"].column(field).kind
        assert texts.rows["lines"][texts.key_at["lines"][n + 1]][field] == cells.text(cells.for_kind(kind, value))


@pytest.mark.parametrize("unchanged", [False, True])  # the tab turned into text at read, or left encoded
def test_texts_made_elsewhere_read_as_those_made_here(unchanged: bool):
    """A big commit's snapshot is made in a helper process; here the texts are only decoded from
    the state it gives back (`stored_after`). They read as `after` then `let_go` make them, and
    the next commit's snapshot is the same from either."""
    tables = _tables(2500)
    stored = _committed(state.Texts(tables), {})
    changes = Changes.of(cells=[CellWrite("sessions", r, f"S-{r:05d}", "invoice_no", None, f"INV-{r}")
                                for r in range(1500, 2502)],
                         rows=[RowAppend("sessions", f"S-new{n}", {"session_id": f"S-new{n}", "date": date(2026, 11, 4),
                                                                   "quantity": Decimal("1.50")}) for n in range(3)])
    appended = {("sessions", f"S-new{n}"): 2502 + n for n in range(3)}

    def read() -> state.Texts:
        return state.Texts(tables, frozenset({"sessions"}) if unchanged else frozenset(), stored)

    here = read().after(changes, appended)
    made = state.snapshot_updates(here, stored)
    here.let_go({**stored, **made})
    elsewhere = read().stored_after(changes, {**stored, **made})
    assert elsewhere is not None and "sessions" in elsewhere._unloaded
    assert elsewhere.loaded("sessions") == here.loaded("sessions") == state.decode("sessions", {**stored, **made})[0]
    assert elsewhere.row_of() == here.row_of() and elsewhere.digest("sessions") == here.digest("sessions")
    assert elsewhere.loaded("sessions")["S-new2"] == {**elsewhere.loaded("sessions")["S-new2"], "quantity": "1.5"}
    more = Changes.of(cells=[CellWrite("sessions", 2, "S-00002", "status", "Completed", "Cancelled")])
    after = {**stored, **made}
    assert state.snapshot_updates(elsewhere.after(more, {}), after) == state.snapshot_updates(here.after(more, {}), after)
    assert state.snapshot_updates(elsewhere.after(more, {}), after)  # the part with row 2 changed


def test_texts_made_elsewhere_need_the_snapshot_in_parts():
    tables = _tables(10)
    changes = Changes.of(cells=[CellWrite("sessions", 2, "S-00002", "invoice_no", None, "INV-1")])
    assert state.Texts(tables).stored_after(changes, {}) is None


def test_only_a_snapshot_that_cannot_be_read_back_is_damaged():
    """A tab unchanged since the last commit is not read back at all: its snapshot is not missing."""
    tables = _tables(10)
    stored = _committed(state.Texts(tables), {})
    stored["snapshot/invoices/digest"] = "0" * 32  # another tab, unchanged: not turned into text
    texts = state.Texts(tables, frozenset(), stored)
    assert state.unreadable(texts, state.previous(texts, stored), stored) == frozenset()
    damaged = {**stored, "snapshot/sessions/p0/0": "garbage"}
    edited = _tables(10)
    edited["sessions"].rows[3] = (edited["sessions"].rows[3][0], ("S-00005", "2026-11-03", "C-2", "LD60", "Completed", None))
    texts = state.Texts(edited, frozenset(), damaged)  # a row changed as well: its part is read back
    assert state.unreadable(texts, state.previous(texts, damaged), damaged) == {"sessions"}


def _as_before_shapes(stored: dict[str, str], tab: str) -> dict[str, str]:
    """`stored` with each part of `tab` rewritten as parts were stored before shapes: each row
    a mapping of its own (the digests kept)."""
    out = dict(stored)
    for k in state._stored_parts(tab, stored) or {}:
        rows, at = state._decode_part(tab, k, stored)
        raw = json.dumps({"rows": rows, "at": at}, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        out.update(state._chunks(f"snapshot/{tab}/p{k}", raw.encode(), stored))
    return out


def test_parts_stored_before_shapes_are_still_read_and_rewritten_once_changed():
    tables = _tables(2500)
    texts = state.Texts(tables)
    older = _as_before_shapes(_committed(texts, {}), "sessions")
    assert "shapes" not in zlib.decompress(base64.b64decode(older["snapshot/sessions/p1/0"])).decode()
    rows, at = state.decode("sessions", older)
    assert rows == texts.rows["sessions"] and at == texts.key_at["sessions"]
    again = state.Texts(tables, frozenset({"sessions"}), older)
    again.apply(Changes.of(cells=[CellWrite("sessions", 1500, "S-01500", "invoice_no", None, "INV-7")]), {})
    after = _committed(again, older)
    assert state.decode("sessions", after)[0]["S-01500"]["invoice_no"] == "INV-7"
    assert "shapes" in zlib.decompress(base64.b64decode(after["snapshot/sessions/p1/0"])).decode()


def test_the_same_rows_are_stored_alike_whatever_order_their_texts_were_made_in():
    texts = state.Texts(_tables(10))
    reordered = state.Texts(_tables(10))
    reordered.rows["sessions"] = {key: dict(reversed(row.items())) for key, row in reordered.rows["sessions"].items()}
    assert list(reordered.rows["sessions"]["S-00002"]) != list(texts.rows["sessions"]["S-00002"])
    assert texts.digest("sessions") == reordered.digest("sessions")
    stored = _committed(texts, {})
    assert state.snapshot_updates(reordered, stored) == {}


def test_a_part_whose_row_lost_a_text_is_not_read():
    stored = _committed(state.Texts(_tables(10)), {})
    raw = zlib.decompress(base64.b64decode(stored["snapshot/sessions/p0/0"]))
    data = json.loads(raw)
    data["rows"][0].pop()
    damaged = {**stored, **state._chunks("snapshot/sessions/p0", json.dumps(data).encode(), stored)}
    assert state.decode("sessions", damaged) is None
