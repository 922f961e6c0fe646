"""An open .xlsx package: its members, its workbook part and its sheets.

Opening checks, in plain words, that the file really is an .xlsx workbook:
not an old .xls, not a password-protected (encrypted) file, not a CSV or
another zip document, not an .xlsb or a Strict Open XML file.
"""

from __future__ import annotations

import os
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .errors import BrokenWorkbook, NotAWorkbook, NotAZip
from .opc import REL_NS, STRICT_MAIN_NS, Relationship, local, namespace, parse_rels, parse_xml, rels_part

_PIECE = 1 << 20  # bytes unpacked at a time by `read_in_place`
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_OFFICE_DOCUMENT = "/officeDocument"


@dataclass(frozen=True)
class SheetPart:
    """A sheet as listed in workbook.xml, with the part that holds it."""

    name: str
    sheet_id: int
    state: str
    rel_id: str
    part: str
    is_worksheet: bool

    @property
    def hidden(self) -> bool:
        return self.state in ("hidden", "veryHidden")


def _refuse_non_zip(path: Path) -> None:
    with open(path, "rb") as handle:
        head = handle.read(8)
        if head == _CFB_MAGIC:
            if _ENCRYPTION_INFO in head + handle.read():
                raise NotAWorkbook(
                    f"{path.name} is password-protected (encrypted), so it cannot be read; "
                    "remove the password in Excel and save it again"
                )
            raise NotAWorkbook(f"{path.name} is an old-style .xls workbook; save it as an Excel Workbook (.xlsx)")
    raise NotAZip(f"{path.name} is not an Excel workbook (.xlsx): it is not a zip package")


LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # a member's local header


@dataclass(frozen=True)
class Kept:
    """Compressed bytes of a member of the package being patched: `length` bytes at
    `offset` of its file."""

    offset: int
    length: int


def data_offset(handle: IO[bytes], info: zipfile.ZipInfo) -> int:
    """Where the member's compressed data starts in the zip file open as `handle`."""
    if info.flag_bits & 0x1:
        raise BrokenWorkbook(f"the part {info.filename} is encrypted")
    handle.seek(info.header_offset)
    header = handle.read(LOCAL_HEADER.size)
    if len(header) != LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise BrokenWorkbook(f"the zip entry of {info.filename} is damaged")
    fields = LOCAL_HEADER.unpack(header)
    return info.header_offset + LOCAL_HEADER.size + fields[-2] + fields[-1]


