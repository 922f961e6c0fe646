"""Patching one worksheet part: only the touched `<row>` elements and the
`<dimension ref>` change; every other byte of the part is kept.

The part is scanned once for its row start tags; the rows to rewrite are
cut out and re-assembled between untouched slices of the original bytes.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import ItemsView, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from .errors import BrokenWorkbook, UnsupportedEdit
from .formulas import array_areas, check_arrays, shared_master
from .refs import MAX_COLUMNS, MAX_ROWS, cell_ref, parse_range, range_ref
from .rowpatch import SheetContext, new_row, parse_row, patch_row
from .stylebook import StyleBook
from .values import SheetEdit, WriteValue

Chunk = bytes | memoryview
Data = bytes | bytearray  # a part's content
SHEET_DATA = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)sheetData(?=[\s/>])[^>]*?(/?)>")
_R = re.compile(rb"""(?<![\w:.-])r\s*=\s*["'](\d+)["']""")
_DIMENSION = re.compile(rb"""(<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\bref\s*=\s*")([^"]*)(")""")
_COL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?col\b([^>]*)>")
_TAIL = 1 << 20  # bytes of sheet data scanned for the rows an append needs
_BATCH = 1 << 16  # characters of new rows written as one chunk
_COL_ATTR = re.compile(rb"""\b(min|max|style)\s*=\s*["'](\d+)["']""")


@dataclass(frozen=True)
class SheetPatch:
    """The patched part, as chunks produced while they are written out (so
    thousands of new rows are never all held at once), and what changed.
    `formulas_changed` is known once the chunks have all been consumed."""

    chunks: Iterator[Chunk]
    last_used: int
    appended: int
    context: SheetContext
    arrays: bool = False  # the sheet data read holds array formulas

    @property
    def formulas_changed(self) -> bool:
        return self.context.formulas_changed


@cache
def _row_patterns(prefix: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]:
    p = re.escape(prefix)
    row = re.compile(rb'<' + p + rb'row(?=[\s/>])(?: r="(\d+)")?([^>]*?)(/?)>')
    close = re.compile(rb"</" + p + rb"row\s*>")
    used = re.compile(rb"<" + p + rb"f[\s/>]|<" + p + rb"(?:v|t)(?:\s[^>]*)?>[^<]")
    return row, close, used


def row_start(prefix: str) -> re.Pattern[bytes]:
    """A row's start tag, with its number (`row_number`)."""
    return _row_patterns(prefix.encode("ascii"))[0]


def row_number(start: re.Match[bytes]) -> int | None:
    """The number a `row_start` match names (None: the row has no `r`)."""
    explicit = start.group(1)
    if explicit is None:
        found = _R.search(start.group(2))
        explicit = found.group(1) if found else None
    return int(explicit) if explicit else None


class _Rows:
    """The row start tags of a sheet's data, in order."""

    def __init__(self, data: Data, prefix: bytes, start: int, end: int, sheet: str) -> None:
        row_re, self._close, self._used = _row_patterns(prefix)
        self.data = data
        self.numbers: list[int] = []
        self.starts: list[int] = []
        self.open_ends: list[int] = []
        self.implicit: list[int] = []
        number = 0
        for match in row_re.finditer(data, start, end):
            explicit = row_number(match)
            if explicit is not None:
                if explicit <= number:
                    raise BrokenWorkbook(f"{sheet}: rows are out of order near row {number}")
                number = explicit
            else:
                number += 1
                self.implicit.append(number)
            self.numbers.append(number)
            self.starts.append(match.start())
            self.open_ends.append(-match.end() if match.group(3) else match.end())

    def end(self, index: int) -> int:
        """Where row number `index` (position in the list) ends."""
        open_end = self.open_ends[index]
        if open_end < 0:
            return -open_end
        close = self._close.search(self.data, open_end)
        if close is None:
            raise BrokenWorkbook("a row of the sheet is not closed")
        return close.end()

    def text(self, index: int) -> str:
        return self.data[self.starts[index] : self.end(index)].decode("utf-8")

    def find(self, row: int) -> int | None:
        index = bisect_left(self.numbers, row)
        return index if index < len(self.numbers) and self.numbers[index] == row else None

    def last_used(self) -> int:
        """The last row holding a value, a formula or inline text."""
        for index in range(len(self.numbers) - 1, -1, -1):
            if self._used.search(self.data, self.starts[index], self.end(index)):
                return self.numbers[index]
        return 0


def _rows_for(edit: SheetEdit, data: Data, prefix: bytes, start: int, close: int, sheet: str) -> _Rows:
    """The rows `edit` needs. Rows appended to a long sheet (the Changelog) touch only
    its end, so only the rows of the last part of its data are scanned, when they name
    their numbers and hold the last used row; else, and for updates, all rows."""
    if not edit.updates and close - start > 2 * _TAIL:
        cut = data.rfind(b"<" + prefix + b"row", start, close - _TAIL)
        if cut > start:
            tail = _Rows(data, prefix, cut, close, sheet)
            if tail.numbers and not tail.implicit and tail.last_used():
                return tail
    return _Rows(data, prefix, start, close, sheet)


class _Listed(Mapping[int, WriteValue]):
    """An appended row's values by column: a view of the list it was given as (a first
    cycle appends hundreds of thousands of rows)."""

    __slots__ = ("cells",)

    def __init__(self, cells: Sequence[WriteValue]) -> None:
        self.cells = cells

    def __getitem__(self, col: int) -> WriteValue:
        if 0 <= col < len(self.cells):
            return self.cells[col]
        raise KeyError(col)

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.cells)))

    def __len__(self) -> int:
        return len(self.cells)

    def items(self) -> ItemsView[int, WriteValue]:
        return _ListedItems(self)


