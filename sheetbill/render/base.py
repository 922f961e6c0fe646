"""What the worker needs from a renderer, and what a renderer needs to know
about each kind of document."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
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


@dataclass(frozen=True)
class DocumentType(Generic[D]):
    """How one kind of document (invoice, receipt, statement) becomes a
    template context and a reproducible PDF."""

    name: str  # "invoice", "receipt", "statement"
    context: Callable[[D], Mapping[str, object]]  # the template context, every value text
    day: Callable[[D], date | None]  # the document's date, stamped into the PDF
    identity: Callable[[D], str]  # hashed into the PDF's /ID: same document, same text
                                  # (`repr` of a frozen document will do)
