"""Cycle speed and memory on large workbooks; prints figures, asserts nothing.

For each size N (default 1,000, 10,000, 100,000 sessions): build a practice
with N completed sessions and time the first cycle, which invoices all N at
once (read, plan, commit; no PDFs); then, in a fresh process, a cycle after
100 more sessions were logged (the everyday case), an idle cycle, and one
more cycle after 100 more sessions (printed below the row). Each
process's peak memory is printed. Then a workbook of 10,000 invoices gets
20,000 payments in one cycle, and PDFs rendered per second are measured.

Per size, one JSON line follows the table's row, for scripts:
{"bench": "cycle", "sessions": N, "first_s": ..., "steady_s": ..., "idle_s": ...,
 "peak_mb_first": ..., "peak_mb_steady": ..., "openpyxl_load_save_s": ...}
where the last is openpyxl's load and save of the same steady workbook (the
naive script a user would write), timed in the same run so the ratio holds
on a noisy machine. `--quick` skips the payments and PDF lines.

    .venv/bin/python bench/cycle.py [--quick] [N ...]
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


def _peak() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _timed(worker) -> float:
    t = time.perf_counter()
    worker.run_once()
    return round(time.perf_counter() - t, 2)


def first(n: int, folder: Path) -> dict:
    """Build the practice and invoice all n sessions in one cycle."""
    config = config_mod.load(build(folder, n))
    worker = app.worker_for(config, clock=Clock(), deliver=False)
    return {"first_cycle_s": _timed(worker), "first_peak_mb": _peak(),
            "workbook_mb": round(config.workbook.stat().st_size / 1e6, 1)}


def steady(folder: Path, payments: int = 0) -> dict:
    """In a fresh process: 100 more sessions (and payments, if asked), then an idle cycle."""
    config = config_mod.load(folder / "sheetbill.yaml")
    worker = app.worker_for(config, clock=Clock(), deliver=False)
    _append(config.workbook, "Sessions", _sessions(10**6, 100))
    if payments:
        _append(config.workbook, "Payments", _payments(payments))
    out = {"plus_100_cycle_s": _timed(worker)}
    out["idle_cycle_s"] = _timed(worker)
    out["steady_peak_mb"] = _peak()
    if not payments:  # the everyday case after that: the sheets as this cycle read them are known
        _append(config.workbook, "Sessions", _sessions(2 * 10**6, 100))
        out["next_cycle_s"] = _timed(worker)
    return out


def _payments(count: int) -> list[list]:
    """`count` payments: two per invoice, each half of it, by invoice number (made in order)."""
    day = date(2026, 11, 20)
    return [[f"P-{i:06d}", day, None, f"INV-2026-{i // 2 + 1:04d}", Decimal("32.50"), "Card", None]
            for i in range(count)]


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


def openpyxl_load_save(workbook: Path) -> dict:
    """In a fresh process: openpyxl loads the workbook and saves it (to a copy)."""
    import openpyxl

    t = time.perf_counter()
    book = openpyxl.load_workbook(workbook)
    book.save(workbook.with_name("openpyxl-copy.xlsx"))
    return {"openpyxl_load_save_s": round(time.perf_counter() - t, 2)}


def _child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--first":
        print(json.dumps(first(int(argv[1]), Path(argv[2]))))
        return
    if argv and argv[0] == "--steady":
        print(json.dumps(steady(Path(argv[1]), int(argv[2]))))
        return
    if argv and argv[0] == "--openpyxl":
        print(json.dumps(openpyxl_load_save(Path(argv[1]))))
        return
    quick = "--quick" in argv
    sizes = [int(a) for a in argv if a != "--quick"] or [1_000, 10_000, 100_000]
    print(f"{'sessions':>9} {'first cycle':>12} {'(peak MB)':>9} {'+100 cycle':>11} {'idle cycle':>11} "
          f"{'(peak MB)':>9} {'file MB':>8}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                a = _child("--first", str(n), str(Path(tmp) / "p"))
                b = _child("--steady", str(Path(tmp) / "p"), "0")
                c = _child("--openpyxl", str(Path(tmp) / "p" / "practice.xlsx"))
            except RuntimeError as exc:
                print(f"{n:>9} failed: {exc}")
                continue
        print(f"{n:>9} {a['first_cycle_s']:>11.2f}s {a['first_peak_mb']:>9} {b['plus_100_cycle_s']:>10.2f}s "
              f"{b['idle_cycle_s']:>10.2f}s {b['steady_peak_mb']:>9} {a['workbook_mb']:>8}")
        print(f"{'':>9} then another +100 cycle: {b['next_cycle_s']:.2f}s (sheets known from the cycle before)")
        print(json.dumps({"bench": "cycle", "sessions": n, "first_s": a["first_cycle_s"],
                          "steady_s": b["plus_100_cycle_s"], "idle_s": b["idle_cycle_s"],
                          "peak_mb_first": a["first_peak_mb"], "peak_mb_steady": b["steady_peak_mb"],
                          "openpyxl_load_save_s": c["openpyxl_load_save_s"]}), flush=True)
    if quick:
        return
    with tempfile.TemporaryDirectory() as tmp:
        _child("--first", "10000", str(Path(tmp) / "p"))
        b = _child("--steady", str(Path(tmp) / "p"), "20000")
    print(f"10,000 invoices + 20,000 payments: cycle applying them {b['plus_100_cycle_s']:.2f}s, "
          f"then idle {b['idle_cycle_s']:.2f}s, peak {b['steady_peak_mb']} MB")
    print(f"PDFs rendered per second (HTML template, 3 lines): {render_rate():.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
