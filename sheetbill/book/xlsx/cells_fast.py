"""The fast sheet reader: one compiled regex over the canonical serialisation
that Excel, LibreOffice and openpyxl write (`<c r="B7" s=".." t="..">`).

The sheet is streamed in pieces that end on a `</row>`, so at most one
piece of raw XML is held at a time. Each piece is verified: every `<c`
element must have been matched, rows and columns must increase, and there
must be no comments or CDATA. Anything else raises `NotCanonical`, and the
caller reads the sheet again with the slow, general reader.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from typing import IO

from .decode import CellDecoder
from .known import BLOCK, Block, Known, digest
from .refs import column_index
from .values import Row, SheetValues, Value
from .xmltext import parse_chars

CHUNK = 4 << 20
_CELL = re.compile(
    r'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]+)")?(?: t="(\w+)")?([^>/]*)'
    r'(?:/>|>(?:<v>([^<]*)</v>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>|(.*?))</c>)',
    re.S,
)
_PART = re.compile(
    r"<f\b[^>]*?(?:/>|>(?P<f>.*?)</f>)|<v\b[^>]*?(?:(?P<empty>/)>|>(?P<v>.*?)</v>)|<is>(?P<inline>.*?)</is>", re.S
)
_INLINE_TEXT = re.compile(r"<rPh\b.*?</rPh>|<t(?:\s[^>]*)?>(.*?)</t>", re.S)
_NOT_CELLS = ("<co", "<ch")
_MEMO = 1 << 16
_COLUMNS: dict[str, int] = {}
_FIRST_CHILD = re.compile(r"\s*(?:<row[\s>/]|</sheetData>|$)")


class NotCanonical(Exception):
    """The sheet is not in the canonical form this reader handles."""


def _attr(attrs: str, key: str) -> str | None:
    start = attrs.find(key)
    if start < 0:
        return None
    start += len(key)
    return attrs[start : attrs.index('"', start)]


def _general(decoder: CellDecoder, ref: str, t: str | None, s: str | None, body: str) -> tuple[Value, bool]:
    """A cell whose body is more than a plain `<v>`: a formula, rich text..."""
    formula = v = inline = None
    for match in _PART.finditer(body):
        if match.group("v") is not None:
            v = parse_chars(match.group("v"))
        elif match.group("empty"):
            v = ""
        elif match.group("inline") is not None:
            inline = "".join(parse_chars(text) for text in _INLINE_TEXT.findall(match.group("inline")))
        else:
            formula = parse_chars(match.group("f") or "")
    used = bool(v) or formula is not None or bool(inline)
    return decoder.decode(ref, t, s, v, formula, inline), used


class _Reader:
    """Accumulates rows across pieces, checking their order."""

    def __init__(self, decoder: CellDecoder) -> None:
        self.decoder = decoder
        self.rows: list[Row] = []
        self.max_row = 0
        self.row = 0
        self.styled_values: dict[str, dict[str, Value]] = {style: {} for style in decoder.number_styles}
        self.numbers: dict[str, Value] = {}
        self.texts: dict[str, str] = {}

    def styled(self, ref: str, v: str, s: str) -> Value:
        """A number under a date or percent style; they repeat, so the first ones are remembered."""
        memo = self.styled_values[s]
        value = memo.get(v)
        if value is None:
            value = self.decoder.number(ref, v, s)
            if len(memo) < _MEMO:
                memo[v] = value
        return value

    def number(self, ref: str, v: str) -> Value:
        """A number not seen yet; the first ones are remembered and shared."""
        value = self.decoder.number(ref, v, None)
        if len(self.numbers) < _MEMO:
            self.numbers[v] = value
        return value

    def text(self, text: str) -> str:
        """Inline text not seen yet; the first ones are remembered and shared."""
        if len(self.texts) < _MEMO:
            self.texts[text] = text
        return text

    def check(self, text: str, matched: int) -> None:
        """Raise `NotCanonical` unless every cell of `text` was matched."""
        if "<!--" in text or "<![CDATA[" in text:
            raise NotCanonical("comments or CDATA in the sheet data")
        if not matched and "<row" not in text and text.strip():
            raise NotCanonical("prefixed or unknown elements in the sheet data")
        openers = text.count("<c")
        if openers != matched and openers != matched + sum(text.count(other) for other in _NOT_CELLS):
            raise NotCanonical("cells in a form the fast reader does not handle")

    def piece(self, text: str) -> None:
        cells = _CELL.findall(text)
        self.check(text, len(cells))
        decoder = self.decoder
        strings = decoder.strings
        number_styles = decoder.number_styles
        columns = _COLUMNS
        numbers = self.numbers
        texts = self.texts
        rows_append = self.rows.append
        row = self.row
        max_row = self.max_row
        row_digits = ""
        values: list[Value] = []
        used = False
        last_col = -1
        value: Value
        for letters, digits, s, t, rest, v, inline, body in cells:
            if digits != row_digits:
                if values:
                    rows_append((row, tuple(values)))
                if used:
                    max_row = row
                number = int(digits)
                if number <= row:
                    raise NotCanonical("rows out of order")
                row, row_digits, values, used, last_col = number, digits, [], False, -1
            col = columns.get(letters)
            if col is None:
                col = columns[letters] = column_index(letters)
            if col <= last_col:
                raise NotCanonical("cells out of order")
            last_col = col
            if rest and ("s=" in rest or "t=" in rest):
                s = _attr(rest, ' s="') or s
                t = _attr(rest, ' t="') or t
            if v:
                used = True
                if not t or t == "n":
                    if s and s in number_styles:
                        value = self.styled(letters + digits, v, s)
                    else:
                        value = numbers.get(v)
                        if value is None:
                            value = self.number(letters + digits, v)
                elif t == "s":
                    try:
                        value = strings[int(v)]
                    except (ValueError, IndexError):
                        value = decoder.shared(letters + digits, v)
                    if not value:
                        continue
                else:
                    value = decoder.decode(letters + digits, t, s or None, parse_chars(v), None, None)
            elif inline:
                used = True
                if t == "inlineStr" and "&" not in inline and "_x" not in inline and "\r" not in inline:
                    value = texts.get(inline)
                    if value is None:
                        value = self.text(inline)
                else:
                    value = decoder.decode(letters + digits, t or None, s or None, None, None, parse_chars(inline))
            elif body:
                value, cell_used = _general(decoder, letters + digits, t or None, s or None, body)
                used = used or cell_used
            else:
                continue
            if value is None:
                continue
            if col != len(values):
                values.extend([None] * (col - len(values)))
            values.append(value)
        if values:
            rows_append((row, tuple(values)))
        if used:
            max_row = row
        self.row, self.max_row = row, max_row


def read_fast(stream: IO[bytes], decoder: CellDecoder, base: Known | None = None,
              blocks: list[Block] | None = None) -> SheetValues:
    """The values of a canonical sheet; raises `NotCanonical` otherwise. With `base` (the
    entry of an earlier version of this sheet, see known.py), rows of blocks whose text is
    unchanged are taken from it; `blocks` gets this version's blocks."""
    reader = _Reader(decoder)
    out = blocks if blocks is not None else []
    pending = list(base.blocks) if base is not None else []
    utf8 = codecs.getincrementaldecoder("utf-8")()
    buffer = ""
    in_data = False
    while True:
        chunk = stream.read(CHUNK)
        try:
            buffer += utf8.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise NotCanonical("not UTF-8") from exc
        if not in_data:
            start = buffer.find("<sheetData")
            if start < 0:
                if not chunk:
                    raise NotCanonical("no unprefixed sheetData")
                continue
            open_end = buffer.find(">", start)
            if open_end < 0:
                continue
            if buffer[open_end - 1] == "/":
                return SheetValues([], 0)
            buffer = buffer[open_end + 1 :]
            if not _FIRST_CHILD.match(buffer[:256]):
                raise NotCanonical("unexpected first element in sheetData")
            in_data = True
        if pending:
            pos = 0
            while pending and len(buffer) - pos >= pending[0].size:
                block = pending[0]
                if digest(buffer[pos : pos + block.size]) != block.digest:
                    pending = []
                    break
                pos += block.size
                out.append(pending.pop(0))
            buffer = buffer[pos:]
            if pending and chunk:
                continue  # more text to compare
            pending = []
            if out and base is not None:
                last = out[-1]
                reader.rows = base.values.rows[: last.rows]
                reader.row, reader.max_row = last.row, last.max_row
        end = buffer.find("</sheetData>")
        if end >= 0:
            _parse(reader, buffer[:end], out)
            return SheetValues(reader.rows, reader.max_row)
        cut = buffer.rfind("</row>")
        if cut >= 0:
            _parse(reader, buffer[: cut + 6], out)
            buffer = buffer[cut + 6 :]
        if not chunk:
            raise NotCanonical("sheetData is not closed")


