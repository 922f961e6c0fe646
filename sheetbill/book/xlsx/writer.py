"""`patch_workbook`: write a copy of a workbook with cells changed, rows
appended and sheets added, leaving every other part as it was.

Unchanged members are copied compressed, byte for byte. Changed parts are
the patched sheets, tables grown over appended rows, xl/styles.xml when a
date or money style is added, and the part lists (workbook.xml, its .rels,
[Content_Types].xml) when a sheet is added or xl/calcChain.xml is dropped
(it is, whenever a formula cell is overwritten; Excel rebuilds it).
Any sheet edit also sets `fullCalcOnLoad`, so Excel recalculates formulas
that depend on the written cells when the workbook is next opened.
"""

from __future__ import annotations

import os
import posixpath
from collections import deque
from contextlib import nullcontext
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from . import apart
from .apart import Apart
from .errors import SheetNotFound, UnsupportedEdit
from .features import sheet_features
from .guard import feature_key
from .newsheet import check_sheet_name, new_sheet_xml
from .opc import REL_NS, WORKSHEET_CT, WORKSHEET_TYPE, rels_part
from .package import Package, SheetPart
from .partlists import CONTENT_TYPES, add_override, add_relationship, drop_override, drop_relationship
from .segments import Layout, Window, deflate_in_segments, window
from .sheetpatch import NeedWhole, SheetPatch, patch_sheet
from .stream_window import stream_window
from .stylebook import StyleBook
from .styles import styles_part
from .tables import extend_table
from .values import NewSheet, SheetEdit
from .workbookxml import add_sheet_entry, full_calc_on_load
from .zipout import Deflated, ZipOut, deflate

APART_ROWS = 20_000  # rows and cells a sheet edit writes, from which it is patched in a helper process
SAMPLE = 50  # rows at either end of an edit patched for nothing first, for the cell styles they need
STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"


@dataclass(frozen=True)
class Written:
    """What a patch learnt on the way: the layouts of the sheets it wrote in segments
    (by part), and the features of the original sheets it read whole (by the guard's
    `feature_key`, for `lost_parts`' `counted`)."""

    layouts: dict[str, Layout]
    counted: dict[str, dict[str, int]]


