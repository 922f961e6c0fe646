"""Many PDFs at once: a pool of processes gives the very bytes one process gives, in order;
a PDF that cannot be made is said so in its place; the first cycle of a practice uses it."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

from sheetbill.render import pool
from sheetbill.render.errors import RenderError
from sheetbill.render.html import HtmlRenderer
from sheetbill.render.pool import HtmlPool
from sheetbill.render.receipt import RECEIPT
from sheetbill.render.sample import sample_credit_note, sample_document, sample_receipt

from .conftest import session

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _after_the_pool(monkeypatch, render):
    """`render`, made to wait until the pool has made what it was handed: this process then renders the
    batch's first document only, and the pool all the others (without it, this process could take them all
    while the pool starts)."""
    handed: list = []
    changed = threading.Condition()

    class Watched(pool.ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):
            future = super().submit(fn, *args, **kwargs)
            if fn is pool._render:
                with changed:
                    handed.append(future)
                future.add_done_callback(lambda _: _notify(changed))
            return future
    monkeypatch.setattr(pool, "ProcessPoolExecutor", Watched)

    def waiting(doc):
        with changed:
            assert changed.wait_for(lambda: handed and all(f.done() for f in handed), timeout=120)
        return render(doc)
    return waiting, handed


def _notify(condition: threading.Condition) -> None:
    with condition:
        condition.notify_all()


def _docs():
    doc = sample_document(lines=3)
    return [doc, sample_credit_note(), sample_document(lines=40),
            replace(doc, invoice=replace(doc.invoice, invoice_no="INV-2026-0043"))]


def test_the_pool_gives_the_same_bytes_as_one_process(monkeypatch):
    here = HtmlRenderer(TEMPLATES / "invoice.html")
    docs = _docs()
    alone = [here.render(d) for d in docs]
    waiting, handed = _after_the_pool(monkeypatch, here.render)
    pooled = list(HtmlPool(waiting, TEMPLATES / "invoice.html", workers=2, min_batch=1).render_all(docs))
    assert pooled == alone
    assert len(handed) == len(docs) - 1  # all but the first made in the pool
    assert len(set(alone)) == len(alone)  # four different documents, not one repeated


def test_receipts_in_the_pool_too(monkeypatch):
    here = HtmlRenderer(TEMPLATES / "receipt.html", RECEIPT)
    docs = [sample_receipt(), replace(sample_receipt(), receipt_no="R-2026-0099")]
    waiting, handed = _after_the_pool(monkeypatch, here.render)
    pooled = list(HtmlPool(waiting, TEMPLATES / "receipt.html", "receipt", workers=2,
                           min_batch=1).render_all(docs))
    assert pooled == [here.render(d) for d in docs]
    assert len(handed) == 1


def test_a_pdf_that_cannot_be_made_is_an_error_in_its_place(tmp_path):
    broken = tmp_path / "invoice.html"
    broken.write_text("<p>{{ 1 // 0 }}</p>")  # loads, fails when filled
    here = HtmlRenderer(broken)
    results = list(HtmlPool(here.render, broken, workers=2, min_batch=1).render_all(_docs()[:2]))
    assert len(results) == 2 and all(isinstance(r, Exception) for r in results)


def test_a_small_batch_is_rendered_here():
    calls = []
    results = list(HtmlPool(lambda d: calls.append(d) or b"%PDF", TEMPLATES / "invoice.html",
                            workers=2).render_all(_docs()[:3]))
    assert results == [b"%PDF"] * 3 and len(calls) == 3


def test_a_small_batch_says_which_failed():
    def render(doc):
        if doc.invoice.invoice_no == "CN-2026-0003":
            raise RenderError("no")
        return b"%PDF"
    results = list(pool.one_by_one(render, _docs()[:3]))
    assert results[0] == b"%PDF" and isinstance(results[1], RenderError) and results[2] == b"%PDF"


def _first_cycle(folder: Path, monkeypatch, min_batch: int) -> dict[str, bytes]:
    from sheetbill import app
    from sheetbill.placeholders import fill_example

    from .conftest import CLIENTS, Practice

    workbook, config_path = app.init_practice(folder)
    config_path.write_text(fill_example(config_path.read_text(encoding="utf-8")), encoding="utf-8")
    practice = Practice(folder, workbook, config_path)
    practice.append("Clients", *CLIENTS)
    practice.append("Sessions", *[session(f"S-{i:05d}", date(2026, 11, 3), client=c)
                                  for i, c in enumerate(["C-001", "C-002", "C-003"], 1)])
    monkeypatch.setattr(pool, "MIN_BATCH", min_batch)
    report = practice.run()
    assert len(report.pdfs) == 3
    return {p.name: p.read_bytes() for p in (folder / practice.config.render.output).rglob("*.pdf")}


def test_a_first_cycle_renders_its_invoices_in_the_pool_to_the_same_bytes(tmp_path, monkeypatch):
    used = []
    start = pool.ProcessPoolExecutor

    def counting(*args, **kwargs):
        used.append(args)
        return start(*args, **kwargs)
    monkeypatch.setattr(pool, "ProcessPoolExecutor", counting)
    alone = _first_cycle(tmp_path / "alone", monkeypatch, 100)
    assert not used
    pooled = _first_cycle(tmp_path / "pooled", monkeypatch, 2)
    assert used and len(pooled) == 3
    assert pooled == alone


def test_this_process_renders_from_the_front_the_pool_the_others_each_once_in_order(monkeypatch):
    here = HtmlRenderer(TEMPLATES / "invoice.html")
    docs = (_docs() + _docs()[:2]) * 2
    alone = [here.render(d) for d in docs]
    _, handed = _after_the_pool(monkeypatch, here.render)  # only to see what the pool made
    calls = []
    frozen = gc.get_freeze_count()
    pooled = list(HtmlPool(lambda d: calls.append(d) or here.render(d), TEMPLATES / "invoice.html",
                           workers=2, min_batch=1).render_all(docs))
    assert pooled == alone
    assert calls and calls == docs[:len(calls)]  # the first ones, in order
    made_in_the_pool = [f for f in handed if not f.cancelled() and f.result() is not None]
    assert len(calls) + len(made_in_the_pool) == len(docs)  # none made twice
    assert gc.get_freeze_count() == frozen  # what this process froze while rendering is collected again


def test_when_a_pool_process_dies_the_rest_is_rendered_here(monkeypatch, caplog):
    here = HtmlRenderer(TEMPLATES / "invoice.html")
    waiting, handed = _after_the_pool(monkeypatch, here.render)
    watched = pool.ProcessPoolExecutor

    class Dying(watched):
        """A pool whose processes are killed (as the out-of-memory killer would) once it is handed a PDF."""

        def submit(self, fn, /, *args, **kwargs):
            future = super().submit(fn, *args, **kwargs)
            if fn is pool._render:
                for process in list(self._processes.values()):
                    process.kill()
            return future
    monkeypatch.setattr(pool, "ProcessPoolExecutor", Dying)
    docs = _docs()
    alone = [here.render(d) for d in docs]
    pooled = list(HtmlPool(waiting, TEMPLATES / "invoice.html", workers=2, min_batch=1).render_all(docs))
    assert pooled == alone
    assert "the PDF processes stopped" in caplog.text


def test_when_the_pool_cannot_start_every_pdf_is_made_here(monkeypatch):
    class Failing(pool.ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):
            raise pool.BrokenExecutor("no processes on this machine")
    monkeypatch.setattr(pool, "ProcessPoolExecutor", Failing)
    here = HtmlRenderer(TEMPLATES / "invoice.html")
    docs = _docs()
    calls = []
    pooled = list(HtmlPool(lambda d: calls.append(d) or here.render(d), TEMPLATES / "invoice.html",
                           workers=2, min_batch=1).render_all(docs))
    assert pooled == [here.render(d) for d in docs]
    assert calls == docs


def _interrupted_here() -> str:
    """As a Ctrl-C in the terminal, or systemd stopping the service, reaches every process of the run."""
    os.kill(os.getpid(), signal.SIGINT)
    return "went on"


def test_a_pool_process_leaves_ctrl_c_to_the_run():
    """`watch` stopped mid-batch finishes its cycle (the main process decides): a pool process
    does not end its PDF with KeyboardInterrupt, which would end the cycle half-way."""
    context = multiprocessing.get_context("forkserver")
    with pool.ProcessPoolExecutor(1, context, initializer=pool._start,
                                  initargs=(str(TEMPLATES / "invoice.html"), "invoice", context.Array("b", 1))) as helpers:
        done = helpers.submit(_interrupted_here)
        assert done.exception(timeout=120) is None and done.result() == "went on"
