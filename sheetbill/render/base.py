"""What the worker needs from a renderer, and what a renderer needs to know
about each kind of document."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from ..core.document import InvoiceDocument

D = TypeVar("D")


class Renderer(Protocol):
    """Turns an invoice document into PDF bytes."""

    kind: str  # "html", "docx", "gdocs": shown in logs and messages

    def render(self, doc: InvoiceDocument) -> bytes:
        """The PDF of `doc`; raises `RenderError`."""
        ...

    def check(self) -> None:
        """Raise `RenderError` when the template cannot be used (`sheetbill check`)."""
        ...

    def made_of(self) -> str:
        """A digest of all but the document that decides its PDF (the template's files, the
        renderer and its options), so that a PDF kept of the same document made the same way
        is used again instead of made anew; "" where that cannot be told here (every PDF is
        then made anew)."""
        ...


@dataclass(frozen=True)
class DocumentType(Generic[D]):
    """How one kind of document (invoice, receipt, statement) becomes a
    template context and a reproducible PDF."""

    name: str  # "invoice", "receipt", "statement"
    context: Callable[[D], Mapping[str, object]]  # the template context, every value text
    day: Callable[[D], date | None]  # the document's date, stamped into the PDF
    identity: Callable[[D], str]  # hashed into the PDF's /ID: same document, same text
                                  # (`repr` of a frozen document will do)


def files_digest(where: Path, also: str) -> str:
    """A digest of `also` and of the file `where`, or of every file under the folder `where`
    (names within it and contents); "" when one cannot be read."""
    digest = hashlib.sha256(also.encode())
    try:
        if where.is_file():
            digest.update(where.read_bytes())
            return digest.hexdigest()
        found = []
        for folder, subfolders, files in os.walk(where):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith(".") and name != "__pycache__")
            found += [Path(folder, name) for name in files if not name.startswith(".")]
        for path in sorted(found):
            data = path.read_bytes()
            digest.update(f"{path.relative_to(where).as_posix()}\0{len(data)}\0".encode())
            digest.update(data)
    except OSError:
        return ""
    return digest.hexdigest()