class _Changes:
    """The parts of the new package that differ from the source."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.replaced: dict[str, Deflated] = {}
        self.texts: dict[str, str] = {}
        self.added: dict[str, bytes] = {}
        self.dropped: set[str] = set()
        self.written = Written({}, {})

    def text(self, part: str) -> str:
        if part not in self.texts:
            self.texts[part] = self.package.read(part).decode("utf-8")
        return self.texts[part]

    def free_name(self, template: str) -> str:
        """The first `template.format(n)` that is not a part yet."""
        taken = {name.lower() for name in self.added}
        number = 1
        while self.package.has(template.format(number)) or template.format(number).lower() in taken:
            number += 1
        return template.format(number)

    def add_part(self, part: str, content: bytes, rel_type: str, content_type: str) -> str:
        """Add a part related to the workbook; returns the relationship id."""
        workbook = self.package.workbook_part
        rels = rels_part(workbook)
        target = posixpath.relpath(part, posixpath.dirname(workbook))
        self.texts[rels], rel_id = add_relationship(self.text(rels), rel_type, target)
        self.texts[CONTENT_TYPES] = add_override(self.text(CONTENT_TYPES), part, content_type)
        self.added[part] = content
        return rel_id


def patch_workbook(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    edits: Mapping[str, SheetEdit],
    add_sheets: Sequence[NewSheet] = (),
    layouts: Mapping[str, Layout] | None = None,
    meanwhile: Callable[[], object] | None = None,
    last: Callable[[], Mapping[str, SheetEdit]] | None = None,
) -> Written:
    """Write to `dst` a copy of the workbook `src` with `edits` applied to
    its worksheets (by name) and `add_sheets` added after the last sheet.
    `dst` is written anew (the caller replaces `src` with it atomically);
    a partly written `dst` is removed. Edits may name the sheets being added.
    Returns what it learnt (`Written`): given back with the next patch as
    `layouts`, the layouts let a sheet patched only in its last rows keep the
    rest compressed (see `segments`). `meanwhile` is called once, after this
    process patched its sheets and before it waits for the helper's: the
    caller's own work, done while the helper finishes (whether there is one or not).
    `last` gives edits of existing sheets that `edits` leave alone, asked for only once this
    process patched the others (before `meanwhile`): what may still be in the making then
    (the state a helper process makes meanwhile) is patched last, as it would be in `edits`."""
    if Path(dst).resolve() == Path(src).resolve():
        raise UnsupportedEdit("the patched workbook must be written to a new file, not over the original")
    with Package(src) as package:
        changes = _Changes(package)
        styles = styles_part(package)
        book = StyleBook(package.read(styles) if styles else None, styles or "xl/styles.xml")
        added = _add_sheets(changes, add_sheets, book)
        formulas_changed, late = _patch_sheets(changes, edits, book, added, layouts or {}, meanwhile, last)
        if formulas_changed:
            _drop_calc_chain(changes)
        if any(edit.updates or edit.appends for edit in (*edits.values(), *late.values())):
            workbook = package.workbook_part
            changes.texts[workbook] = full_calc_on_load(changes.text(workbook))
        if book.changed:
            if styles is None:
                changes.add_part(_styles_name(changes), book.xml(), REL_NS + "/styles", STYLES_CT)
            else:
                changes.replaced[styles] = deflate([book.xml()])
        for part, text in changes.texts.items():
            changes.replaced[part] = deflate([text.encode("utf-8")])
        _write(package, changes, Path(dst))
    return changes.written


def _styles_name(changes: _Changes) -> str:
    """Where a new styles part goes: `styles.xml` beside workbook.xml if free."""
    usual = posixpath.join(posixpath.dirname(changes.package.workbook_part), "styles.xml")
    return usual if not changes.package.has(usual) else changes.free_name(usual[: -len(".xml")] + "{}.xml")


def _patch_sheets(changes: _Changes, edits: Mapping[str, SheetEdit], book: StyleBook, added: dict[str, str],
                  layouts: Mapping[str, Layout], meanwhile: Callable[[], object] | None = None,
                  last: Callable[[], Mapping[str, SheetEdit]] | None = None) -> tuple[bool, Mapping[str, SheetEdit]]:
    """Patch the edited sheets (existing or just added), then those `last` gives (see
    `patch_workbook`); whether a formula cell changed, and the edits `last` gave.
    With many rows to write, about half the work is patched in a helper process meanwhile
    (see apart.py); sheets that need a new cell style there are patched here after all."""
    package = changes.package
    todo: dict[str, str] = {}  # sheet -> its existing part
    for name, edit in edits.items():
        sheet = _sheet(package, name, added)
        if not (edit.updates or edit.appends):
            continue
        if sheet is None:
            part = added[name]
            patched = patch_sheet(changes.added[part], edit, name, book, package.date1904)
            changes.added[part] = b"".join(patched.chunks)
            continue
        todo[name] = sheet.part
    aside = {name: todo.pop(name) for name in _aside({name: edits[name] for name in todo}, last is not None)}
    for name, part in aside.items():  # the cell styles they need, made here first (the helper's book is a copy)
        _make_styles(package, part, name, edits[name], book, layouts.get(part))
    helper = Apart(partial(_patched_apart, package.path, aside, edits, book, layouts)) \
        if aside and apart.available() else None
    with helper or nullcontext():
        done = [_patch_one(package, part, name, edits[name], book, layouts.get(part)) for name, part in todo.items()]
        late = last() if last is not None else {}
        for name, edit in late.items():
            sheet = _sheet(package, name, {})
            assert sheet is not None  # `_sheet` raises for one that is neither there nor added
            if name in edits:
                raise UnsupportedEdit(f"{name!r} is edited twice in one patch")
            if edit.updates or edit.appends:
                done.append(_patch_one(package, sheet.part, name, edit, book, layouts.get(sheet.part)))
        if meanwhile is not None:
            meanwhile()
        done += (helper.result() if helper is not None else None) or [
            _patch_one(package, part, name, edits[name], book, layouts.get(part)) for name, part in aside.items()]
    formulas_changed = False
    for one in done:
        changes.replaced[one.part] = one.deflated
        if one.layout is not None:
            changes.written.layouts[one.part] = one.layout
        changes.written.counted.update(one.counted)
        formulas_changed |= one.formulas_changed
        if one.appended:
            for table in package.related(one.part, "/table"):
                grown = extend_table(package.read(table.part), one.last_used, one.appended)
                if grown is not None:
                    changes.replaced[table.part] = deflate([grown])
    return formulas_changed, late


def _sheet(package: Package, name: str, added: Mapping[str, str]) -> SheetPart | None:
    """The existing worksheet `name` (None: one of the sheets `added`)."""
    sheet = package.sheet(name)
    if sheet is None and name not in added:
        raise SheetNotFound(f"the workbook has no sheet named {name!r}")
    if sheet is not None and not sheet.is_worksheet:
        raise UnsupportedEdit(f"{name!r} is a chart sheet, not a worksheet")
    return sheet


@dataclass(frozen=True)
class _OneSheet:
    """One existing sheet patched and compressed, and what the package learns of it."""

    part: str
    deflated: Deflated
    layout: Layout | None
    counted: dict[str, dict[str, int]]
    formulas_changed: bool
    appended: int
    last_used: int


def _aside(edits: Mapping[str, SheetEdit], late: bool = False) -> tuple[str, ...]:
    """The sheets to patch in a helper process meanwhile (where the machine has a second
    core): when the largest edit is large, about half the work (by `_cost`), the largest
    first, of the sheets that are only appended to (their styles are known from a sample),
    leaving at least one sheet to patch here (besides those patched `late`). Patched last, also when no helper does it, so
    that the workbook written is the same either way."""
    if max((len(edit.appends) + len(edit.updates) for edit in edits.values()), default=0) < APART_ROWS:
        return ()
    cost = {name: _cost(edit) for name, edit in edits.items()}
    here = there = 0
    aside: list[str] = []
    for name in sorted(cost, key=cost.__getitem__, reverse=True):  # each to the lighter side
        if there <= here and not edits[name].updates and len(aside) + 1 < len(edits) + late:
            aside.append(name)
            there += cost[name]
        else:
            here += cost[name]
    return tuple(aside)


def _make_styles(package: Package, part: str, name: str, edit: SheetEdit, book: StyleBook,
                 layout: Layout | None) -> None:
    """Add to `book` the cell styles `edit` most likely needs: those of a few of its rows,
    patched for nothing (the cells are written, so their styles picked, as the chunks are read)."""
    rows = edit.appends
    sample = SheetEdit(appends=list(rows[:SAMPLE]) + list(rows[-SAMPLE:]), money_columns=edit.money_columns)
    patched, _ = _patched(package, {}, part, name, sample, book, layout)
    deque(patched.chunks, maxlen=0)


def _cost(edit: SheetEdit) -> int:
    """About how long patching `edit` takes, in cells: each cell appended, and each row
    updated, which is read and written whole (measured: about as long as 25 cells)."""
    return sum(map(len, edit.appends)) + 25 * len({row for row, _ in edit.updates})


def _patched_apart(src: Path, parts: Mapping[str, str], edits: Mapping[str, SheetEdit], book: StyleBook,
                   layouts: Mapping[str, Layout]) -> list[_OneSheet] | None:
    """`_patch_one` of the sheets `parts` (name -> part) in a helper process, on the package
    opened anew; None where one needs a cell style the book does not have yet (the style
    list is this process's)."""
    styles = book.added()
    with Package(src) as package:
        done = [_patch_one(package, part, name, edits[name], book, layouts.get(part)) for name, part in parts.items()]
    return done if book.added() == styles else None


def _patch_one(package: Package, part: str, name: str, edit: SheetEdit, book: StyleBook,
               layout: Layout | None) -> _OneSheet:
    counted: dict[str, dict[str, int]] = {}
    patched, kept = _patched(package, counted, part, name, edit, book, layout)
    deflated, new_layout = deflate_in_segments(patched, kept)
    return _OneSheet(part, deflated, new_layout, counted, patched.formulas_changed, patched.appended,
                     patched.last_used)


def _patched(package: Package, counted: dict[str, dict[str, int]], part: str, name: str, edit: SheetEdit,
             book: StyleBook, layout: Layout | None) -> tuple[SheetPatch, Window | None]:
    """The sheet patched in a window (the one its layout gives, or one made while unpacking
    it once: stream_window.py), else whole (its features noted in `counted`)."""
    kept = window(package, part, layout, edit) if layout is not None else None
    streamed = kept is None
    if streamed:
        kept = stream_window(package, part, edit)
    if kept is not None:
        try:
            patched = patch_sheet(kept.data, edit, name, book, package.date1904, window=True)
        except NeedWhole:
            pass
        else:
            if streamed:  # the original was read once, whole: its features are those of its ends
                counted[feature_key(package.info(part), "worksheet")] = dict(sheet_features(kept.data))
            return patched, kept
    data = package.read_in_place(part)
    counted[feature_key(package.info(part), "worksheet")] = dict(sheet_features(data))
    return patch_sheet(data, edit, name, book, package.date1904), None


def _add_sheets(changes: _Changes, add_sheets: Sequence[NewSheet], book: StyleBook) -> dict[str, str]:
    """Add the new sheets; their names -> parts."""
    package = changes.package
    added = {}
    names = [s.name for s in package.sheets]
    next_id = max((s.sheet_id for s in package.sheets), default=0) + 1
    for new in add_sheets:
        check_sheet_name(new.name, names)
        names.append(new.name)
        style = book.bold() if any(new.header) else 0
        folder = posixpath.dirname(package.workbook_part)
        part = changes.free_name(posixpath.join(folder, "worksheets", "sheet{}.xml"))
        rel_id = changes.add_part(part, new_sheet_xml(new.header, style), WORKSHEET_TYPE, WORKSHEET_CT)
        workbook = package.workbook_part
        changes.texts[workbook] = add_sheet_entry(changes.text(workbook), new.name, next_id, rel_id, new.hidden)
        next_id += 1
        added[new.name] = part
    return added


def _drop_calc_chain(changes: _Changes) -> None:
    package = changes.package
    for rel in package.related(package.workbook_part, "/calcChain"):
        rels = rels_part(package.workbook_part)
        changes.texts[rels] = drop_relationship(changes.text(rels), rel.id)
        changes.texts[CONTENT_TYPES] = drop_override(changes.text(CONTENT_TYPES), rel.part)
        changes.dropped.add(rel.part.lower())


def _write(package: Package, changes: _Changes, dst: Path) -> None:
    replaced = {part.lower(): content for part, content in changes.replaced.items()}
    try:
        with open(dst, "wb") as out, open(package.path, "rb") as source:
            zipped = ZipOut(out)
            for info in package.zip.infolist():
                name = info.filename.lower()
                if name in changes.dropped:
                    continue
                if name in replaced:
                    zipped.add(info.filename, replaced[name], info, source)
                else:
                    zipped.copy(source, info)
            for part, content in changes.added.items():
                zipped.add(part, deflate([content]))
            zipped.close()
    except BaseException:
        dst.unlink(missing_ok=True)
        raise
