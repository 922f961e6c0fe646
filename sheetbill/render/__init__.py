"""PDFs from the practice's own templates. Invoices and credit notes: HTML
(WeasyPrint) or Word (docxtpl, converted by LibreOffice); every invoice
renderer takes an `InvoiceDocument` and returns PDF bytes. Receipts and
statements: HTML, `HtmlRenderer(template, RECEIPT)` and
`HtmlRenderer(template, STATEMENT)`. Every PDF is kept through a `store.PdfStore`:
a local folder (`folder.LocalFolder`) or a Drive folder (`drive.DriveFolder`)."""

from .base import Renderer
from .errors import RenderError

__all__ = ["RenderError", "Renderer"]