class Package:
    """A read-only view of an .xlsx file. Use as a context manager."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._data_starts: dict[str, int] = {}  # member -> where its compressed data starts
        if not zipfile.is_zipfile(self.path):
            _refuse_non_zip(self.path)
        try:
            self.zip = zipfile.ZipFile(self.path)
        except zipfile.BadZipFile as exc:
            raise NotAWorkbook(f"{self.path.name} is a damaged zip file ({exc})") from exc
        try:
            self._members = {info.filename.lower(): info for info in self.zip.infolist()}
            self.workbook_part = self._find_workbook()
            self.date1904, self.sheets = self._read_workbook()
        except BaseException:
            self.zip.close()
            raise

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def has(self, part: str) -> bool:
        return part.lower() in self._members

    def info(self, part: str) -> zipfile.ZipInfo:
        try:
            return self._members[part.lower()]
        except KeyError:
            raise BrokenWorkbook(f"{self.path.name} has no part {part}, yet another part refers to it") from None

    def read(self, part: str) -> bytes:
        try:
            return self.zip.read(self.info(part))
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise BrokenWorkbook(f"the part {part} of {self.path.name} cannot be unpacked ({exc})") from exc

    def read_in_place(self, part: str) -> bytearray:
        """The part's content like `read`, unpacked piece by piece into one buffer of its
        size (`read` briefly holds a large part about twice)."""
        info = self.info(part)
        out = bytearray(info.file_size)
        pos = 0
        try:
            with self.zip.open(info) as stream:
                while piece := stream.read(_PIECE):
                    if pos + len(piece) > len(out):
                        raise BrokenWorkbook(f"the part {part} of {self.path.name} is longer than its zip entry says")
                    out[pos : pos + len(piece)] = piece
                    pos += len(piece)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise BrokenWorkbook(f"the part {part} of {self.path.name} cannot be unpacked ({exc})") from exc
        if pos != len(out):
            raise BrokenWorkbook(f"the part {part} of {self.path.name} is shorter than its zip entry says")
        return out

    def raw(self, part: str, start: int, end: int) -> bytes:
        """Bytes `start:end` of the part's compressed data, as stored in the zip."""
        kept = self.kept(part, start, end)
        with open(self.path, "rb") as handle:
            handle.seek(kept.offset)
            data = handle.read(kept.length)
        if len(data) != kept.length:
            raise BrokenWorkbook(f"the zip entry of {part} is cut short")
        return data

    def kept(self, part: str, start: int, end: int) -> Kept:
        """Bytes `start:end` of the part's compressed data, to be copied when the new
        package is written (never held in memory)."""
        info = self.info(part)
        if not 0 <= start <= end <= info.compress_size:
            raise BrokenWorkbook(f"the zip entry of {part} is shorter than its layout says")
        key = info.filename
        if key not in self._data_starts:
            with open(self.path, "rb") as handle:
                self._data_starts[key] = data_offset(handle, info)
        return Kept(self._data_starts[key] + start, end - start)

    def open(self, part: str) -> IO[bytes]:
        return self.zip.open(self.info(part))

    def rels(self, part: str) -> list[Relationship]:
        """The relationships of a part (none if it has no .rels part)."""
        rels = rels_part(part)
        return parse_rels(self.read(rels), part) if self.has(rels) else []

    def related(self, part: str, type_suffix: str) -> Iterator[Relationship]:
        """The internal relationships of `part` whose type ends with `type_suffix`."""
        return (r for r in self.rels(part) if r.type.endswith(type_suffix) and not r.external)

    def _find_workbook(self) -> str:
        found = next(self.related("", _OFFICE_DOCUMENT), None)
        part = found.part if found else "xl/workbook.xml"
        if part.lower().endswith(".bin"):
            raise NotAWorkbook(f"{self.path.name} is a binary workbook (.xlsb); save it as an Excel Workbook (.xlsx)")
        if not self.has(part):
            raise NotAWorkbook(f"{self.path.name} is a zip file but not an Excel workbook")
        return part

    def _read_workbook(self) -> tuple[bool, list[SheetPart]]:
        root = parse_xml(self.read(self.workbook_part), self.workbook_part)
        if namespace(root) == STRICT_MAIN_NS:
            raise NotAWorkbook(
                f"{self.path.name} is saved as Strict Open XML; save it as an Excel Workbook (.xlsx)"
            )
        targets = {r.id: r for r in self.rels(self.workbook_part)}
        date1904 = False
        sheets = []
        for node in root.iter():
            name = local(node.tag)
            if name == "workbookPr":
                date1904 = node.get("date1904", "0").lower() in ("1", "true")
            elif name == "sheet":
                rel = targets.get(node.get(f"{{{REL_NS}}}id", ""))
                if rel is None:
                    raise BrokenWorkbook(f"the sheet {node.get('name')!r} points to no part")
                sheets.append(
                    SheetPart(
                        name=node.get("name", ""),
                        sheet_id=int(node.get("sheetId", "0")),
                        state=node.get("state", "visible"),
                        rel_id=rel.id,
                        part=rel.part,
                        is_worksheet=rel.type.endswith("/worksheet"),
                    )
                )
        return date1904, sheets

    def sheet(self, name: str) -> SheetPart | None:
        return next((s for s in self.sheets if s.name == name), None)