class _ListedItems(ItemsView[int, WriteValue]):
    def __init__(self, row: _Listed) -> None:
        super().__init__(row)
        self.row = row

    def __iter__(self) -> Iterator[tuple[int, WriteValue]]:
        return enumerate(self.row.cells)


def _changes(edit: SheetEdit, last_used: int, sheet: str) -> dict[int, Mapping[int, WriteValue]]:
    """The edit as row -> column -> value, appends placed after `last_used`."""
    updates: dict[int, dict[int, WriteValue]] = {}
    for (row, col), value in edit.updates.items():
        if not (1 <= row <= MAX_ROWS and 0 <= col < MAX_COLUMNS):
            raise UnsupportedEdit(f"{sheet}: row {row}, column {col} is outside a worksheet")
        updates.setdefault(row, {})[col] = value
    rows: dict[int, Mapping[int, WriteValue]] = dict(updates)
    if last_used + len(edit.appends) > MAX_ROWS:
        raise UnsupportedEdit(f"{sheet}: appending {len(edit.appends)} rows goes beyond the end of a worksheet")
    for row, values in enumerate(edit.appends, start=last_used + 1):
        if len(values) > MAX_COLUMNS:
            raise UnsupportedEdit(f"{sheet}: appended row {row} is wider than a worksheet")
        updated = updates.get(row)
        if updated is None:
            rows[row] = _Listed(values)
            continue
        appended = dict(enumerate(values))
        overlap = updated.keys() & appended.keys()
        if overlap:
            raise UnsupportedEdit(f"{sheet}!{cell_ref(row, min(overlap))} is both updated and appended")
        updated.update(appended)
    return rows


def _column_styles(head: bytes, limit: int) -> dict[int, int]:
    """The default style of columns 0..limit from `<cols>`."""
    styles = {}
    for match in _COL.finditer(head):
        found = {k.decode(): int(v) for k, v in _COL_ATTR.findall(match.group(1))}
        if found.get("style"):
            for col in range(found.get("min", 1) - 1, min(found.get("max", 1), limit + 1)):
                styles[col] = found["style"]
    return styles


def _dimension(head: bytes, changes: dict[int, Mapping[int, WriteValue]]) -> bytes:
    """`head` with its `<dimension ref>` grown to cover the cells the edit
    addresses (a cleared cell may leave it larger than needed: it is a hint)."""
    match = _DIMENSION.search(head)
    written = [row for row, cols in changes.items() if cols]
    if match is None or not written:
        return head
    first_col = min(min(changes[row]) for row in written)
    last_col = max(max(changes[row]) for row in written)
    try:
        top, left, bottom, right = parse_range(match.group(2).decode("ascii"))
    except (BrokenWorkbook, UnicodeDecodeError):
        top, left, bottom, right = written[0], first_col, written[0], last_col
    top, bottom = min(top, min(written)), max(bottom, max(written))
    left, right = min(left, first_col), max(right, last_col)
    ref = range_ref(top, left, bottom, right).encode("ascii")
    return head[: match.start(2)] + ref + head[match.end(2) :]


class NeedWhole(Exception):
    """A patch of a sheet's last rows only cannot make the edit: it needs the whole part."""


