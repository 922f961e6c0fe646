"""A minimal, valid PDF writer (and a reader for what it writes).

Text goes uncompressed into the page streams in WinAnsi (cp1252), so a test
can search the bytes or call :func:`extract_text` to find filled-in values.
"""

from __future__ import annotations

import re

PAGE_WIDTH, PAGE_HEIGHT = 595, 842
LINES_PER_PAGE = 52
FONT_SIZE = 11
LEADING = 14


def _escape(text: str) -> bytes:
    data = text.encode("cp1252", "replace")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)").replace(b"\r", b"")


def render(lines: list[str], title: str = "") -> bytes:
    """A PDF with one text line per entry, paginated on A4."""
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    objects: list[bytes] = []
    page_ids = [4 + 2 * i for i in range(len(pages))]
    kids = b" ".join(b"%d 0 R" % pid for pid in page_ids)
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for page_id, page in zip(page_ids, pages):
        stream = b"BT /F1 %d Tf %d TL 56 %d Td\n" % (FONT_SIZE, LEADING, PAGE_HEIGHT - 64)
        stream += b"".join(b"(" + _escape(line) + b") Tj T*\n" for line in page)
        stream += b"ET\n"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, page_id + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
    objects.append(b"<< /Title (" + _escape(title) + b") /Producer (fakegoogle) >>")
    info_id = len(objects)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
    out += trailer % (len(objects) + 1, info_id, xref)
    return bytes(out)


_SHOW = re.compile(rb"\(((?:[^()\\]|\\.)*)\) Tj")


def extract_text(data: bytes) -> str:
    """The text lines of a PDF written by :func:`render`, joined by newlines."""
    lines = []
    for match in _SHOW.finditer(data):
        raw = re.sub(rb"\\(.)", rb"\1", match.group(1))
        lines.append(raw.decode("cp1252", "replace"))
    return "\n".join(lines)
