"""Cycle speed and memory on large workbooks; prints figures, asserts nothing.

For each size N (default 1,000, 10,000, 100,000 sessions), in a fresh
process: build a practice with N completed sessions, then time
  1. the first cycle, which invoices all N (read, plan, commit; no PDFs),
  2. a cycle after 100 more sessions were logged (the everyday case),
  3. an idle cycle (nothing to do),
and print each one's seconds and the process's peak memory. Then PDFs
rendered per second with the HTML template.

    .venv/bin/python bench/cycle.py [N ...]
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sheetbill import app  # noqa: E402
from sheetbill import config as config_mod  # noqa: E402
from sheetbill.book.xlsx import SheetEdit, patch_workbook  # noqa: E402

CLIENTS = 500


class Clock:
    def now(self) -> datetime:
        return datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)


def _append(workbook: Path, sheet: str, rows: list[list]) -> None:
    tmp = workbook.with_suffix(".tmp.xlsx")
    patch_workbook(workbook, tmp, {sheet: SheetEdit(appends=rows)})
    os.replace(tmp, workbook)


def _sessions(start: int, count: int) -> list[list]:
    first = date(2026, 1, 5)
    return [[f"S-{i:06d}", first + timedelta(days=i % 320), f"C-{i % CLIENTS:04d}",
             ("LD60", "LD45", "LD30")[i % 3], Decimal(1), "BANDAGE x2" if i % 4 == 0 else None,
             "10%" if i % 10 == 0 else None, "Maria", "Completed", None]
            for i in range(start, start + count)]


def build(folder: Path, n: int) -> Path:
    workbook, config_path = app.init_practice(folder)
    _append(workbook, "Clients", [[f"C-{i:04d}", f"Client {i}", f"client{i}@example.com", "Street 1", None,
                                   14, None, None] for i in range(CLIENTS)])
    _append(workbook, "Sessions", _sessions(0, n))
    return config_path


def measure(n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        config_path = build(Path(tmp) / "p", n)
        config = config_mod.load(config_path)
        worker = app.worker_for(config, clock=Clock(), deliver=False)
        out = {"sessions": n}
        t = time.perf_counter()
        report = worker.run_once()
        out["first_cycle_s"] = round(time.perf_counter() - t, 2)
        out["invoices_created"] = len(report.created)
        _append(config.workbook, "Sessions", _sessions(n, 100))
        t = time.perf_counter()
        report = worker.run_once()
        out["plus_100_cycle_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        worker.run_once()
        out["idle_cycle_s"] = round(time.perf_counter() - t, 2)
        out["workbook_mb"] = round(config.workbook.stat().st_size / 1e6, 1)
        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return out


def render_rate(count: int = 20) -> float:
    from sheetbill.render.html import HtmlRenderer
    from sheetbill.render.sample import sample_document

    renderer = HtmlRenderer(ROOT / "templates" / "invoice.html")
    doc = sample_document(lines=3)
    renderer.render(doc)  # warm up fonts and template
    t = time.perf_counter()
    for _ in range(count):
        renderer.render(doc)
    return count / (time.perf_counter() - t)


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--one":
        print(json.dumps(measure(int(argv[1]))))
        return
    sizes = [int(a) for a in argv] or [1_000, 10_000, 100_000]
    print(f"{'sessions':>9} {'first cycle':>12} {'+100 cycle':>11} {'idle cycle':>11} {'file MB':>8} {'peak MB':>8}")
    for n in sizes:
        done = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True)
        if done.returncode:
            print(f"{n:>9} failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{n:>9} {r['first_cycle_s']:>11.2f}s {r['plus_100_cycle_s']:>10.2f}s {r['idle_cycle_s']:>10.2f}s "
              f"{r['workbook_mb']:>8} {r['peak_rss_mb']:>8}")
    print(f"PDFs rendered per second (HTML template, 3 lines): {render_rate():.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
