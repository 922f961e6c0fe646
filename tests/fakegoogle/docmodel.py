"""A Google Docs document: paragraphs and tables, with Google's index arithmetic.

Indices count UTF-16 code units.  The body opens with a section break
(index 0..1); a paragraph spans its text including the closing newline; a
table spends one index on its start, one per row, one per cell, and one on
its end.  Edits raise :class:`DocError` with Google's wording.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Iterator, Union

DEFAULT_PARAGRAPH_STYLE = {"namedStyleType": "NORMAL_TEXT", "direction": "LEFT_TO_RIGHT"}


class DocError(Exception):
    """A request Docs would reject; the message follows Google's."""


def ulen(text: str) -> int:
    """Length in UTF-16 code units, the unit of Docs indices."""
    return len(text.encode("utf-16-le")) // 2


def py_index(text: str, offset: int) -> int:
    """Convert a UTF-16 offset within ``text`` into a Python string index."""
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


@dataclass
class Run:
    text: str
    style: dict[str, Any] = field(default_factory=dict)


@dataclass
class Paragraph:
    runs: list[Run]
    style: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_PARAGRAPH_STYLE))

    @classmethod
    def of(cls, text: str = "", style: dict[str, Any] | None = None) -> Paragraph:
        if not text.endswith("\n"):
            text += "\n"
        return cls([Run(text)], dict(style or DEFAULT_PARAGRAPH_STYLE))

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    @property
    def size(self) -> int:
        return ulen(self.text)

    def style_at(self, index: int) -> dict[str, Any]:
        """Text style of the character at Python index ``index`` (or the last one)."""
        pos = 0
        for run in self.runs:
            if pos <= index < pos + len(run.text):
                return run.style
            pos += len(run.text)
        return self.runs[-1].style if self.runs else {}

    def splice(self, start: int, end: int, text: str, style: dict[str, Any] | None = None) -> None:
        """Replace Python indices [start, end) with ``text``."""
        if style is None:
            style = self.style_at(start - 1 if start > 0 else start)
        out: list[Run] = []
        pos = 0
        inserted = False
        for run in self.runs:
            run_start, run_end = pos, pos + len(run.text)
            pos = run_end
            if run_end <= start:
                out.append(run)
                continue
            if run_start < start:
                out.append(Run(run.text[: start - run_start], run.style))
            if not inserted:
                out.append(Run(text, dict(style)))
                inserted = True
            if run_end > end:
                out.append(Run(run.text[max(end - run_start, 0) :], run.style))
        if not inserted:
            out.append(Run(text, dict(style)))
        self.runs = _merge_runs(out)


def _merge_runs(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if merged and merged[-1].style == run.style:
            merged[-1] = Run(merged[-1].text + run.text, merged[-1].style)
        else:
            merged.append(run)
    return merged


@dataclass
class Table:
    rows: list[list[list[Paragraph]]]

    @classmethod
    def of(cls, cells: list[list[str]]) -> Table:
        return cls([[[Paragraph.of(text)] for text in row] for row in cells])

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)


Block = Union[Paragraph, Table]


def split_paragraph(paragraph: Paragraph) -> list[Paragraph]:
    """Split a paragraph whose text holds inner newlines into one per line."""
    parts: list[Paragraph] = []
    current: list[Run] = []
    for run in paragraph.runs:
        pieces = run.text.split("\n")
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            if piece or not last:
                current.append(Run(piece + ("" if last else "\n"), run.style))
            if not last:
                parts.append(Paragraph(_merge_runs(current), dict(paragraph.style)))
                current = []
    if current and any(r.text for r in current):
        parts.append(Paragraph(_merge_runs(current), dict(paragraph.style)))
    return parts or [Paragraph.of("", paragraph.style)]


@dataclass
class Spot:
    """A block located in a container, with its absolute indices."""

    container: list[Block]
    position: int
    block: Block
    start: int
    end: int
    depth: int = 0


