"""Many invoice PDFs at once (a first cycle billing thousands of sessions):
rendered by this process and a pool of processes, one per core in all, in
the order given.

WeasyPrint holds the GIL while it lays out a page, so threads would not help;
processes do. Each is forked from a small server that has imported
WeasyPrint once (`forkserver`), so the worker's own threads and state are
not copied. The PDFs are deterministic (see render/html.py): a PDF made in
the pool has the same bytes as one made in this process.

A small batch is rendered here, one by one: starting processes costs more
than it saves. In a big one, this process is one of the renderers: it takes
the documents from the front, one at a time, from the start (while the
pool's processes start: importing WeasyPrint takes most of a second); once
started, the pool takes them from the back. They meet where the pool has
begun a document; the pool's PDFs are then handed on in order. Neither
waits for the other (only, at the end, for the PDF or two the pool has
begun), and no core runs two renderers.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import threading
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
    `here`: how this process renders one (a small batch, its part of a big one); `doctype`: the DocumentType's name
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
        helpers = self.workers - 1  # this process renders too
        pool = ProcessPoolExecutor(helpers, context, initializer=_start,
                                   initargs=(str(self.template_path), self.doctype))
        batch = _Batch(len(docs))
        starter = ThreadPoolExecutor(1)
        frozen = _freeze()
        try:
            starter.submit(batch.hand_out, pool, docs, helpers)
            here = 0
            while here < len(docs) and batch.take(here):  # from the front, while the pool has not begun it
                yield from one_by_one(self.here, docs[here:here + 1])
                here += 1
            for index in range(here, len(docs)):  # the pool's, all handed out (see _Batch.take)
                try:
                    yield batch.made(index)
                except BrokenExecutor as exc:  # a process died (out of memory, killed): the rest is made here
                    log.warning("the PDF processes stopped (%s); rendering the other %d here", exc, len(docs) - index)
                    yield from one_by_one(self.here, docs[index:])
                    break
        finally:  # the caller may stop early (a PDF it could not store): the rest is not rendered
            if batch.close():
                pool.shutdown(wait=True, cancel_futures=True)
                starter.shutdown(wait=True)
            else:  # the pool got nothing (still starting): it stops in the background, see _Batch.hand_out
                starter.shutdown(wait=False)
            if frozen:
                gc.unfreeze()


def _freeze() -> bool:
    """While this process renders its part of a batch, what it held before is left out of its garbage
    collections (as in a pool process, see `_start`); not if the caller has frozen it already."""
    if gc.get_freeze_count():
        return False
    gc.freeze()
    return True


class _Batch:
    """Who renders which document of a batch: this process from the front (`take`), the pool from the
    back (`hand_out`, once its processes have started). A document handed to the pool is still taken
    back while the pool has not begun it."""

    def __init__(self, size: int) -> None:
        self._lock = threading.Lock()
        self._futures: list[Future[Result] | None] = [None] * size
        self._taken = [False] * size  # rendered here
        self._closed = self._handed = False

    def take(self, index: int) -> bool:
        """Whether this process renders document `index`: the pool has not begun it. Once it has, it has been
        given every later document too (they are handed out from the back, in one go)."""
        with self._lock:
            future = self._futures[index]
            if future is None or future.cancel():
                self._taken[index] = True
                return True
            return False

    def made(self, index: int) -> Result:
        """The pool's result for document `index` (raises BrokenExecutor when its process died)."""
        future = self._futures[index]
        assert future is not None  # take(index) said the pool had begun it
        return future.result()

    def close(self) -> bool:
        """No more handing out; whether the pool was handed documents."""
        with self._lock:
            self._closed = True
            return self._handed

    def hand_out(self, pool: ProcessPoolExecutor, docs: Sequence, processes: int) -> None:
        """Starts the pool's processes (in this thread: it takes most of a second), then hands them the
        documents not yet taken here, the last first. A pool given nothing is shut down here."""
        try:
            started = [pool.submit(_ready) for _ in range(processes)]
            for future in started:
                future.exception()
            with self._lock:
                for index in reversed(range(len(docs))):
                    if self._closed or self._taken[index]:
                        break
                    self._futures[index] = pool.submit(_render, docs[index])
                    self._handed = True
        except (BrokenExecutor, OSError) as exc:  # could not start: this process renders them all
            log.warning("the PDF processes stopped (%s); rendering the batch here", exc)
        finally:
            with self._lock:
                unused = not self._handed
            if unused:
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


def _ready() -> bool:
    return _current is not None


def _render(doc) -> Result:
    if _current is None:
        return RuntimeError("the pool process was not started")
    try:
        return _current.render(doc)
    except Exception as exc:  # sent back to the caller, in order, like any other result
        return exc
