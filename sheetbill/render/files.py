"""Writing PDFs (and other outputs) under names made from cell values.

A name comes from an invoice number, which is text an admin can edit, so it
is made safe: whatever the text, the file lands inside the given folder
with a name every common file system accepts. Files are written atomically
(temporary file in the same folder, fsync, rename), and a file whose
content is already right is left untouched, mtime included.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
import unicodedata
from pathlib import Path

from .errors import RenderError

MAX_STEM_BYTES = 120  # UTF-8 bytes; well under every file system's 255-byte limit

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_SPACES = re.compile(r"\s+")
_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?", re.IGNORECASE)


def safe_name(text: str, suffix: str) -> str:
    """A file name for `text` ending in `suffix` (e.g. ".pdf").

    `INV-2026-0001` -> `INV-2026-0001.pdf`; `2026/01` -> `2026-01.pdf`;
    `../x` -> `x.pdf`; `CON` -> `_CON.pdf`; "" -> `unnamed.pdf`. Invisible
    characters (format, surrogate, unassigned) are dropped. A name longer
    than MAX_STEM_BYTES is cut and given a hash of the whole text, so two long
    numbers never share a file.
    """
    stem = unicodedata.normalize("NFC", text)
    if stem.lower().endswith(suffix.lower()):
        stem = stem[: -len(suffix)]
    stem = "".join(c for c in _UNSAFE.sub("-", stem) if unicodedata.category(c)[0] != "C")
    stem = _SPACES.sub(" ", stem).strip(" .-")
    if len(stem.encode()) > MAX_STEM_BYTES:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        while len(stem.encode()) > MAX_STEM_BYTES - 13:
            stem = stem[:-1]
        stem = f"{stem.rstrip(' .-')}~{digest}"
    if not stem:
        stem = "unnamed"
    if _RESERVED.fullmatch(stem):
        stem = f"_{stem}"
    return stem + suffix


def store_pdf(folder: Path, name: str, pdf: bytes) -> Path:
    """Write `pdf` as `<safe name>.pdf` in `folder` (created if missing).

    An existing file with the same bytes is kept as it is (its mtime too);
    a different one is replaced atomically. Returns the file's path; raises
    `RenderError` when the folder cannot be written.
    """
    try:
        return write_once(folder, safe_name(name, ".pdf"), pdf, replace=True)
    except OSError as error:
        raise RenderError(f"cannot store the PDF of {name} in {folder}: {error}") from error


def write_once(folder: Path, file_name: str, data: bytes, *, replace: bool) -> Path:
    """Write `data` to `folder/file_name` atomically unless it is there already.

    An identical file is always kept. A different one is replaced when
    `replace`, else kept as well (the first write wins). Raises OSError.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    if path.resolve().parent != folder.resolve():  # safe_name makes this impossible
        raise OSError(f"refusing to write {file_name!r} outside {folder}")
    clean_leftovers(folder, file_name)
    if path.exists() and (not replace or _same_bytes(path, data)):
        return path
    temporary = folder / f".{file_name}.{secrets.token_hex(4)}.tmp"
    try:
        with open(temporary, "xb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)
    return path


_LEFTOVER = re.compile(r"\..+\.[0-9a-f]{8}\.tmp")
LEFTOVER_AGE_SECONDS = 600  # another file's temporary this old belongs to no running write


def clean_leftovers(folder: Path, file_name: str, now: float | None = None) -> None:
    """Remove temporary files a killed run left in `folder`: this file's own at
    once, any other once it is LEFTOVER_AGE_SECONDS old."""
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not _LEFTOVER.fullmatch(entry.name):
            continue
        try:
            own = entry.name.startswith(f".{file_name}.") and len(entry.name) == len(file_name) + 14
            if own or now - entry.stat(follow_symlinks=False).st_mtime > LEFTOVER_AGE_SECONDS:
                os.unlink(entry.path)
        except OSError:
            pass


def _same_bytes(path: Path, data: bytes) -> bool:
    return path.stat().st_size == len(data) and path.read_bytes() == data


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
