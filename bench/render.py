"""How many invoice PDFs per second each renderer makes.

    python bench/render.py [--renders 30]

A typical invoice: three lines, two tax rates, a discount. The first render
(fonts loaded, template compiled) is timed apart from the steady state.
The Word path runs only where LibreOffice (soffice) is installed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sheetbill.render.base import Renderer  # noqa: E402
from sheetbill.render.docx import DocxRenderer  # noqa: E402
from sheetbill.render.html import HtmlRenderer  # noqa: E402
from sheetbill.render.sample import sample_document  # noqa: E402

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def measure(renderer: Renderer, renders: int) -> None:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=30, help="renders per renderer (HTML)")
    args = parser.parse_args()
    measure(HtmlRenderer(TEMPLATES / "invoice.html"), args.renders)
    if shutil.which("soffice") or shutil.which("libreoffice"):
        measure(DocxRenderer(TEMPLATES / "invoice.docx"), max(1, args.renders // 6))
    else:
        print("docx  skipped: LibreOffice (soffice) is not installed")


if __name__ == "__main__":
    main()
