"""Which document each invoice PDF a run kept was made from, so that the next run uses
the PDF again instead of making it anew when the document is still the same: a run
stopped while it made thousands of PDFs, or while it sent their emails, goes on where
it stopped (an email still carries the invoice as it stands when it is sent: a PDF
made of another version of the document is made again).

Kept in the workbook's cache beside it (only ever an optimisation: without it every
PDF is made), for the invoices still waiting for their PDF or email only."""

from __future__ import annotations

import hashlib
import json
from typing import Callable, Iterable, Protocol

from ..core.document import InvoiceDocument
from ..render.context import INVOICE, invoice_context

KEY = "pdfs_made"
EVERY = 200  # PDFs made between two writes of the record: what a run killed makes again at most


class Kept(Protocol):
    def get(self, key: str, default=None): ...

    def put(self, **entries) -> None: ...


class PdfsMade:
    def __init__(self, cache: Kept, made_of: str, waiting: Iterable[str]) -> None:
        """`made_of`: the renderer's (`Renderer.made_of`), "" to make every PDF anew; `waiting`:
        the invoices that still wait for their PDF or email (the others are let go)."""
        self.cache, self.made_of = cache, made_of
        kept = cache.get(KEY, {}) if made_of else {}
        keep = set(waiting)
        self.made: dict[str, str] = {number: key for number, key in kept.items()
                                     if number in keep and isinstance(key, str)} if isinstance(kept, dict) else {}
        self._unsaved = 0

    def key(self, doc: InvoiceDocument) -> str:
        """The digest of what the PDF of `doc` shows, made this way ("" when PDFs are always made
        anew): its template context and date, not the whole document (whose PDF link, Sent At and
        Message ID a run that stopped wrote since)."""
        if not self.made_of:
            return ""
        shown = json.dumps([invoice_context(doc), str(INVOICE.day(doc))], sort_keys=True, default=str)
        return hashlib.sha256(f"{self.made_of}\0{shown}".encode()).hexdigest()[:32]

    def kept(self, number: str, key: str, read: Callable[[], bytes | None]) -> bytes | None:
        """The PDF kept for `number` (`read()`, None where there is none) if it was made of the
        document `key` names, and is still the file that was made then."""
        made = self.made.get(number, "")
        if not key or made.partition(":")[0] != key:
            return None
        pdf = read()
        return pdf if pdf is not None and made == self._entry(key, pdf) else None

    def add(self, number: str, key: str, pdf: bytes) -> None:
        """`pdf`, made of the document `key` names, is kept for `number`."""
        if not key:
            return
        self.made[number] = self._entry(key, pdf)
        self._unsaved += 1
        if self._unsaved >= EVERY:
            self.save()

    @staticmethod
    def _entry(key: str, pdf: bytes) -> str:
        return f"{key}:{hashlib.sha256(pdf).hexdigest()[:16]}"

    def save(self) -> None:
        if self.made_of:
            self.cache.put(**{KEY: dict(self.made)})
        self._unsaved = 0
