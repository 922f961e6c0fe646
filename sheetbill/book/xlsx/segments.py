"""Sheets compressed in segments, so that a later patch of their last rows
keeps the rows before them compressed.

A worksheet the writer rewrites is deflated with a full flush after its
sheetData start tag and then about every SEGMENT bytes, at the start of a
row. A full flush ends a segment on a byte boundary and forgets what came
before, so the deflate data from one cut on can be unpacked alone, and the
compressed bytes of the segments before a cut can be copied into a new
member as they are. It is still one ordinary deflate stream that every zip
reader unpacks.

The `Layout` of a member, its cuts (where each segment starts, unpacked and
packed, the CRC-32 of the rows from the first cut to it, and the row
starting there), is kept by the caller between commits. A patch that writes
only after the last cut's row (appended rows; the Invoice No of the newest
sessions) then unpacks the part's start and its last segment, patches
those, and writes: the start, the kept segments' compressed bytes, the
patched rest. The CRC-32 of the whole comes from the kept rows' CRC-32 with
`crc32_combine`. A layout is used only for the very member it describes
(CRC-32 and both sizes), and only when the part's start and last segment,
unpacked, agree with it and with the member's CRC-32; else the whole part
is read, as without one.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass

from .crc import crc32_combine
from .package import Kept, Package
from .sheetpatch import Chunk, SheetPatch, row_number, row_start
from .values import SheetEdit
from .zipout import COMPRESS_LEVEL, Deflated

SEGMENT = 1 << 20
"""Unpacked bytes between cuts: what a patch of the last rows unpacks and packs again at most."""


@dataclass(frozen=True)
class Cut:
    """Where a segment starts: in the part, in its compressed data, the CRC-32 of the
    part from the first cut up to here, and the row starting here (0 at the first cut)."""

    plain: int
    packed: int
    crc: int
    row: int


@dataclass(frozen=True)
class Layout:
    """The segments of one member, as written: its CRC-32, size and compressed size."""

    crc: int
    size: int
    packed: int
    cuts: tuple[Cut, ...]

    def fits(self, info: zipfile.ZipInfo) -> bool:
        return ((info.CRC, info.file_size, info.compress_size, info.compress_type)
                == (self.crc, self.size, self.packed, zipfile.ZIP_DEFLATED) and len(self.cuts) > 1)

    def to_json(self) -> list:
        return [self.crc, self.size, self.packed, [[c.plain, c.packed, c.crc, c.row] for c in self.cuts]]

    @classmethod
    def from_json(cls, value: object) -> Layout | None:
        """The layout `to_json` gave, or None for anything else."""
        if not (isinstance(value, list) and len(value) == 4 and isinstance(value[3], list)):
            return None
        try:
            return cls(int(value[0]), int(value[1]), int(value[2]), tuple(Cut(*map(int, cut)) for cut in value[3]))
        except (TypeError, ValueError):
            return None


@dataclass(frozen=True)
class Window:
    """A sheet's start and last rows, unpacked, and the compressed segments between."""

    data: bytearray  # the part up to its sheetData start tag, then its rows from the last cut used
    kept: bytes | Kept  # the compressed segments from the first cut to that one (as stored, or made)
    cuts: tuple[Cut, ...]  # the cuts up to and with that one


def window(package: Package, part: str, layout: Layout, edit: SheetEdit) -> Window | None:
    """The window `edit` can be written in (None: the whole part is needed)."""
    first_written = min((row for row, _ in edit.updates), default=None)
    usable = [i for i, cut in enumerate(layout.cuts) if i and (first_written is None or cut.row <= first_written)]
    if not usable:
        return None
    cuts = layout.cuts[: usable[-1] + 1]
    found = _ends(package, part, layout, cuts[-1])
    if found is None:
        return None
    return Window(found, package.kept(part, cuts[0].packed, cuts[-1].packed), cuts)


def ends(package: Package, part: str, layout: Layout) -> bytearray | None:
    """The part up to its first cut and its last segment, unpacked (None if they do not
    agree with `layout`): all a worksheet holds outside its rows."""
    return _ends(package, part, layout, layout.cuts[-1])


