"""A window on a sheet that has no layout (one Excel or another program saved):
the part is unpacked piece by piece, and the rows before those an edit writes
are compressed into segments as they pass, so that only the part's start and
its last rows are ever held unpacked.

The result is the `Window` a layout would give (see segments.py): the part's
start up to and with its sheetData start tag followed by its last rows, and
the compressed segments of the rows between. The patch of the window then
writes the same bytes a patch of the whole part would, and the new part has a
layout for the next commit. Rows whose number is not written, comments, CDATA
and array formulas among the rows passed give no window (None): the caller
patches the whole part.
"""

from __future__ import annotations

import zipfile
import zlib

from .errors import BrokenWorkbook
from .formulas import array_areas
from .package import Package
from . import segments
from .segments import Cut, Segments, Window
from .sheetpatch import SHEET_DATA, row_number, row_start
from .values import SheetEdit
from .zipout import COMPRESS_LEVEL

PIECE = 1 << 20  # unpacked bytes read at a time
_NOT_PASSED = (b"<!--", b"<![CDATA[")


def stream_window(package: Package, part: str, edit: SheetEdit) -> Window | None:
    """The window `edit` can be written in, made while unpacking the part once (None: the
    part is too small to gain from it, or the rows before those written cannot be passed
    on unread)."""
    info = package.info(part)
    segment = segments.SEGMENT  # read here, so that tests may cut small segments
    if info.file_size < 4 * segment:
        return None
    first_written = min((row for row, _ in edit.updates), default=None)
    pending = bytearray()
    head: bytes | None = None
    passed: Segments | None = None
    stop = False  # everything from here on is kept
    try:
        with package.zip.open(info) as stream:
            while piece := stream.read(PIECE):
                pending += piece
                if head is None:
                    tag = SHEET_DATA.search(pending)
                    if tag is None:
                        continue
                    if tag.group(2):
                        return None  # no rows at all
                    head, pending = bytes(pending[: tag.end()]), pending[tag.end():]
                    packer = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
                    passed = Segments(packer, [], [Cut(len(head), 0, 0, 0)], row_start(tag.group(1).decode("ascii")))
                assert passed is not None
                while not stop and len(pending) > 2 * segment:
                    found = passed.row.search(pending, segment)
                    number = row_number(found) if found else None
                    if found is not None and number is None:
                        return None  # rows without their numbers: counted from the first
                    if found is None or (first_written is not None and number is not None and number > first_written):
                        if len(passed.cuts) < 2:
                            return None  # the edit writes near the start: the whole part it is
                        stop = True  # a row the edit writes, or the rows' end: the rest is kept
                        break
                    assert found is not None and number is not None  # as the two checks above leave them
                    if any(pending.find(marker, 0, found.start()) >= 0 for marker in _NOT_PASSED) \
                            or array_areas(pending, 0, found.start()):
                        return None
                    with memoryview(pending) as view:
                        passed.pack(view[: found.start()])
                    passed.cut(number)
                    del pending[: found.start()]
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
        raise BrokenWorkbook(f"the part {part} of {package.path.name} cannot be unpacked ({exc})") from exc
    if head is None:
        raise BrokenWorkbook(f"the part {part} of {package.path.name} has no sheetData")
    assert passed is not None
    if len(passed.cuts) < 2:
        return None
    return Window(bytearray(head) + pending, b"".join(passed.out), tuple(passed.cuts))