def walk(container: list[Block], start: int, depth: int = 0) -> Iterator[Spot]:
    """Every block, depth first, with its indices (tables before their cells)."""
    index = start
    for position, block in enumerate(container):
        if isinstance(block, Paragraph):
            yield Spot(container, position, block, index, index + block.size, depth)
            index += block.size
            continue
        table_start = index
        index += 1
        cell_spots: list[Spot] = []
        for row in block.rows:
            index += 1
            for cell in row:
                index += 1
                spots = list(walk(cell, index, depth + 1))
                cell_spots.extend(spots)
                index = spots[-1].end if spots else index
        index += 1
        yield Spot(container, position, block, table_start, index, depth)
        yield from cell_spots


def table_layout(table: Table, start: int) -> dict[str, Any]:
    """Start/end indices of a table's rows and cells (for rendering)."""
    index = start + 1
    rows = []
    for row in table.rows:
        row_start = index
        index += 1
        cells = []
        for cell in row:
            cell_start = index
            index += 1
            spots = [s for s in walk(cell, index) if s.container is cell]
            index = spots[-1].end if spots else index
            cells.append((cell_start, index, spots))
        rows.append((row_start, index, cells))
    return {"rows": rows, "end": index + 1}


@dataclass
class Document:
    """A document: id, title, body blocks and a revision counter."""

    id: str
    title: str
    body: list[Block] = field(default_factory=lambda: [Paragraph.of("")])
    revision: int = 1

    @property
    def revision_id(self) -> str:
        return f"ALm37B{self.revision:010d}"

    def end_index(self) -> int:
        spots = [s for s in walk(self.body, 1) if s.container is self.body]
        return spots[-1].end if spots else 1

    def clone(self, new_id: str, title: str) -> Document:
        return Document(new_id, title, copy.deepcopy(self.body), 1)

    def plain_lines(self) -> list[str]:
        """The document as lines of text (tables as `` | ``-joined rows)."""
        lines: list[str] = []
        for block in self.body:
            if isinstance(block, Paragraph):
                lines.append(block.text.rstrip("\n"))
            else:
                for row in block.rows:
                    lines.append(" | ".join(" ".join(p.text.rstrip("\n") for p in cell) for cell in row))
        return lines

    # ---------------------------------------------------------- locating

    def spots(self) -> list[Spot]:
        return list(walk(self.body, 1))

    def paragraph_at(self, index: int) -> Spot:
        for spot in self.spots():
            if isinstance(spot.block, Paragraph) and spot.start <= index < spot.end:
                return spot
        raise DocError(
            "The insertion index must be inside the bounds of an existing paragraph. "
            "You can still create new paragraphs by inserting newlines."
        )

    def table_at(self, index: int) -> Spot:
        for spot in self.spots():
            if isinstance(spot.block, Table) and spot.start == index:
                return spot
        raise DocError("The provided table start location is invalid.")

    # ---------------------------------------------------------- edits

    def insert_text(self, index: int, text: str) -> None:
        end = self.end_index()
        if index >= end:
            raise DocError(f"Index {index} must be less than the end index of the referenced segment, {end}.")
        spot = self.paragraph_at(index)
        paragraph = spot.block
        assert isinstance(paragraph, Paragraph)
        at = py_index(paragraph.text, index - spot.start)
        paragraph.splice(at, at, text)
        spot.container[spot.position : spot.position + 1] = split_paragraph(paragraph)

    def replace_all(self, find: str, replacement: str, match_case: bool) -> int:
        if not find:
            raise DocError("The text to find must not be empty.")
        count = 0
        for spot in reversed(self.spots()):
            paragraph = spot.block
            if not isinstance(paragraph, Paragraph):
                continue
            hits = _find_all(paragraph.text, find, match_case)
            for start in reversed(hits):
                paragraph.splice(start, start + len(find), replacement, paragraph.style_at(start))
            if hits:
                count += len(hits)
                if "\n" in replacement:
                    spot.container[spot.position : spot.position + 1] = split_paragraph(paragraph)
        return count

    def delete_range(self, start: int, end: int) -> None:
        if start >= end:
            raise DocError("The range should not be empty.")
        spots = self.spots()
        first_spot, last_spot = _locate(spots, start), _locate(spots, end - 1)
        if first_spot is None or last_spot is None or first_spot.container is not last_spot.container:
            raise DocError("Invalid deletion range. Cannot delete the requested range.")
        container = first_spot.container
        outer = [s for s in spots if s.container is container and s.start < end and s.end > start]
        first, last = outer[0].position, outer[-1].position
        pending: list[Run] = []
        pending_style: dict[str, Any] | None = None
        rebuilt: list[Block] = []
        for spot in outer:
            block = spot.block
            if isinstance(block, Table):
                if start > spot.start or end < spot.end:
                    raise DocError("Invalid deletion range. Cannot delete the requested range.")
                continue
            assert isinstance(block, Paragraph)
            text = block.text
            cut_from = py_index(text, max(start - spot.start, 0))
            cut_to = py_index(text, min(end - spot.start, block.size))
            keep = copy.deepcopy(block)
            keep.splice(cut_from, cut_to, "")
            if pending_style is None:
                pending_style = block.style
            pending.extend(keep.runs)
            if cut_to < len(text):
                rebuilt.append(Paragraph(_merge_runs(pending), dict(pending_style)))
                pending, pending_style = [], None
        if pending_style is not None:
            following = container[last + 1] if last + 1 < len(container) else None
            if following is None:
                raise DocError("The range cannot include the newline character at the end of the segment.")
            if not isinstance(following, Paragraph):
                raise DocError("Invalid deletion range. Cannot delete the requested range.")
            rebuilt.append(Paragraph(_merge_runs(pending + following.runs), dict(pending_style)))
            last += 1
        container[first : last + 1] = rebuilt

    def insert_table_row(self, table_start: int, row_index: int, below: bool) -> None:
        table = self._table(table_start)
        if not 0 <= row_index < len(table.rows):
            raise DocError(f"The row index {row_index} is out of bounds.")
        model = table.rows[row_index]
        new_row = [[Paragraph.of("", cell[0].style if cell else None)] for cell in model]
        table.rows.insert(row_index + 1 if below else row_index, new_row)

    def delete_table_row(self, table_start: int, row_index: int) -> None:
        spot = self.table_at(table_start)
        table = spot.block
        assert isinstance(table, Table)
        if not 0 <= row_index < len(table.rows):
            raise DocError(f"The row index {row_index} is out of bounds.")
        del table.rows[row_index]
        if not table.rows:
            del spot.container[spot.position]

    def insert_table(self, index: int, rows: int, columns: int) -> None:
        if rows < 1 or columns < 1:
            raise DocError("The table must have at least one row and one column.")
        spot = self.paragraph_at(index)
        paragraph = spot.block
        assert isinstance(paragraph, Paragraph)
        at = py_index(paragraph.text, index - spot.start)
        paragraph.splice(at, at, "\n")
        halves = split_paragraph(paragraph)
        table = Table([[[Paragraph.of("")] for _ in range(columns)] for _ in range(rows)])
        spot.container[spot.position : spot.position + 1] = [halves[0], table, *halves[1:]]

    def _table(self, table_start: int) -> Table:
        table = self.table_at(table_start).block
        assert isinstance(table, Table)
        return table


def _locate(spots: list[Spot], index: int) -> Spot | None:
    """The innermost block holding ``index``."""
    holding = [s for s in spots if s.start <= index < s.end]
    return max(holding, key=lambda s: s.depth, default=None)


def _find_all(text: str, find: str, match_case: bool) -> list[int]:
    haystack, needle = (text, find) if match_case else (text.lower(), find.lower())
    hits, pos = [], 0
    while True:
        pos = haystack.find(needle, pos)
        if pos < 0:
            return hits
        hits.append(pos)
        pos += len(needle)
