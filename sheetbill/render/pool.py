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
started, the pool is handed the others, the last first. Whoever begins a
document first renders it (the other skips it), so they meet in the middle
without either waiting for the other, except at the very end for the one
PDF the other is making; the pool's PDFs are handed on in order. No core
runs two renderers.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import SynchronizedArray

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


def one_by_one(render: Callable[[Any], bytes], docs: Sequence) -> Generator[Result, None, None]:
    for doc in docs:
        try:
            yield render(doc)
        except Exception as exc:  # RenderError and kin: the caller decides what it means
            yield exc


class HtmlPool:
    """Renders documents of one type with an HTML template, in a pool when there are many.
    `here`: how this process renders one (a small batch, its part of a big one); `doctype`: the DocumentType's name
    (passed by name: its functions may be lambdas, which do not pickle); `workers`: the processes that render,
    this one included (one per core)."""

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
        batch = _Batch(docs, context.Array("b", len(docs)))
        pool = ProcessPoolExecutor(helpers, context, initializer=_start,
                                   initargs=(str(self.template_path), self.doctype, batch.begun))
        starter = ThreadPoolExecutor(1)
        frozen = _freeze()
        try:
            starter.submit(batch.hand_out, pool, helpers)
            stopped: BrokenExecutor | None = None
            for index, doc in enumerate(docs):
                if batch.take(index):  # from the front, each one the pool has not begun
                    yield from one_by_one(self.here, [doc])
                    continue
                try:
                    yield batch.made(index)
                except BrokenExecutor as exc:  # its process died (out of memory, killed): made here
                    stopped = stopped or exc
                    yield from one_by_one(self.here, [doc])
            problem = stopped or batch.problem()
            if problem is not None:
                log.warning("the PDF processes stopped (%s); the PDFs they had not made were made here", problem)
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


_HERE, _POOL = 1, 2  # who began a document (`_Batch.begun`)


def _begin(begun: SynchronizedArray, index: int, who: int) -> bool:
    """Whether `who` renders document `index`: nobody has begun it."""
    with begun.get_lock():
        if begun[index]:
            return False
        begun[index] = who
        return True


class _Batch:
    """Who renders which document of a batch. This process takes them from the front (`take`); the pool is
    handed those not yet taken, the last first (`hand_out`, once its processes have started), and a pool
    process renders one only if this process has not begun it (`begun`, in memory shared with the pool's
    processes), else returns None for it."""

    def __init__(self, docs: Sequence, begun: SynchronizedArray) -> None:
        self.docs, self.begun = docs, begun
        self._lock = threading.Lock()
        self._futures: list[Future[Result | None] | None] = [None] * len(docs)
        self._closed = self._handed = False
        self._problem: BrokenExecutor | OSError | None = None

    def take(self, index: int) -> bool:
        """Whether this process renders document `index` (else the pool has begun it)."""
        return _begin(self.begun, index, _HERE)

    def made(self, index: int) -> Result:
        """The pool's PDF of document `index`, which it has begun (raises BrokenExecutor when its process died)."""
        with self._lock:  # the handing out is over: a pool process began it, so it was handed out
            future = self._futures[index]
        assert future is not None
        result = future.result()
        assert result is not None  # None: begun here
        return result

    def problem(self) -> BrokenExecutor | OSError | None:
        """Why the pool stopped, if it did (its processes could not start, or died)."""
        with self._lock:
            futures = [f for f in self._futures if f is not None and f.done() and not f.cancelled()]
            problem = self._problem
        for future in futures:
            error = future.exception()
            if problem is None and isinstance(error, BrokenExecutor):
                problem = error
        return problem

    def close(self) -> bool:
        """No more handing out; whether the pool was handed documents."""
        with self._lock:
            self._closed = True
            return self._handed

    def hand_out(self, pool: ProcessPoolExecutor, processes: int) -> None:
        """Starts the pool's processes (in this thread: it takes most of a second), then hands them the
        documents not yet begun here, the last first. A pool given nothing is shut down here."""
        try:
            started = [pool.submit(_ready) for _ in range(processes)]
            for future in started:
                future.exception()
            with self._lock:
                for index in reversed(range(len(self.docs))):
                    if self._closed or self.begun[index]:
                        break
                    self._futures[index] = pool.submit(_render, index, self.docs[index])
                    self._handed = True
        except (BrokenExecutor, OSError) as exc:  # could not start: this process renders them all
            with self._lock:
                self._problem = exc
        finally:
            with self._lock:
                unused = not self._handed
            if unused:
                pool.shutdown(wait=True, cancel_futures=True)


_current: HtmlRenderer | None = None  # the renderer of a pool process
_begun: SynchronizedArray | None = None  # its batch's `_Batch.begun`


def _renderer(template_path: Path, doctype: str):
    from .base import DocumentType
    from .context import INVOICE
    from .html import HtmlRenderer
    from .receipt import RECEIPT
    from .statement import STATEMENT

    doctypes: dict[str, DocumentType] = {"invoice": INVOICE, "receipt": RECEIPT, "statement": STATEMENT}
    return HtmlRenderer(Path(template_path), doctypes[doctype])


def _start(template_path: str, doctype: str, begun: SynchronizedArray) -> None:
    global _current, _begun
    # Ctrl-C, or systemd stopping `watch`, reaches every process: the main one decides (finish the
    # cycle, or stop and leave the rest to the next run); a PDF ended here would end the cycle half-way
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _current, _begun = _renderer(Path(template_path), doctype), begun
    gc.freeze()  # the modules and the template stay: a collection looks only at what renders make (half its time)


def _ready() -> bool:
    return _current is not None


def _render(index: int, doc) -> Result | None:
    if _current is None or _begun is None:
        return RuntimeError("the pool process was not started")
    if not _begin(_begun, index, _POOL):
        return None  # begun in the main process
    try:
        return _current.render(doc)
    except Exception as exc:  # sent back to the caller, in order, like any other result
        return exc
