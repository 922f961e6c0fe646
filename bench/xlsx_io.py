"""Benchmark of sheetbill.book.xlsx on big workbooks.

Builds workbooks of N session rows x 13 columns, saved the way Excel saves
them (shared strings, styles, spans), plus N invoice rows x 16 columns and
N invoice-line rows x 12 columns written by sheetbill itself (inline
strings). Then, each in a fresh process so peak memory is its own:

- read:  read_sheets of the three sheets;
- patch: 1,000 cell updates on Sessions, 1,000 rows appended to Invoices
         and to Lines, then lost_parts on the result (as each commit does).

    .venv/bin/python bench/xlsx_io.py                # 10k and 100k rows
    .venv/bin/python bench/xlsx_io.py --rows 50000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sheetbill.book.xlsx import SheetEdit, lost_parts, patch_workbook, read_sheets

SESSIONS = ["Session ID", "Date", "Client", "Service", "Quantity", "Extras", "Discount",
            "Provider", "Status", "Notes", "Invoice No", "Billing Status", "Problem"]
INVOICES = ["Invoice No", "Issue Date", "Due Date", "Client ID", "Client Name", "Sessions", "Net", "Tax",
            "Total", "Paid", "Balance", "Status", "PDF", "Sent At", "Message ID", "Checksum"]
LINES = ["Invoice No", "Session ID", "Date", "Code", "Description", "Quantity", "Unit Price", "Discount",
         "Tax Rate", "Net", "Tax", "Total"]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _col(index: int) -> str:
    return chr(65 + index)


def _sessions_xml(rows: int, strings: dict[str, int]) -> str:
    """The Sessions sheet as Excel writes it: shared strings, a date style, spans."""

    def s(text: str) -> int:
        return strings.setdefault(text, len(strings))

    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
           f'<dimension ref="A1:M{rows + 1}"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
           '<sheetFormatPr defaultRowHeight="15"/><sheetData><row r="1" spans="1:13">']
    out += [f'<c r="{_col(i)}1" t="s"><v>{s(h)}</v></c>' for i, h in enumerate(SESSIONS)]
    out.append("</row>")
    for r in range(2, rows + 2):
        n = r - 1
        cells = [
            ("s", s(f"S-{n:07d}")), ("1", 46000 + n % 700), ("s", s(f"C-{n % 500:03d}")),
            ("s", s(f"SVC{n % 20}")), ("", n % 3 + 1), ("s", s("GEL x2")) if n % 4 == 0 else None,
            ("s", s("10%")) if n % 10 == 0 else None, ("s", s(f"Dr {n % 7}")), ("s", s("Completed")),
            ("s", s(f"note {n % 1000}")), ("s", s(f"INV-{n:07d}")), ("s", s("Invoiced")), None,
        ]
        body = []
        for i, cell in enumerate(cells):
            if cell is None:
                continue
            kind, value = cell
            attrs = (' s="1"' if kind == "1" else "") + (' t="s"' if kind == "s" else "")
            body.append(f'<c r="{_col(i)}{r}"{attrs}><v>{value}</v></c>')
        out.append(f'<row r="{r}" spans="1:13">{"".join(body)}</row>')
    out.append('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
               "</worksheet>")
    return "".join(out)


def _empty_sheet(header: list[str]) -> str:
    cells = "".join(f'<c r="{_col(i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(header))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
            f'<dimension ref="A1"/><sheetData><row r="1">{cells}</row></sheetData></worksheet>')


def _skeleton(path: Path, rows: int) -> None:
    strings: dict[str, int] = {}
    sessions = _sessions_xml(rows, strings)
    sst = "".join(f"<si><t>{text}</t></si>" for text in strings)
    names = ["Sessions", "Invoices", "Lines"]
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT}.worksheet+xml"/>'
                      for i in (1, 2, 3))
            + f'<Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            + "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
            + '</sheets><calcPr calcId="191029"/></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in (1, 2, 3))
            + f'<Relationship Id="rId4" Type="{REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId5" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            "</styleSheet>"
        ),
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>',
        "xl/worksheets/sheet1.xml": sessions,
        "xl/worksheets/sheet2.xml": _empty_sheet(INVOICES),
        "xl/worksheets/sheet3.xml": _empty_sheet(LINES),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, text in parts.items():
            zipped.writestr(name, text)


def _invoice(n: int) -> list[object]:
    day = date(2026, 1, 1) + timedelta(days=n % 300)
    net = Decimal(n % 900 + 100) / 4
    tax = (net * Decimal("0.19")).quantize(Decimal("0.01"))
    return [f"INV-{n:07d}", day, day + timedelta(days=14), f"C-{n % 500:03d}", f"Client {n % 500}", f"S-{n:07d}",
            net, tax, net + tax, Decimal(0), net + tax, "Finalized", f"pdf/INV-{n:07d}.pdf",
            datetime(2026, 1, 1, 9, 30) + timedelta(minutes=n), f"<INV-{n:07d}@practice.example>", f"{n:016x}"]


def _line(n: int) -> list[object]:
    return [f"INV-{n:07d}", f"S-{n:07d}", date(2026, 1, 1) + timedelta(days=n % 300), f"SVC{n % 20}",
            f"Service {n % 20}", Decimal(n % 3 + 1), Decimal("60.00"), None, Decimal("19"),
            Decimal("60.00"), Decimal("11.40"), Decimal("71.40")]


MONEY_INVOICES = frozenset({6, 7, 8, 9, 10})
MONEY_LINES = frozenset({6, 9, 10, 11})


def build(path: Path, rows: int) -> float:
    """Write the benchmark workbook; returns the seconds it took."""
    start = time.perf_counter()
    skeleton = path.with_suffix(".skeleton.xlsx")
    _skeleton(skeleton, rows)
    edits = {
        "Invoices": SheetEdit(appends=[_invoice(n) for n in range(1, rows + 1)], money_columns=MONEY_INVOICES),
        "Lines": SheetEdit(appends=[_line(n) for n in range(1, rows + 1)], money_columns=MONEY_LINES),
    }
    patch_workbook(skeleton, path, edits)
    skeleton.unlink()
    return time.perf_counter() - start


def phase_read(path: Path) -> dict[str, float]:
    start = time.perf_counter()
    book = read_sheets(path, ["Sessions", "Invoices", "Lines"])
    seconds = time.perf_counter() - start
    cells = sum(len(values) for sheet in book.sheets.values() for _, values in sheet.rows)
    return {"read_s": seconds, "cells": cells}


def phase_patch(path: Path) -> dict[str, float]:
    rows = _rows_of(path)
    out = path.with_name("patched.xlsx")
    step = max(rows // 1000, 1)
    updates = {(r, 11): "Paid" for r in range(2, rows + 2, step)}
    edits = {
        "Sessions": SheetEdit(updates=dict(list(updates.items())[:1000])),
        "Invoices": SheetEdit(appends=[_invoice(n) for n in range(rows + 1, rows + 1001)],
                              money_columns=MONEY_INVOICES),
        "Lines": SheetEdit(appends=[_line(n) for n in range(rows + 1, rows + 1001)], money_columns=MONEY_LINES),
    }
    start = time.perf_counter()
    patch_workbook(path, out, edits)
    patched = time.perf_counter() - start
    lost = lost_parts(path, out)
    guarded = time.perf_counter() - start - patched
    assert not lost, lost
    return {"patch_s": patched, "guard_s": guarded}


def _rows_of(path: Path) -> int:
    return int(path.stem.rsplit("-", 1)[-1])


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, where there is one, as
    ru_maxrss also counts the parent this process was forked from."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_phase(phase: str, path: Path) -> dict[str, float]:
    """Run one phase in a fresh interpreter; its figures and peak RSS."""
    done = subprocess.run([sys.executable, __file__, "--phase", phase, str(path)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--phase", choices=["read", "patch"])
    parser.add_argument("path", nargs="?", type=Path)
    args = parser.parse_args()
    if args.phase:
        figures = (phase_read if args.phase == "read" else phase_patch)(args.path)
        figures["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(figures))
        return
    print(f"{'rows':>8} {'file MB':>8} {'build s':>8} {'cells':>9} {'read s':>7} {'us/cell':>8} {'read MB':>8} "
          f"{'patch s':>8} {'guard s':>8} {'patch MB':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for rows in args.rows:
            path = Path(folder) / f"bench-{rows}.xlsx"
            built = build(path, rows)
            read = run_phase("read", path)
            patch = run_phase("patch", path)
            per_cell = read["read_s"] / read["cells"] * 1e6
            print(f"{rows:>8} {path.stat().st_size / 1e6:>8.1f} {built:>8.1f} {read['cells']:>9.0f} "
                  f"{read['read_s']:>7.2f} {per_cell:>8.2f} {read['peak_rss_mb']:>8.0f} "
                  f"{patch['patch_s']:>8.2f} {patch['guard_s']:>8.2f} {patch['peak_rss_mb']:>9.0f}")


if __name__ == "__main__":
    main()