def _ends(package: Package, part: str, layout: Layout, last: Cut) -> bytearray | None:
    """The part up to the first cut followed by the part from `last` on, unpacked, when they
    agree with `layout` and, with the CRC-32 it gives the rows between, with the member's
    CRC-32. Unpacked from the file a block at a time into one buffer."""
    if not layout.fits(package.info(part)):
        return None
    start = layout.cuts[0]
    data = bytearray()
    if not _unpack_into(data, package, part, 0, start.packed, final=False) or len(data) != start.plain:
        return None
    if not _unpack_into(data, package, part, last.packed, layout.packed, final=True) \
            or len(data) != start.plain + layout.size - last.plain:
        return None
    crc = crc32_combine(zlib.crc32(memoryview(data)[: start.plain]), last.crc, last.plain - start.plain)
    with memoryview(data) as view:
        tail_crc = zlib.crc32(view[start.plain :], crc)
    return data if tail_crc == layout.crc else None


_BLOCK = 1 << 20  # compressed bytes read at a time


def _unpack_into(out: bytearray, package: Package, part: str, start: int, end: int, final: bool) -> bool:
    """Append to `out` bytes `start:end` of the part's compressed data, unpacked; False
    unless they are whole segments (ending the stream when `final`)."""
    kept = package.kept(part, start, end)
    unpacker = zlib.decompressobj(-15)
    with open(package.path, "rb") as handle:
        handle.seek(kept.offset)
        left = kept.length
        try:
            while left:
                block = handle.read(min(left, _BLOCK))
                if not block:
                    return False
                left -= len(block)
                out += unpacker.decompress(block)
        except zlib.error:
            return False
    return unpacker.eof == final and not unpacker.unused_data


def deflate_in_segments(patched: SheetPatch, kept: Window | None = None) -> tuple[Deflated, Layout | None]:
    """Compress the patched sheet, cut into segments, after `kept`'s segments if given;
    its layout, unless the sheet holds array formulas (a later patch of its last rows
    could not see whether they reach them)."""
    packer = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    chunks = iter(patched.chunks)
    first = bytes(next(chunks))
    start = [packer.compress(first), packer.flush(zlib.Z_FULL_FLUSH)]
    cuts = [Cut(len(first), len(start[0]) + len(start[1]), 0, 0)]
    pieces: list[bytes | Kept] = []
    out = start
    if kept is not None:
        pieces += [b"".join(start), kept.kept]
        out = []
        plain, packed = cuts[0].plain - kept.cuts[0].plain, cuts[0].packed - kept.cuts[0].packed
        cuts += [Cut(c.plain + plain, c.packed + packed, c.crc, c.row) for c in kept.cuts[1:]]
    writer = Segments(packer, out, cuts, row_start(patched.context.prefix))
    for chunk in chunks:
        writer.add(chunk)
    out.append(packer.flush())
    pieces.append(b"".join(out))
    crc = crc32_combine(zlib.crc32(first), writer.crc, writer.plain - len(first))
    deflated = Deflated(tuple(pieces), crc, writer.plain)
    if patched.arrays or len(writer.cuts) < 2:
        return deflated, None
    return deflated, Layout(crc, writer.plain, deflated.packed, tuple(writer.cuts))


class Segments:
    """Rows after the first cut being compressed, cut about every SEGMENT bytes (`add`),
    or where the caller says (`pack`, then `cut`)."""

    def __init__(self, packer: zlib._Compress, out: list[bytes], cuts: list[Cut], row: re.Pattern[bytes]) -> None:
        self.packer, self.out, self.cuts, self.row = packer, out, cuts, row
        self.plain = cuts[-1].plain
        self.packed = cuts[-1].packed
        self.crc = cuts[-1].crc
        self.since = 0  # unpacked bytes since the last cut

    def add(self, chunk: Chunk) -> None:
        pos = 0
        while self.since + len(chunk) - pos > SEGMENT:
            found = self.row.search(chunk, pos + max(SEGMENT - self.since, 0))
            number = row_number(found) if found else None
            if found is None or not number:
                break
            self.pack(chunk[pos : found.start()])
            self.cut(number)
            pos = found.start()
        self.pack(chunk[pos:] if pos else chunk)

    def pack(self, piece: Chunk) -> None:
        packed = self.packer.compress(piece)
        self.out.append(packed)
        self.packed += len(packed)
        self.plain += len(piece)
        self.since += len(piece)
        self.crc = zlib.crc32(piece, self.crc)

    def cut(self, row: int) -> None:
        """End a segment here, before row `row`."""
        flushed = self.packer.flush(zlib.Z_FULL_FLUSH)
        self.out.append(flushed)
        self.packed += len(flushed)
        self.cuts.append(Cut(self.plain, self.packed, self.crc, row))
        self.since = 0
