"""What the worker needs from a renderer."""

from __future__ import annotations

from typing import Protocol

from ..core.document import InvoiceDocument


class Renderer(Protocol):
    """Turns an invoice document into PDF bytes."""

    kind: str  # "html", "docx", "gdocs": shown in logs and messages

    def render(self, doc: InvoiceDocument) -> bytes:
        """The PDF of `doc`; raises `RenderError`."""
        ...
