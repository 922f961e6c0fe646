"""The guard before a workbook is replaced, and a diagnostic description.

`lost_parts(src, dst)` lists, in plain words, whatever `src` holds that
`dst` does not: parts, content types, relationships, and per part the
counts of shapes, validations, conditional formats, extensions... It
ignores xl/calcChain.xml, which the writer drops on purpose. An empty list
means nothing was lost.

`foreign_parts(path)` lists what a workbook holds beyond plain cells.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections import Counter
from collections.abc import Mapping, MutableMapping

from .errors import XlsxError
from .features import PLAIN_SHEET_FEATURES, part_features, sheet_features
from .opc import CT_NS, parse_rels, parse_xml, rels_source
from .package import Package
from .partlists import CONTENT_TYPES
from .segments import Layout, ends
from .styles import styles_part

_CALC_CHAIN = "/calcchain"
_DESCRIBED = re.compile(r"(?i)(/drawings/.*\.(xml|vml)|comments[^/]*\.xml)$")
_FOREIGN = {
    "vbaproject": "VBA macros",
    "/charts/": "charts",
    "/pivottables/": "pivot tables",
    "/pivotcache/": "pivot caches",
    "/slicers/": "slicers",
    "/slicercaches/": "slicer caches",
    "/timelines/": "timelines",
    "/externallinks/": "links to other workbooks",
    "customxml/": "custom XML data",
    "/threadedcomments/": "threaded comments",
    "/persons/": "comment authors",
    "comments": "comments",
    "/tables/": "tables",
    "/querytables/": "query tables",
    "connections.xml": "data connections",
    "/activex/": "ActiveX controls",
    "/ctrlprops/": "form controls",
    "/embeddings/": "embedded objects",
    "/media/": "pictures",
    "/printersettings/": "printer settings",
    "/drawings/": "drawings",
}


def _content_types(package: Package) -> tuple[dict[str, str], dict[str, str]]:
    root = parse_xml(package.read(CONTENT_TYPES), CONTENT_TYPES)
    defaults, overrides = {}, {}
    for node in root:
        if node.tag == f"{{{CT_NS}}}Default":
            defaults[node.get("Extension", "").lower()] = node.get("ContentType", "")
        elif node.tag == f"{{{CT_NS}}}Override":
            overrides[node.get("PartName", "").lower()] = node.get("ContentType", "")
    return defaults, overrides


def _relationships(package: Package, rels: str) -> set[tuple[str, str, str]]:
    return {(r.id, r.type, r.target) for r in parse_rels(package.read(rels), rels_source(rels))}


def _roles(package: Package) -> dict[str, str]:
    """The parts whose role is known from the package, not from their names."""
    roles = {s.part.lower(): "worksheet" for s in package.sheets if s.is_worksheet}
    roles[package.workbook_part.lower()] = "workbook"
    styles = styles_part(package)
    if styles:
        roles[styles.lower()] = "styles"
    return roles


def _features(package: Package, part: str, role: str, layout: Layout | None = None) -> Counter[str]:
    if role == "worksheet":
        outside = ends(package, part, layout) if layout is not None else None  # a sheet's rows hold none
        return sheet_features(outside if outside is not None else package.read_in_place(part))
    return part_features(part, package.read(part), role)


def lost_parts(src: str | os.PathLike[str], dst: str | os.PathLike[str],
               counted: MutableMapping[str, dict[str, int]] | None = None,
               layouts: Mapping[str, Layout] | None = None) -> list[str]:
    """What `src` holds and `dst` lacks, one sentence each (empty: nothing lost).
    `counted` keeps the features of parts counted before, by `feature_key` (a part
    the previous commit wrote, or the writer read whole, is not counted again as
    this one's original); it is left holding those of `dst`'s changed parts.
    `layouts`: of `dst`'s sheets written in segments, whose start and end alone
    are then read."""
    with Package(src) as old:
        try:
            new = Package(dst)
        except XlsxError as exc:
            return [f"the new file cannot be opened as a workbook: {exc}"]
        with new:
            return _compare(old, new, counted, layouts or {})


def feature_key(info: zipfile.ZipInfo, role: str) -> str:
    """How `counted` knows a part's features: by name, role, CRC-32 and size."""
    return f"{info.filename}|{role}|{info.CRC:08x}-{info.file_size}"


def _counted(package: Package, name: str, role: str, counted: MutableMapping[str, dict[str, int]] | None,
             fresh: dict[str, dict[str, int]], layout: Layout | None = None) -> Counter[str]:
    info = package.info(name)
    key = feature_key(info, role)
    known = counted.get(key) if counted is not None else None
    usable = isinstance(known, dict) and all(isinstance(v, int) for v in known.values())
    found = Counter(known) if usable else _features(package, name, role, layout)
    fresh[key] = dict(found)
    return found


def _compare(old: Package, new: Package, counted: MutableMapping[str, dict[str, int]] | None,
             layouts: Mapping[str, Layout]) -> list[str]:
    lost = []
    names = [info.filename for info in old.zip.infolist() if not info.filename.endswith("/")]
    for name in names:
        if _CALC_CHAIN not in "/" + name.lower() and not new.has(name):
            lost.append(f"the part {name} is missing")
    old_defaults, old_overrides = _content_types(old)
    new_defaults, new_overrides = _content_types(new)
    for ext, ctype in old_defaults.items():
        if new_defaults.get(ext) != ctype:
            lost.append(f"the content type of .{ext} files ({ctype}) is missing")
    for part, ctype in old_overrides.items():
        if _CALC_CHAIN not in part and new_overrides.get(part) != ctype:
            lost.append(f"the content type of {part} ({ctype}) is missing")
    for name in names:
        if name.lower().endswith(".rels") and new.has(name):
            missing = _relationships(old, name) - _relationships(new, name)
            lost.extend(
                f"the relationship {rid} ({rtype.rsplit('/', 1)[-1]} -> {target}) of {name} is missing"
                for rid, rtype, target in sorted(missing)
                if not rtype.lower().endswith(_CALC_CHAIN)
            )
    roles = _roles(old)
    fresh: dict[str, dict[str, int]] = {}
    for name in names:
        if not new.has(name):
            continue
        a, b = old.info(name), new.info(name)
        if (a.CRC, a.file_size) == (b.CRC, b.file_size):
            continue
        role = roles.get(name.lower(), "")
        before = _counted(old, name, role, counted, {})
        after = _counted(new, name, role, None, fresh, layouts.get(name))
        lost.extend(
            f"{name}: {label}: {count} in the original, {after[label]} now"
            for label, count in sorted(before.items())
            if after[label] < count
        )
    if counted is not None:
        counted.clear()
        counted.update(fresh)
    return lost


def foreign_parts(path: str | os.PathLike[str]) -> list[str]:
    """What the workbook holds beyond plain cells, for diagnostics."""
    found: list[str] = []
    with Package(path) as package:
        kinds: Counter[str] = Counter()
        for info in package.zip.infolist():
            lower = "/" + info.filename.lower()
            if lower.endswith(".rels"):
                continue
            kind = next((label for key, label in _FOREIGN.items() if key in lower), None)
            if kind:
                kinds[kind] += 1
        found.extend(f"{label}: {count} part(s)" for label, count in sorted(kinds.items()))
        for sheet in package.sheets:
            if not sheet.is_worksheet:
                found.append(f"{sheet.name}: a chart sheet")
                continue
            for label, count in sorted(sheet_features(package.read(sheet.part)).items()):
                if label not in PLAIN_SHEET_FEATURES:
                    found.append(f"{sheet.name}: {count} {label}")
        for info in package.zip.infolist():
            if _DESCRIBED.search(info.filename):
                for label, count in sorted(part_features(info.filename, package.read(info.filename)).items()):
                    found.append(f"{info.filename}: {count} {label}")
    return found
