"""Which sheetbill runs: a digest of its own code, for what a cycle keeps only while the
code that made it is the same (a quiet cycle's key, the PDFs a run already made)."""

from __future__ import annotations

import hashlib
import os
import secrets
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).parent
SOURCES = (".py", ".po")  # the code, and the translations its messages come from


@cache
def code_version() -> str:
    """A digest of the source files of the sheetbill that runs, read once per process (some
    10 ms). It changes with every change to the code, where `__version__` stays the same
    between releases and a `git pull` does not touch it; and it is the same for the same
    code in any folder or clone, as it hashes paths within the package and contents only.
    Where the sources cannot be read, a value of this process alone: no stored key matches."""
    digest = hashlib.sha256()
    sources: list[tuple[str, str]] = []
    try:
        for folder, subfolders, files in os.walk(PACKAGE, onerror=_raise):
            subfolders[:] = [name for name in subfolders if name != "__pycache__"]
            inside = Path(folder).relative_to(PACKAGE).as_posix()
            sources += [(f"{inside}/{name}", os.path.join(folder, name)) for name in files if name.endswith(SOURCES)]
        for name, path in sorted(sources):
            with open(path, "rb") as source:
                data = source.read()
            digest.update(f"{name}\0{len(data)}\0".encode())
            digest.update(data)
    except OSError:
        sources = []
    return digest.hexdigest()[:16] if sources else f"process-{secrets.token_hex(8)}"


def _raise(error: OSError) -> None:
    raise error
