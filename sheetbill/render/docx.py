"""PDF invoices from a Word template (docxtpl), converted by LibreOffice.

The `.docx` template uses the context of `render.context` with docxtpl's
syntax: `{{ client.name }}`, a lines table with `{%tr for line in lines %}`
rows, `{%p if draft %}` paragraphs. Values are escaped (docxtpl autoescape),
so cell text is printed as written; a newline in a value is a line break.

Printed words are written `{{ _('Due date') }}`: `_` (and `gettext`,
`ngettext`, `pgettext`) come with the context, in the document's language,
as for the HTML template (`sheetbill.language`); dates and amounts are
already the locale's. A template edited before languages existed keeps
working, in English words.

The PDF comes from `soffice --headless --convert-to pdf`, run with its own
throw-away profile so that parallel conversions do not clash, and killed
(with the processes it started) when it takes longer than `timeout`.
Unlike the HTML renderer, LibreOffice stamps the PDF with the current time,
so the same invoice gives a new file on every render.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from collections.abc import Iterator, Sequence

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from ..code_version import code_version
from ..core.document import InvoiceDocument
from ..language import template_functions
from .base import files_digest
from .context import invoice_context
from .errors import RenderError

NO_SOFFICE = (
    "LibreOffice (soffice) is needed to turn a Word template into a PDF and was not "
    "found{where}. Install it (Debian/Ubuntu: apt-get install libreoffice-writer-nogui) "
    "or use the HTML template (render: engine: html)."
)


class DocxRenderer:
    """Renders `template_path` (a docxtpl Word template) to PDF through LibreOffice."""

    kind = "docx"

    def __init__(self, template_path: Path, soffice: str | None = None,
                 timeout: float = 120) -> None:
        self.template_path = Path(template_path)
        if not self.template_path.is_file():
            raise RenderError(f"template not found: {self.template_path}")
        self.soffice = soffice
        self.timeout = timeout

    def check(self) -> None:
        """The template was found when this renderer was made (LibreOffice is looked for on the first PDF)."""

    def made_of(self) -> str:
        """The Word template's bytes, with the code that fills it."""
        return files_digest(self.template_path, f"docx {code_version()}")

    def render(self, doc: InvoiceDocument) -> bytes:
        return self.convert(self.render_docx(doc))

    def render_docx(self, doc: InvoiceDocument) -> bytes:
        """The filled-in Word document."""
        environment = SandboxedEnvironment(undefined=jinja2.StrictUndefined)
        try:
            template = DocxTemplate(self.template_path)
            context = invoice_context(doc)
            template.render({**template_functions(context["language"]), **context},
                            jinja_env=environment, autoescape=True)
        except jinja2.TemplateError as error:
            near = " ".join(" ".join(getattr(error, "docx_context", ())).split())
            raise RenderError(f"{self.template_path.name}: {error}"
                              + (f", near: {near[:200]}" if near else "")) from None
        except Exception as error:  # not a Word file, or XML the filling broke
            raise RenderError(f"cannot fill in {self.template_path}: {error}") from error
        output = io.BytesIO()
        template.save(output)
        return output.getvalue()

    def convert(self, docx: bytes) -> bytes:
        """PDF bytes of a Word document, by LibreOffice."""
        program = self._program()
        with tempfile.TemporaryDirectory(prefix="sheetbill-soffice-") as folder:
            work = Path(folder)
            source = work / "invoice.docx"
            source.write_bytes(docx)
            command = [
                program, f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
                "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(work / "out"),
                str(source),
            ]
            code, errors = self._run(command)
            pdf = work / "out" / "invoice.pdf"
            if code != 0 or not pdf.is_file():
                detail = errors.strip().splitlines()[-1:] or [f"exit status {code}"]
                raise RenderError(
                    f"LibreOffice could not convert {self.template_path.name}: {detail[0]}")
            return pdf.read_bytes()

    def render_all(self, docs: Sequence[InvoiceDocument], batch: int = 50) -> Iterator[bytes | Exception]:
        """Each document's PDF (or why not), in order: LibreOffice started once per `batch`
        documents instead of once each (its start is most of a conversion's time)."""
        for start in range(0, len(docs), batch):
            filled: list[bytes | Exception] = []
            for doc in docs[start:start + batch]:
                try:
                    filled.append(self.render_docx(doc))
                except RenderError as exc:
                    filled.append(exc)
            yield from self.convert_many(filled)

    def convert_many(self, docxs: Sequence[bytes | Exception]) -> list[bytes | Exception]:
        """PDFs of Word documents by one LibreOffice run (an Exception given stays in its place)."""
        try:
            program = self._program()
        except RenderError as exc:
            return [exc] * len(docxs)
        with tempfile.TemporaryDirectory(prefix="sheetbill-soffice-") as folder:
            work = Path(folder)
            names = []
            for i, docx in enumerate(docxs):
                if isinstance(docx, bytes):
                    (work / f"invoice-{i:05d}.docx").write_bytes(docx)
                    names.append(str(work / f"invoice-{i:05d}.docx"))
            if not names:
                return list(docxs)
            command = [
                program, f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
                "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(work / "out"), *names,
            ]
            try:
                code, errors = self._run(command, self.timeout * max(1, len(names) // 10))
            except RenderError as exc:
                return [d if isinstance(d, Exception) else exc for d in docxs]
            out: list[bytes | Exception] = []
            for i, docx in enumerate(docxs):
                pdf = work / "out" / f"invoice-{i:05d}.pdf"
                if isinstance(docx, Exception):
                    out.append(docx)
                elif pdf.is_file():
                    out.append(pdf.read_bytes())
                else:
                    detail = errors.strip().splitlines()[-1:] or [f"exit status {code}"]
                    out.append(RenderError(f"LibreOffice could not convert {self.template_path.name}: {detail[0]}"))
            return out

    def _program(self) -> str:
        if self.soffice:
            found = shutil.which(self.soffice)
            if not found:
                raise RenderError(NO_SOFFICE.format(where=f" at {self.soffice!r}"))
            return found
        found = shutil.which("soffice") or shutil.which("libreoffice")
        if not found:
            raise RenderError(NO_SOFFICE.format(where=" on the PATH"))
        return found

    def _run(self, command: list[str], timeout: float | None = None) -> tuple[int, str]:
        """Exit status and stderr; on timeout the whole process group is killed."""
        timeout = timeout or self.timeout
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, start_new_session=True, text=True)
        except OSError as error:
            raise RenderError(f"cannot start LibreOffice ({command[0]}): {error}") from error
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise RenderError(
                f"LibreOffice took longer than {timeout:g} s to convert "
                f"{self.template_path.name}; it was stopped") from None
        return process.returncode, errors
