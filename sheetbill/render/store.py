"""Where PDFs are kept: the one protocol every document goes through.

Invoices, credit notes, receipts, statements, superbills, claim forms and
invoice copies are all saved through a `PdfStore`: a local folder
(`render.folder.LocalFolder`, the config's `render.output`) or a Google Drive
folder (`render.drive.DriveFolder`). A document's PDF is named after it
(`INV-2026-0001.pdf`); saving the same bytes again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class StoredPdf:
    """A PDF once kept."""

    name: str  # its file name, as attached to an email
    link: str  # what the PDF column holds: a path (relative to the config's folder) or a Drive link
    path: Path | None = None  # the file on this machine, where there is one

    @property
    def where(self) -> str:
        """Where a person finds it: the file's path, else its link."""
        return str(self.path) if self.path is not None else self.link


class PdfStore(Protocol):
    """Keeps PDFs and finds them again."""

    def save(self, name: str, pdf: bytes) -> StoredPdf:
        """Keep `pdf` as `<safe name>.pdf`; an identical one is left as it is. Raises `RenderError`."""
        ...

    def link(self, name: str) -> str | None:
        """The link of the PDF kept under `name`, None while there is none."""
        ...

    def read(self, link: str) -> bytes:
        """The bytes of the PDF a link names. Raises `RenderError`."""
        ...

    def exists(self, link: str) -> bool:
        """Whether a PDF column's value still names a kept PDF."""
        ...
