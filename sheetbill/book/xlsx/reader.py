"""`read_sheets`: the sheet list and the values of the sheets asked for."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, MutableMapping

from .cells_fast import NotCanonical, read_fast, read_head, read_head_after
from .cells_slow import read_slow
from .decode import CellDecoder
from .known import Block, Known
from .errors import XlsxError
from .opc import local, parse_xml
from .package import Package, SheetPart
from .shared_strings import read_shared_strings
from .styles import read_number_formats
from .values import SheetValues, Workbook


def read_sheets(path: str | os.PathLike[str], names: Iterable[str] | None = None,
                heads: Iterable[str] = (), known: MutableMapping[str, Known] | None = None) -> Workbook:
    """Read the workbook at `path`: all sheet names, and the values of the
    worksheets in `names` (all worksheets when None). Names the workbook
    does not have, and chart sheets, are left out of `Workbook.sheets`;
    compare with `Workbook.sheet_names`. For the sheets in `heads` only the
    first row is read (with the right `max_row`). `known` (sheet name -> entry, see
    known.py) holds what earlier reads found; it is updated with what this one read."""
    heads = frozenset(heads)
    with Package(path) as package:
        wanted = None if names is None else {names} if isinstance(names, str) else set(names)
        parts = [s for s in package.sheets if s.is_worksheet and (wanted is None or s.name in wanted)]
        sheets: dict[str, SheetValues] = {}
        if parts:
            strings = read_shared_strings(package)
            number_styles = read_number_formats(package).number_styles()
            context = _context(package, number_styles)
            for sheet in parts:
                decoder = CellDecoder(strings, number_styles, package.date1904, sheet.name)
                head = sheet.name in heads
                if known is None:
                    sheets[sheet.name] = read_sheet(package, sheet, decoder, head)
                    continue
                print_ = fingerprint(package, sheet)
                entry = known.get(sheet.name)
                if entry is not None and (entry.context, entry.head) != (context, head):
                    entry = None
                if entry is not None and entry.fingerprint == print_:
                    sheets[sheet.name] = entry.values
                    continue
                blocks: list[Block] = []
                values = read_sheet(package, sheet, decoder, head, entry, blocks)
                known[sheet.name] = Known(print_, context, head, values, tuple(blocks))
                sheets[sheet.name] = values
        return Workbook(
            sheet_names=tuple(s.name for s in package.sheets),
            hidden=frozenset(s.name for s in package.sheets if s.hidden),
            last_modified_by=last_modified_by(package),
            date1904=package.date1904,
            sheets=sheets,
            fingerprints={s.name: fingerprint(package, s) for s in package.sheets if s.is_worksheet},
        )


def fingerprint(package: Package, sheet: SheetPart) -> str:
    """The sheet part's CRC-32 and size: equal fingerprints, equal content."""
    info = package.info(sheet.part)
    return f"{info.CRC:08x}-{info.file_size}"


def fingerprints(path: str | os.PathLike[str]) -> dict[str, str]:
    """Every worksheet's fingerprint, from the zip directory alone."""
    with Package(path) as package:
        return {s.name: fingerprint(package, s) for s in package.sheets if s.is_worksheet}


def _context(package: Package, number_styles: Mapping[str, object]) -> str:
    """What cell values depend on beyond their sheet: the shared strings, which styles
    are dates or percentages, the date system."""
    parts = [rel.part for rel in package.related(package.workbook_part, "/sharedStrings")]
    infos = [package.info(p) for p in parts if package.has(p)]
    strings = ";".join(f"{i.filename}={i.CRC:08x}-{i.file_size}" for i in infos)
    return f"{strings}|{sorted((k, repr(v)) for k, v in number_styles.items())}|1904={package.date1904}"


def read_sheet(package: Package, sheet: SheetPart, decoder: CellDecoder, head: bool = False,
               base: Known | None = None, blocks: list[Block] | None = None) -> SheetValues:
    """One worksheet's values: the fast reader, else the general one. With `base`, an
    earlier version's entry, rows it already holds are not parsed again; `blocks` gets
    this version's blocks (none when the general reader read it)."""
    if head and base is not None and blocks is not None:
        with package.open(sheet.part) as stream:
            try:
                found = read_head_after(stream, decoder, base, blocks)
            except NotCanonical:
                found = None
        if found is not None:
            return found
        blocks.clear()
    with package.open(sheet.part) as stream:
        try:
            return read_head(stream, decoder, blocks) if head else read_fast(stream, decoder, base, blocks)
        except NotCanonical:
            if blocks is not None:
                blocks.clear()
    if head:
        values = read_sheet(package, sheet, decoder)
        return SheetValues(values.rows[:1], values.max_row)
    with package.open(sheet.part) as stream:
        return read_slow(stream, decoder)


def last_modified_by(package: Package) -> str | None:
    """`cp:lastModifiedBy` from the core properties, if any."""
    rel = next(package.related("", "/core-properties"), None)
    if rel is None or not package.has(rel.part):
        return None
    try:
        root = parse_xml(package.read(rel.part), rel.part)
    except XlsxError:
        return None
    node = next((n for n in root if local(n.tag) == "lastModifiedBy"), None)
    return node.text if node is not None and node.text else None
