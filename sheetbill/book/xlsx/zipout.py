"""Writing the new package: a plain zip writer that can copy a member's
compressed bytes straight from the source zip (no inflate, no deflate),
and write members deflated beforehand.

Copied members keep their compression method, CRC and timestamp; only the
local header is written afresh (without a data descriptor or extra fields).
Zip64 is not written: a workbook over 4 GB is refused.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from .errors import BrokenWorkbook, UnsupportedEdit
from .package import LOCAL_HEADER, Kept, data_offset

COMPRESS_LEVEL = 1
"""zlib level for rewritten members: 4x faster than level 6 on sheet XML,
for files about 25% larger; Excel recompresses on its next save anyway."""

_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_LIMIT = 0xFFFFFFFF
_UTF8_NAME = 0x800
_COPY_BLOCK = 1 << 20


@dataclass(frozen=True)
class Deflated:
    """A member's content, already compressed: bytes, and bytes kept from the source
    package (copied from its file as the member is written)."""

    pieces: tuple[bytes | Kept, ...]
    crc: int
    size: int

    @property
    def packed(self) -> int:
        return sum(p.length if isinstance(p, Kept) else len(p) for p in self.pieces)


def deflate(chunks: Iterable[bytes | memoryview]) -> Deflated:
    """Compress a part given as chunks, computing its CRC on the way."""
    packer = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    out, crc, size = [], 0, 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
        out.append(packer.compress(chunk))
    out.append(packer.flush())
    return Deflated((b"".join(out),), crc, size)


def _dos_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    if year < 1980:
        return 0, (1 << 5) | 1
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


@dataclass(frozen=True)
class _Entry:
    name: bytes
    flags: int
    method: int
    dos_time: tuple[int, int]
    crc: int
    compressed: int
    size: int
    offset: int
    create_version: int
    external_attr: int


class ZipOut:
    """A zip file being written, member by member."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.entries: list[_Entry] = []

    def _header(
        self, info: zipfile.ZipInfo | None, name: str, method: int, crc: int, compressed: int, size: int
    ) -> None:
        offset = self.out.tell()
        if max(offset, compressed, size) >= _LIMIT:
            raise UnsupportedEdit("the workbook would be larger than 4 GB")
        encoded = name.encode("utf-8")
        flags = _UTF8_NAME if encoded != name.encode("ascii", "replace") else 0
        dos_time = _dos_time(info.date_time if info else (1980, 1, 1, 0, 0, 0))
        version = 20 if method == zipfile.ZIP_DEFLATED else 10
        self.out.write(
            LOCAL_HEADER.pack(b"PK\x03\x04", version, flags, method, *dos_time, crc, compressed, size, len(encoded), 0)
        )
        self.out.write(encoded)
        self.entries.append(
            _Entry(
                encoded, flags, method, dos_time, crc, compressed, size, offset,
                (info.create_system << 8 | 20) if info else 20, info.external_attr if info else 0,
            )
        )

    def copy(self, source: BinaryIO, info: zipfile.ZipInfo) -> None:
        """Copy a member's compressed bytes unchanged from the source zip."""
        offset = data_offset(source, info)
        self._header(info, info.filename, info.compress_type, info.CRC, info.compress_size, info.file_size)
        self._copy(source, offset, info.compress_size, info.filename)

    def _copy(self, source: BinaryIO, offset: int, length: int, name: str) -> None:
        source.seek(offset)
        left = length
        while left:
            block = source.read(min(left, _COPY_BLOCK))
            if not block:
                raise BrokenWorkbook(f"the zip entry of {name} is cut short")
            self.out.write(block)
            left -= len(block)

    def add(self, name: str, content: Deflated, info: zipfile.ZipInfo | None = None,
            source: BinaryIO | None = None) -> None:
        """Write a deflated member; `info` is the member it replaces, if any, and `source`
        the file of the package its kept pieces come from."""
        self._header(info, name, zipfile.ZIP_DEFLATED, content.crc, content.packed, content.size)
        for piece in content.pieces:
            if isinstance(piece, Kept):
                if source is None:
                    raise ValueError(f"{name} keeps compressed bytes of a package, but none is given")
                self._copy(source, piece.offset, piece.length, name)
            else:
                self.out.write(piece)

    def close(self) -> None:
        """Write the central directory."""
        start = self.out.tell()
        for e in self.entries:
            self.out.write(
                _CENTRAL.pack(
                    b"PK\x01\x02", e.create_version, 20 if e.method == zipfile.ZIP_DEFLATED else 10,
                    e.flags, e.method, *e.dos_time, e.crc, e.compressed, e.size, len(e.name), 0, 0, 0, 0,
                    e.external_attr, e.offset,
                )
            )
            self.out.write(e.name)
        size = self.out.tell() - start
        if len(self.entries) > 0xFFFF or self.out.tell() >= _LIMIT:
            raise UnsupportedEdit("the workbook has too many parts or is larger than 4 GB")
        self.out.write(_END.pack(b"PK\x05\x06", 0, 0, len(self.entries), len(self.entries), size, start, 0))
