"""Invoice PDFs from the practice's own template: HTML (WeasyPrint) or Word
(docxtpl, converted by LibreOffice). Every renderer takes an
`InvoiceDocument` and returns PDF bytes; `files.store_pdf` keeps them."""

from .base import Renderer
from .errors import RenderError

__all__ = ["RenderError", "Renderer"]
