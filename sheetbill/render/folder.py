"""PDFs kept in a folder on this machine (the config's `render.output`)."""

from __future__ import annotations

from pathlib import Path

from .errors import RenderError
from .files import safe_name, store_pdf
from .store import StoredPdf


class LocalFolder:
    """The `PdfStore` of `folder`; links are paths relative to `base` (the config's folder)
    where the folder lies under it, else absolute."""

    def __init__(self, folder: Path, base: Path) -> None:
        self.folder, self.base = Path(folder), Path(base)

    def save(self, name: str, pdf: bytes) -> StoredPdf:
        path = store_pdf(self.folder, name, pdf)
        return StoredPdf(path.name, self._link(path), path)

    def link(self, name: str) -> str | None:
        path = self.folder / safe_name(name, ".pdf")
        return self._link(path) if path.is_file() else None

    def read(self, link: str) -> bytes:
        try:
            return self._path(link).read_bytes()
        except OSError as error:
            raise RenderError(f"cannot read the PDF {link}: {error}") from error

    def exists(self, link: str) -> bool:
        return self._path(link).is_file()

    def _path(self, link: str) -> Path:
        path = Path(link)
        return path if path.is_absolute() else self.base / path

    def _link(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.base).as_posix()
        except ValueError:
            return str(path)
