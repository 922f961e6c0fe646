"""Many invoice PDFs at once (a first cycle billing thousands of sessions):
rendered by a pool of processes, one per core, in the order given.

WeasyPrint holds the GIL while it lays out a page, so threads would not help;
processes do. Each is forked from a small server that has imported
WeasyPrint once (`forkserver`), so the worker's own threads and state are
not copied. The PDFs are deterministic (see render/html.py): a PDF made in
the pool has the same bytes as one made in this process.

A small batch is rendered here, one by one: starting processes costs more
than it saves. In a big one, this process renders the first documents while
the pool's processes start (importing WeasyPrint takes most of a second),
at most its share of the batch, and the pool renders the rest.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .html import HtmlRenderer

log = logging.getLogger("sheetbill")
MIN_BATCH = 8  # fewer PDFs than this: no pool

Result = bytes | Exception  # a PDF, or why it could not be made


def processes() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def one_by_one(render: Callable[[object], bytes], docs: Sequence) -> Generator[Result, None, None]:
    for doc in docs:
        try:
            yield render(doc)
        except Exception as exc:  # RenderError and kin: the caller decides what it means
            yield exc


class HtmlPool:
    """Renders documents of one type with an HTML template, in a pool when there are many.
    `here`: how this process renders one (a small batch); `doctype`: the DocumentType's name
    (passed by name: its functions may be lambdas, which do not pickle)."""

    def __init__(self, here: Callable[[object], bytes], template_path: Path, doctype: str = "invoice",
                 workers: int | None = None, min_batch: int | None = None) -> None:
        self.here, self.template_path, self.doctype = here, Path(template_path), doctype
        self.workers = workers or processes()
        self.min_batch = min_batch if min_batch is not None else MIN_BATCH

    def render_all(self, docs: Sequence) -> Generator[Result, None, None]:
        """Each document's PDF (or its exception), in order, as they are ready."""
        if len(docs) < self.min_batch or self.workers < 2:
            yield from one_by_one(self.here, docs)
            return
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["sheetbill.render.html"])
        log.info("rendering %d PDFs in %d processes", len(docs), self.workers)
        pool = ProcessPoolExecutor(self.workers, context, initializer=_start,
                                   initargs=(str(self.template_path), self.doctype))
        starter = ThreadPoolExecutor(1)
        try:
            ready = starter.submit(_start_processes, pool, self.workers)
            here, share = 0, len(docs) // (self.workers + 1)
            while here < share and not ready.done():  # render here while the processes start
                yield from one_by_one(self.here, docs[here:here + 1])
                here += 1
            rest = docs[here:]  # in small chunks: a process left with a big last chunk keeps the other waiting
            made = 0
            try:
                for result in pool.map(_render, rest, chunksize=max(1, min(4, len(rest) // (self.workers * 8)))):
                    yield result
                    made += 1
            except BrokenExecutor as exc:  # a process died (out of memory, killed): the rest is made here
                log.warning("the PDF processes stopped (%s); rendering the other %d here", exc, len(rest) - made)
                yield from one_by_one(self.here, rest[made:])
        finally:  # the caller may stop early (a PDF it could not store): the rest is not rendered
            starter.shutdown(wait=True)
            pool.shutdown(wait=True, cancel_futures=True)


_current: HtmlRenderer | None = None  # the renderer of a pool process


def _renderer(template_path: Path, doctype: str):
    from .base import DocumentType
    from .context import INVOICE
    from .html import HtmlRenderer
    from .receipt import RECEIPT
    from .statement import STATEMENT

    doctypes: dict[str, DocumentType] = {"invoice": INVOICE, "receipt": RECEIPT, "statement": STATEMENT}
    return HtmlRenderer(Path(template_path), doctypes[doctype])


def _start(template_path: str, doctype: str) -> None:
    global _current
    _current = _renderer(Path(template_path), doctype)
    gc.freeze()  # the modules and the template stay: a collection looks only at what renders make (half its time)


def _start_processes(pool: ProcessPoolExecutor, workers: int) -> None:
    """Returns when the pool's processes have started (or could not: the pool is broken)."""
    started: list[Future[bool]] = [pool.submit(_ready) for _ in range(workers)]
    for future in started:
        future.exception()


def _ready() -> bool:
    return _current is not None


def _render(doc) -> Result:
    if _current is None:
        return RuntimeError("the pool process was not started")
    try:
        return _current.render(doc)
    except Exception as exc:  # sent back to the caller, in order, like any other result
        return exc
