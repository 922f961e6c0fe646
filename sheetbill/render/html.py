"""PDFs from an HTML template (jinja2 + WeasyPrint): invoices and credit notes,
receipts and statements.

A renderer is made for one `DocumentType` (invoices unless told otherwise):
the template gets that type's context (`render.context`, `render.receipt`,
`render.statement`), plus `pages`: the number of pages, known after a first
layout, so page numbers are printed only on documents of more than one page
(the template decides how).

The PDF is deterministic: its dates (document and embedded font subsets)
are the document's own date and its file identifier is a hash of the
document's identity (an invoice's number and checksum; all a receipt or a
statement says), so the same document gives the same bytes on every run and
the stored file is kept.
Resources (stylesheets, logo, fonts) come only from the template's folder
or `data:` URLs; nothing is fetched from the network.

The template's `<style>` rules are the same for every document of a language:
they are parsed once per text and reused (parsing them took a tenth of a render).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any, Generic, TypeVar, overload
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..core.document import InvoiceDocument
from ..code_version import code_version
from .base import DocumentType, files_digest
from .context import INVOICE
from .errors import RenderError
from .template import fill, load_template

_EPOCH = date(2000, 1, 1)  # the PDF date of a document without any date
_ENVIRONMENT = threading.Lock()
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)  # a plain <style> element (none with a media)
# Rendered as WeasyPrint reads them, not shared: rules WeasyPrint keeps per document, and where
# the cascade would differ (shared rules are of the user origin, a linked stylesheet's of the author)
_UNSHARED = ("@counter-style", "@color-profile", "!important", "<link", "<!--")
_SHEETS = 8  # parsed stylesheets kept per renderer (one per language in use)

D = TypeVar("D")


class HtmlRenderer(Generic[D]):
    """Renders documents of one type with `template_path` (an HTML jinja2
    template) to PDF: `HtmlRenderer(path)` for invoices,
    `HtmlRenderer(path, RECEIPT)` for receipts."""

    kind = "html"

    @overload
    def __init__(self: HtmlRenderer[InvoiceDocument], template_path: Path, *,
                 pdf_variant: str | None = None) -> None: ...
    @overload
    def __init__(self, template_path: Path, doctype: DocumentType[D], pdf_variant: str | None = None) -> None: ...

    def __init__(self, template_path: Path, doctype: DocumentType[Any] = INVOICE,
                 pdf_variant: str | None = None) -> None:
        self.template_path = Path(template_path)
        self.doctype = doctype
        self.pdf_variant = pdf_variant  # "pdf/a-3b" for a Factur-X invoice
        self._folder = self.template_path.resolve().parent
        self._fonts: FontConfiguration | None = None  # made once, on the first render (fontconfig set up once)
        self._sheets: dict[str, weasyprint.CSS] = {}  # the template's <style> text -> its rules, parsed
        load_template(self.template_path, autoescape=True)  # a broken template fails now

    def check(self) -> None:
        """The template was loaded when this renderer was made: nothing more to prove."""

    def made_of(self) -> str:
        """The files of the template's folder (the template, the layout it extends, its images),
        the document type and the PDF variant, with the code that renders them."""
        return files_digest(self._folder, f"html {self.doctype.name} {self.pdf_variant} {code_version()}")

    def render(self, doc: D) -> bytes:
        template = load_template(self.template_path, autoescape=True)
        context = {**self.doctype.context(doc), "pages": 1}
        layout = self._layout(fill(template, context))
        if len(layout.pages) > 1:
            layout = self._layout(fill(template, {**context, "pages": len(layout.pages)}))
        stamp = self.doctype.day(doc) or _EPOCH
        layout.metadata.created = layout.metadata.modified = stamp.isoformat()
        identifier = hashlib.sha256(self.doctype.identity(doc).encode()).hexdigest()[:32]
        with self._weasyprint(), _source_date(stamp):
            if self.pdf_variant:
                return layout.write_pdf(pdf_identifier=identifier.encode(), pdf_variant=self.pdf_variant)
            return layout.write_pdf(pdf_identifier=identifier.encode())

    def _layout(self, html: str) -> weasyprint.Document:
        with self._weasyprint():
            if self._fonts is None:
                self._fonts = FontConfiguration()
            html, sheets = self._styles(html)
            page = weasyprint.HTML(
                string=html, base_url=self._folder.as_uri() + "/",
                url_fetcher=_LocalFetcher(self._folder))
            return page.render(font_config=self._fonts, stylesheets=sheets)

    def _styles(self, html: str) -> tuple[str, list[weasyprint.CSS]]:
        """`html` without its `<style>` elements, and their rules, parsed once per text."""
        texts = _STYLE.findall(html)
        if not texts or any(mark in html for mark in _UNSHARED):
            return html, []
        key = "\n".join(texts)
        sheet = self._sheets.get(key)
        if sheet is None:
            sheet = weasyprint.CSS(string=key, base_url=self._folder.as_uri() + "/",
                                   url_fetcher=_LocalFetcher(self._folder), font_config=self._fonts)
            if len(self._sheets) >= _SHEETS:
                del self._sheets[next(iter(self._sheets))]
            self._sheets[key] = sheet
        return _STYLE.sub("", html), [sheet]

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