def _parse(reader: _Reader, text: str, out: list[Block]) -> None:
    """Read `text` (whole rows) in blocks of about BLOCK characters, noting each block."""
    pos, size = 0, len(text)
    while pos < size:
        cut = text.find("</row>", pos + BLOCK) if size - pos > 2 * BLOCK else -1
        end = cut + 6 if cut >= 0 else size
        part = text[pos:end]
        reader.piece(part)
        out.append(Block(len(part), digest(part), len(reader.rows), reader.row, reader.max_row))
        pos = end


def read_head(stream: IO[bytes], decoder: CellDecoder, blocks: list[Block] | None = None) -> SheetValues:
    """The first row's values and the sheet's `max_row`, without decoding the rows
    between: for a long sheet the cycle only appends to (the Changelog). Raises
    `NotCanonical` where the fast reader would, and when the last piece of the
    sheet holds no value (the caller then reads it all). `blocks` gets one block:
    the sheetData up to its last row."""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    hashed = _Hashed()
    head: _Reader | None = None
    buffer = ""
    while True:
        chunk = stream.read(CHUNK)
        try:
            buffer += utf8.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise NotCanonical("not UTF-8") from exc
        if head is None:
            start = buffer.find("<sheetData")
            first = buffer.find("</row>", start) if start >= 0 else -1
            if first < 0:
                if "<sheetData/>" in buffer or (not chunk and start >= 0):
                    return SheetValues([], 0)
                if not chunk:
                    raise NotCanonical("no unprefixed sheetData")
                continue
            head = _Reader(decoder)
            text = buffer[buffer.find(">", start) + 1 : first + 6]
            head.piece(text)
            hashed.add(text)
            buffer = buffer[first + 6 :]
        end = buffer.find("</sheetData>")
        if end >= 0:
            tail = buffer[:end]
            break
        if not chunk:
            raise NotCanonical("sheetData is not closed")
        cut = buffer.rfind("<row", 0, max(len(buffer) - CHUNK, 0))
        if cut > 0:
            hashed.add(buffer[:cut])
            buffer = buffer[cut:]  # keep about one piece of whole rows before the end
    last = _Reader(decoder)
    last.row = head.row
    start = tail.find("<row")
    if start >= 0:
        last.piece(tail[start:])
    if tail.strip() and not last.max_row:
        raise NotCanonical("the last rows hold no value")
    max_row = max(head.max_row, last.max_row)
    if blocks is not None:
        hashed.add(tail[: tail.rfind("</row>") + 6] if "</row>" in tail else "")
        blocks.append(Block(hashed.size, hashed.digest(), len(head.rows), last.row, max_row))
    return SheetValues(head.rows, max_row)


