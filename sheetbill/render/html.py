"""PDF invoices from an HTML template (jinja2 + WeasyPrint).

The template gets the context of `render.context`, plus `pages`: the number
of pages, known after a first layout, so page numbers are printed only on
invoices of more than one page (the template decides how).

The PDF is deterministic: its dates (document and embedded font subsets)
are the invoice's issue date and its file identifier comes from the invoice
number and checksum, so the same document gives the same bytes on every run
and the stored file is kept.
Resources (stylesheets, logo, fonts) come only from the template's folder
or `data:` URLs; nothing is fetched from the network.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..core.document import InvoiceDocument
from .context import invoice_context
from .errors import RenderError
from .template import fill, load_template

_EPOCH = date(2000, 1, 1)  # the PDF date of a document without any date
_ENVIRONMENT = threading.Lock()


class HtmlRenderer:
    """Renders `template_path` (an HTML jinja2 template) to PDF."""

    kind = "html"

    def __init__(self, template_path: Path) -> None:
        self.template_path = Path(template_path)
        self._folder = self.template_path.resolve().parent
        load_template(self.template_path, autoescape=True)  # a broken template fails now

    def render(self, doc: InvoiceDocument) -> bytes:
        template = load_template(self.template_path, autoescape=True)
        context = {**invoice_context(doc), "pages": 1}
        layout = self._layout(fill(template, context))
        if len(layout.pages) > 1:
            layout = self._layout(fill(template, {**context, "pages": len(layout.pages)}))
        stamp = doc.invoice.issue_date or doc.today or _EPOCH
        layout.metadata.created = layout.metadata.modified = stamp.isoformat()
        with self._weasyprint(), _source_date(stamp):
            return layout.write_pdf(pdf_identifier=_identifier(doc))

    def _layout(self, html: str) -> weasyprint.Document:
        with self._weasyprint():
            page = weasyprint.HTML(
                string=html, base_url=self._folder.as_uri() + "/",
                url_fetcher=_LocalFetcher(self._folder))
            return page.render()

    @contextmanager
    def _weasyprint(self) -> Iterator[None]:
        """WeasyPrint raises many kinds of exception; each means "no PDF"."""
        try:
            yield
        except Exception as error:
            raise RenderError(
                f"WeasyPrint could not render {self.template_path.name}: {error}") from error


@contextmanager
def _source_date(day: date) -> Iterator[None]:
    """Font subsets carry a "modified" time; fontTools takes it from
    `SOURCE_DATE_EPOCH` (the reproducible-builds convention) when set."""
    seconds = str(int(datetime.combine(day, time(), timezone.utc).timestamp()))
    with _ENVIRONMENT:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = seconds
        try:
            yield
        finally:
            if before is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before


def _identifier(doc: InvoiceDocument) -> bytes:
    """The PDF's /ID: stable for one invoice, different for a reissued one."""
    key = f"{doc.invoice.invoice_no}\n{doc.invoice.checksum}\n{doc.draft}"
    return hashlib.sha256(key.encode()).hexdigest()[:32].encode()


class _LocalFetcher(URLFetcher):
    """Fetches `data:` URLs and files inside the template's folder, nothing else."""

    def __init__(self, folder: Path) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self._folder = folder

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("file:"):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not path.is_relative_to(self._folder):
                raise ValueError(f"{url} is outside the template folder {self._folder}")
        return super().fetch(url, headers)
