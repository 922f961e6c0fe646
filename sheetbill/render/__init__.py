"""PDFs from the practice's own templates. Invoices and credit notes: HTML
(WeasyPrint) or Word (docxtpl, converted by LibreOffice); every invoice
renderer takes an `InvoiceDocument` and returns PDF bytes. Receipts and
statements: HTML, `HtmlRenderer(template, RECEIPT)` and
`HtmlRenderer(template, STATEMENT)`. `files.store_pdf` keeps the PDFs."""

from .base import Renderer
from .errors import RenderError

__all__ = ["RenderError", "Renderer"]
