"""PDFs kept in a Google Drive folder instead of a local one.

The `PdfStore` (render/store.py) of a Drive folder: `save(name, pdf)` keeps
a PDF and gives its link for the PDF column; `exists(link)` tells whether a
PDF column's value still names a stored PDF (`render.folder.LocalFolder` is
the local store).

On Drive, the file is named like a local one (`INV-2026-0001.pdf`) and
looked up by that name in the folder first: an identical file is kept, a
different one gets the new content, and only a missing one is created. A
create that got no clear answer is looked up again rather than repeated, so
a dropped connection never leaves two copies. A link in the PDF column is
trusted (no request per invoice and cycle): clear the cell to have the PDF
made again.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from ..google.errors import explain
from ..google.http import Google
from ..google.retry import ApiFailure
from .errors import RenderError
from .files import safe_name
from .store import StoredPdf

LINK = "https://drive.google.com/file/d/{}/view"
FOLDER = "application/vnd.google-apps.folder"
FILE_FIELDS = "id,md5Checksum"


class DriveFolder:
    """The PDF store of a Drive folder (`folder_id`)."""

    def __init__(self, google: Google, folder_id: str) -> None:
        self.google, self.folder_id = google, folder_id

    def save(self, name: str, pdf: bytes) -> StoredPdf:
        """Keep `pdf` as `<safe name>.pdf` in the Drive folder."""
        file_name = safe_name(name, ".pdf")
        try:
            found = self._find(file_name)
            if found is None:
                found = self._create(file_name, pdf)
            elif found.get("md5Checksum") != hashlib.md5(pdf).hexdigest():
                self._upload(pdf, lambda media: self._files().update(fileId=found["id"], media_body=media,
                                                                     fields=FILE_FIELDS))
        except ApiFailure as failure:
            raise RenderError(explain(failure, f"storing {file_name} in the Drive folder")) from None
        return StoredPdf(file_name, LINK.format(found["id"]))

    def check(self) -> None:
        """Raise RenderError unless the folder can be found and written to."""
        try:
            found = self.google.execute(lambda: self._files().get(
                fileId=self.folder_id, fields="mimeType,trashed,capabilities/canAddChildren"))
        except ApiFailure as failure:
            raise RenderError(explain(failure, f"the Drive folder {self.folder_id}") + (
                " (with its narrow Drive permission sheetbill sees only folders it created or that are "
                "shared with its service account: `sheetbill init --google` makes one)"
                if failure.status == 404 else "")) from None
        if found.get("mimeType") != FOLDER or found.get("trashed"):
            raise RenderError(f"the Drive folder {self.folder_id}: not a folder, or in the trash")
        if not (found.get("capabilities") or {}).get("canAddChildren", True):
            raise RenderError(f"the Drive folder {self.folder_id}: sheetbill may not add files to it (share it as Editor)")

    def link(self, name: str) -> str | None:
        """The link of the PDF kept under `name`, None while there is none."""
        try:
            found = self._find(safe_name(name, ".pdf"))
        except ApiFailure as failure:
            raise RenderError(explain(failure, f"looking for {name} in the Drive folder")) from None
        return LINK.format(found["id"]) if found else None

    def exists(self, link: str) -> bool:
        return link.startswith(LINK.split("{}")[0])

    def read(self, link: str) -> bytes:
        """The bytes of a stored PDF."""
        file_id = link[len(LINK.split("{}")[0]):].split("/")[0]
        try:
            return self.google.execute(lambda: self._files().get_media(fileId=file_id))
        except ApiFailure as failure:
            raise RenderError(explain(failure, f"reading {link} from Drive")) from None

    def _files(self) -> Any:
        return self.google.service("drive").files()

    def _find(self, file_name: str) -> dict[str, Any] | None:
        escaped = file_name.replace("\\", "\\\\").replace("'", "\\'")
        query = f"name = '{escaped}' and '{self.folder_id}' in parents and trashed = false"
        answer = self.google.execute(lambda: self._files().list(q=query, fields=f"files({FILE_FIELDS})",
                                                                pageSize=10, spaces="drive"))
        files = answer.get("files") or []
        return files[0] if files else None

    def _create(self, file_name: str, pdf: bytes) -> dict[str, Any]:
        metadata = {"name": file_name, "parents": [self.folder_id], "mimeType": "application/pdf"}
        try:
            return self._upload(pdf, lambda media: self._files().create(body=metadata, media_body=media,
                                                                        fields=FILE_FIELDS), idempotent=False)
        except ApiFailure as failure:
            if failure.refused or not failure.transient:
                raise
            found = self._find(file_name)  # no clear answer: look before creating again
            return found or self._upload(pdf, lambda media: self._files().create(
                body=metadata, media_body=media, fields=FILE_FIELDS), idempotent=False)

    def _upload(self, pdf: bytes, make, idempotent: bool = True) -> dict[str, Any]:
        from googleapiclient.http import MediaIoBaseUpload

        return self.google.execute(lambda: make(MediaIoBaseUpload(io.BytesIO(pdf), "application/pdf")),
                                   idempotent=idempotent)


def create_folder(google: Google, name: str) -> str:
    """A new Drive folder (sheetbill's own, so the narrow drive.file permission covers it); its id."""
    drive = google.service("drive")
    made = google.execute(lambda: drive.files().create(body={"name": name, "mimeType": FOLDER}, fields="id"),
                          idempotent=False)
    return made["id"]