def patch_sheet(
    data: Data, edit: SheetEdit, sheet: str, styles: StyleBook, date1904: bool, window: bool = False
) -> SheetPatch:
    """Apply `edit` to the bytes of a worksheet part. With `window`, `data` is the part's
    start up to its sheetData start tag followed by its last rows only (the rows between
    are kept as they are, after the first chunk); raises `NeedWhole` when the edit writes
    before the first row given, none of the rows given holds a value, or they hold array
    formulas or rows without numbers."""
    tag = SHEET_DATA.search(data)
    if tag is None:
        raise BrokenWorkbook(f"the sheet {sheet!r} has no sheetData")
    prefix = tag.group(1)
    empty = bool(tag.group(2))
    close = tag.end() if empty else data.find(b"</" + prefix + b"sheetData>", tag.end())
    if close < 0:
        raise BrokenWorkbook(f"the sheetData of {sheet!r} is not closed")
    if data.find(b"<!--", tag.end(), close) >= 0 or data.find(b"<![CDATA[", tag.end(), close) >= 0:
        raise UnsupportedEdit(f"the sheet {sheet!r} has XML comments among its cells; sheetbill does not edit it")
    rows = _Rows(data, prefix, tag.end(), close, sheet) if window else _rows_for(edit, data, prefix, tag.end(), close, sheet)
    last_used = rows.last_used()
    areas = array_areas(data, tag.end(), close)
    if window and (not last_used or rows.implicit or areas
                   or any(row < rows.numbers[0] for row, _ in edit.updates)):
        raise NeedWhole(sheet)
    changes = _changes(edit, last_used, sheet)
    if areas:
        check_arrays(areas, [(r, c) for r, cols in changes.items() for c in cols], sheet)
    limit = max((max(cols) for cols in changes.values() if cols), default=0)
    ctx = SheetContext(
        name=sheet,
        prefix=prefix.decode("ascii"),
        styles=styles,
        date1904=date1904,
        money_columns=edit.money_columns,
        column_styles=_column_styles(bytes(data[: tag.start()]), limit),
    )
    _find_masters(rows, changes, ctx)
    to_write = set(changes) | _dependent_rows(rows, ctx)
    if rows.implicit and any(rows.find(row) is None for row in changes):
        to_write |= set(rows.implicit)
    head = _dimension(bytes(data[: tag.start()]), changes)
    chunks = _assemble(data, head, tag, close, rows, sorted(to_write), changes, ctx)
    return SheetPatch(chunks, last_used, len(edit.appends), ctx, bool(areas))


def _assemble(
    data: Data,
    head: bytes,
    tag: re.Match[bytes],
    close: int,
    rows: _Rows,
    to_write: list[int],
    changes: dict[int, Mapping[int, WriteValue]],
    ctx: SheetContext,
) -> Iterator[Chunk]:
    """The new part: untouched slices of `data` and the rewritten rows. The first
    chunk is the part up to and with the sheetData start tag."""
    view = memoryview(data)
    if tag.group(2):
        yield head + bytes(data[tag.start() : tag.end() - 2]).rstrip() + b">"
    else:
        yield head + bytes(data[tag.start() : tag.end()])
    pos = tag.end()
    batch: list[str] = []  # new rows going in at `pos`, written out as one chunk
    size = 0
    for row in to_write:
        index = rows.find(row)
        if index is None:
            following = bisect_left(rows.numbers, row)
            start = rows.starts[following] if following < len(rows.numbers) else close
            if batch and (start != pos or size > _BATCH):
                yield _joined(batch)
                size = 0
            if start != pos:
                yield view[pos:start]
                pos = start
            text = new_row(ctx, row, changes[row])
            batch.append(text)
            size += len(text)
            continue
        if batch:
            yield _joined(batch)
            size = 0
        parsed = parse_row(rows.text(index), ctx.prefix, row, ctx.name)
        yield view[pos : rows.starts[index]]
        yield patch_row(ctx, row, parsed, changes.get(row, {})).encode("utf-8")
        pos = rows.end(index)
    if batch:
        yield _joined(batch)
    if tag.group(2):
        yield b"</" + tag.group(1) + b"sheetData>"
    yield view[pos:]


def _joined(batch: list[str]) -> bytes:
    """The rows of `batch` as one chunk; `batch` is emptied."""
    chunk = "".join(batch).encode("utf-8")
    batch.clear()
    return chunk


def _find_masters(rows: _Rows, changes: dict[int, Mapping[int, WriteValue]], ctx: SheetContext) -> None:
    """Note the shared-formula masters among the cells about to be overwritten."""
    for row, cols in changes.items():
        index = rows.find(row)
        if index is None or rows.data.find(b'"shared"', rows.starts[index], rows.end(index)) < 0:
            continue
        for cell in parse_row(rows.text(index), ctx.prefix, row, ctx.name).cells:
            if cell.col in cols:
                master = shared_master(cell.text, ctx.prefix, row, cell.col)
                if master is not None:
                    ctx.masters[master.si] = master


def _dependent_rows(rows: _Rows, ctx: SheetContext) -> set[int]:
    """The existing rows within the areas of overwritten shared formulas."""
    found: set[int] = set()
    for master in ctx.masters.values():
        top, _, bottom, _ = master.area
        first = bisect_left(rows.numbers, top)
        last = bisect_left(rows.numbers, bottom + 1)
        found.update(rows.numbers[first:last])
    return found
