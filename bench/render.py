"""How many invoice PDFs per second each renderer makes.

    python bench/render.py [--renders 30] [--batch 60]

A typical invoice: three lines, two tax rates, a discount. The first render
(fonts loaded, template compiled) is timed apart from the steady state.
Then a batch as a first cycle makes it: in the pool of processes the worker
uses (render/pool.py), starting the pool included.
The Word path runs only where LibreOffice (soffice) is installed.
Last line, for scripts: {"bench": "render", "html_pdfs_per_s": ..., "docx_pdfs_per_s": ..., "processes": ...}
("html_pdfs_per_s" is the pool's rate, "docx_pdfs_per_s" the batch's).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sheetbill.render.base import Renderer  # noqa: E402
from sheetbill.render.docx import DocxRenderer  # noqa: E402
from sheetbill.render.html import HtmlRenderer  # noqa: E402
from sheetbill.render.pool import HtmlPool, processes  # noqa: E402
from sheetbill.render.sample import sample_document  # noqa: E402

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def measure(renderer: Renderer, renders: int) -> float:
    doc = sample_document(lines=3)
    started = time.perf_counter()
    size = len(renderer.render(doc))
    first = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(renders):
        renderer.render(doc)
    elapsed = time.perf_counter() - started
    print(f"{renderer.kind:5} first render {first:6.2f} s, then {renders / elapsed:6.2f} PDFs/s "
          f"({elapsed / renders * 1000:5.0f} ms each, {size / 1024:.0f} KiB, {renders} renders)")
    return renders / elapsed


def measure_pool(template: Path, batch: int) -> float:
    doc = sample_document(lines=3)
    pool = HtmlPool(HtmlRenderer(template).render, template)
    started = time.perf_counter()
    made = sum(1 for pdf in pool.render_all([doc] * batch) if isinstance(pdf, bytes))
    elapsed = time.perf_counter() - started
    print(f"html  pool of {pool.workers}: {made / elapsed:6.2f} PDFs/s ({batch} PDFs in {elapsed:.1f} s, "
          f"starting the pool included)")
    return made / elapsed


def measure_batch(renderer: DocxRenderer, batch: int) -> float:
    doc = sample_document(lines=3)
    started = time.perf_counter()
    made = sum(1 for pdf in renderer.render_all([doc] * batch) if isinstance(pdf, bytes))
    elapsed = time.perf_counter() - started
    print(f"docx  batch through one LibreOffice: {made / elapsed:6.2f} PDFs/s ({batch} PDFs in {elapsed:.1f} s)")
    return made / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=30, help="renders per renderer (HTML)")
    parser.add_argument("--batch", type=int, default=60, help="PDFs in the pool's batch")
    args = parser.parse_args()
    measure(HtmlRenderer(TEMPLATES / "invoice.html"), args.renders)
    html = measure_pool(TEMPLATES / "invoice.html", args.batch)
    docx = None
    if shutil.which("soffice") or shutil.which("libreoffice"):
        renderer = DocxRenderer(TEMPLATES / "invoice.docx")
        measure(renderer, max(1, args.renders // 6))
        docx = measure_batch(renderer, max(2, args.batch // 3))
    else:
        print("docx  skipped: LibreOffice (soffice) is not installed")
    print(json.dumps({"bench": "render", "html_pdfs_per_s": round(html, 2),
                      "docx_pdfs_per_s": round(docx, 2) if docx is not None else None, "processes": processes()}))


if __name__ == "__main__":
    main()