def read_head_after(stream: IO[bytes], decoder: CellDecoder, base: Known, blocks: list[Block]) -> SheetValues | None:
    """`read_head` of a new version of a sheet known as `base` (read with `read_head`): None
    unless its sheetData starts with the text `base` ends its block with (then only the rows
    after it are read), and when those are many (`read_head` then skips them)."""
    if len(base.blocks) != 1:
        return None
    known = base.blocks[0]
    utf8 = codecs.getincrementaldecoder("utf-8")()
    hashed = _Hashed()
    buffer = ""
    in_data = False
    rest: list[str] = []
    kept = 0
    while True:
        chunk = stream.read(CHUNK)
        try:
            buffer += utf8.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise NotCanonical("not UTF-8") from exc
        if not in_data:
            start = buffer.find("<sheetData")
            open_end = buffer.find(">", start) if start >= 0 else -1
            if open_end < 0:
                if not chunk:
                    return None
                continue
            buffer, in_data = buffer[open_end + 1 :], True
        if hashed.size < known.size:
            take = buffer[: known.size - hashed.size]
            hashed.add(take)
            buffer = buffer[len(take) :]
            if hashed.size < known.size:
                if not chunk:
                    return None
                continue
            if hashed.digest() != known.digest:
                return None
        end = buffer.find("</sheetData>")
        if end >= 0:
            rest.append(buffer[:end])
            break
        rest.append(buffer)
        kept += len(buffer)
        buffer = ""
        if not chunk or kept > 2 * CHUNK:
            return None  # many new rows: `read_head` skips them
    tail = "".join(rest)
    last = _Reader(decoder)
    last.row, last.max_row = known.row, known.max_row
    start = tail.find("<row")
    if start >= 0:
        if tail[:start].strip():
            return None
        last.piece(tail[start:])
    elif tail.strip():
        return None
    hashed.add(tail[: tail.rfind("</row>") + 6] if "</row>" in tail else "")
    blocks.append(Block(hashed.size, hashed.digest(), known.rows, last.row, last.max_row))
    return SheetValues(base.values.rows, last.max_row)


class _Hashed:
    """A running digest of text, as `known.digest` makes it of the whole."""

    def __init__(self) -> None:
        self.size = 0
        self._sha = hashlib.sha1(usedforsecurity=False)

    def add(self, text: str) -> None:
        self.size += len(text)
        self._sha.update(text.encode("utf-8", "surrogatepass"))

    def digest(self) -> bytes:
        return self._sha.digest()
