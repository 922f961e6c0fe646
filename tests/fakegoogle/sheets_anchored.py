"""``batchUpdate`` requests for things anchored to ranges: developer metadata,
protected and named ranges, merges, basic filters and dimension groups; plus
the DataFilter matching that ``developerMetadata.search`` also uses."""

from __future__ import annotations

import re
from typing import Any

from . import fields
from .a1 import parse_cells
from .grid import ROWS, Box, Line
from .sheet_ranges import grid_target, resolve, sheet_by_id
from .sheets_json import protected_json
from .sheets_requests import Batch, bad, kind, need_fields
from .spreadsheet import Group, Location, Metadata, Named, Protected, Spreadsheet

JsonDict = dict[str, Any]
VISIBILITIES = ("DOCUMENT", "PROJECT")


# ------------------------------------------------------------------ developer metadata

def _location(book: Spreadsheet, data: JsonDict | None) -> Location:
    data = data or {}
    location = Location.from_json(data)
    if location.kind == "SPREADSHEET" and not data.get("spreadsheet"):
        raise bad("A developer metadata location must be specified.")
    if location.kind == "SHEET":
        sheet_by_id(book, location.sheet_id)
    if location.line is not None:
        line = location.line
        sheet = sheet_by_id(book, line.sheet_id)
        size = sheet.row_count if line.dimension == ROWS else sheet.col_count
        if line.start is None or line.end is None or not 0 <= line.start < line.end <= size:
            raise bad(f"Invalid dimension range for developer metadata: [{line.start}, {line.end}) of {size}.")
    return location


@kind("createDeveloperMetadata")
def create_metadata(batch: Batch, req: JsonDict) -> JsonDict:
    book = batch.book
    data = req.get("developerMetadata") or {}
    visibility = data.get("visibility")
    if visibility not in VISIBILITIES:
        raise bad("Developer metadata must have a visibility of DOCUMENT or PROJECT.")
    if not data.get("metadataKey"):
        raise bad("Developer metadata must have a key.")
    meta_id = data.get("metadataId")
    if meta_id is None:
        meta_id = batch.state.new_int_id(set(book.metadata))
    elif int(meta_id) in book.metadata:
        raise bad(f"Developer metadata with ID {meta_id} already exists.")
    location = _location(book, data.get("location"))
    meta = Metadata(int(meta_id), data.get("metadataKey"), data.get("metadataValue"), visibility, location)
    book.metadata[meta.id] = meta
    return {"developerMetadata": meta.json()}


@kind("updateDeveloperMetadata")
def update_metadata(batch: Batch, req: JsonDict) -> JsonDict:
    book = batch.book
    mask = need_fields(req)
    if "metadataId" in mask:
        raise bad("The metadata ID of developer metadata cannot be updated.")
    incoming = req.get("developerMetadata") or {}
    filters = req.get("dataFilters") or []
    if not filters:
        raise bad("At least one data filter must be specified.")
    updated = []
    for meta in matching(book, filters):
        current = meta.json()
        fields.apply(current, incoming, mask)
        if current.get("visibility") not in VISIBILITIES:
            raise bad("Developer metadata must have a visibility of DOCUMENT or PROJECT.")
        meta.key = current.get("metadataKey")
        meta.value = current.get("metadataValue")
        meta.visibility = current["visibility"]
        if "location" in mask:
            meta.location = _location(book, current.get("location"))
        updated.append(meta.json())
    return {"developerMetadata": updated} if updated else {}


@kind("deleteDeveloperMetadata")
def delete_metadata(batch: Batch, req: JsonDict) -> JsonDict:
    book = batch.book
    gone = matching(book, [req.get("dataFilter") or {}])
    for meta in gone:
        del book.metadata[meta.id]
    return {"deletedDeveloperMetadata": [m.json() for m in gone]} if gone else {}


def filter_box(book: Spreadsheet, data_filter: JsonDict) -> Box | None:
    """The grid area an a1Range / gridRange filter names (None for lookups)."""
    if data_filter.get("a1Range"):
        target = resolve(book, data_filter["a1Range"])
        return target.box
    if data_filter.get("gridRange") is not None:
        return grid_target(book, data_filter["gridRange"]).box
    return None


def _location_matches(meta: Metadata, wanted: JsonDict, strategy: str) -> bool:
    location = Location.from_json(wanted)
    mine = meta.location
    if strategy == "INTERSECTING_LOCATION":
        if location.kind == "SPREADSHEET":
            return True
        if location.kind == "SHEET":
            return mine.sheet_id == location.sheet_id
        if mine.line is None or location.line is None:
            return False
        return mine.line.box().intersects(location.line.box()) and mine.line.dimension == location.line.dimension
    if location.kind != mine.kind:
        return False
    if location.kind == "SHEET":
        return mine.sheet_id == location.sheet_id
    if location.line is not None:
        return mine.line == location.line
    return True


def meta_matches(book: Spreadsheet, meta: Metadata, data_filter: JsonDict) -> bool:
    lookup = data_filter.get("developerMetadataLookup")
    if lookup is not None:
        checks = (
            ("metadataId", lambda v: meta.id == int(v)),
            ("metadataKey", lambda v: meta.key == v),
            ("metadataValue", lambda v: meta.value == v),
            ("visibility", lambda v: meta.visibility == v),
            ("locationType", lambda v: meta.location.kind == v),
        )
        for key, check in checks:
            if lookup.get(key) is not None and not check(lookup[key]):
                return False
        where = lookup.get("metadataLocation")
        if where:
            strategy = lookup.get("locationMatchingStrategy") or "EXACT_LOCATION"
            if not _location_matches(meta, where, strategy):
                return False
        return True
    box = filter_box(book, data_filter)
    if box is None:
        return False
    if meta.location.line is not None:
        return meta.location.line.box().intersects(box)
    return meta.location.kind == "SHEET" and meta.location.sheet_id == box.sheet_id


def matching(book: Spreadsheet, filters: list[JsonDict]) -> list[Metadata]:
    """Metadata matching any of the filters, in creation order."""
    ids = [(f.get("developerMetadataLookup") or {}).get("metadataId") for f in filters]
    if filters and None not in ids:  # lookups by id (in the filters' order): no need to look at every entry
        candidates = [book.metadata[int(i)] for i in dict.fromkeys(ids) if int(i) in book.metadata]
        return [m for m in candidates if any(meta_matches(book, m, f) for f in filters)]
    return [m for m in book.metadata.values() if any(meta_matches(book, m, f) for f in filters)]


# ------------------------------------------------------------------ protected ranges

def _protected_from(batch: Batch, data: JsonDict, item: Protected) -> Protected:
    book = batch.book
    if data.get("namedRangeId"):
        named = next((n for n in book.named if n.id == data["namedRangeId"]), None)
        if named is None:
            raise bad(f"No named range with id: {data['namedRangeId']}")
        item.named_range_id, item.box = named.id, named.box
    elif data.get("range") is not None:
        grid_target(book, data["range"])
        item.box = Box.from_json(data["range"])
    item.description = data.get("description") or None
    item.warning_only = bool(data.get("warningOnly"))
    item.editors = fields.prune(data.get("editors") or {})
    item.unprotected = [grid_target(book, u).box for u in data.get("unprotectedRanges") or []]
    if item.warning_only and item.editors:
        raise bad("Editors cannot be set on a protected range that only warns.")
    return item


@kind("addProtectedRange")
def add_protected_range(batch: Batch, req: JsonDict) -> JsonDict:
    book = batch.book
    data = req.get("protectedRange") or {}
    taken = {p.id for p in book.protected}
    new_id = data.get("protectedRangeId")
    if new_id is None:
        new_id = batch.state.new_int_id(taken)
    elif int(new_id) in taken:
        raise bad(f"A protected range with ID {new_id} already exists.")
    data = {**data, "range": data.get("range") or {}} if not data.get("namedRangeId") else data
    item = _protected_from(batch, data, Protected(int(new_id), Box(0)))
    book.protected.append(item)
    return {"protectedRange": protected_json(book, item, with_owner=False)}


@kind("updateProtectedRange")
def update_protected_range(batch: Batch, req: JsonDict) -> None:
    book = batch.book
    mask = need_fields(req)
    data = req.get("protectedRange") or {}
    item = next((p for p in book.protected if p.id == int(data.get("protectedRangeId") or 0)), None)
    if item is None:
        raise bad(f"No protected range with id: {data.get('protectedRangeId')}")
    current = protected_json(book, item, with_owner=False)
    fields.apply(current, data, mask)
    if "range" in mask and current.get("range") is not None:
        item.box = Box.from_json(current["range"])
    _protected_from(batch, {k: v for k, v in current.items() if k != "range"}, item)


@kind("deleteProtectedRange")
def delete_protected_range(batch: Batch, req: JsonDict) -> None:
    book = batch.book
    wanted = int(req.get("protectedRangeId") or 0)
    if not any(p.id == wanted for p in book.protected):
        raise bad(f"No protected range with id: {wanted}")
    book.protected = [p for p in book.protected if p.id != wanted]


# ------------------------------------------------------------------ named ranges

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def _check_name(book: Spreadsheet, name: str, current: Named | None = None) -> None:
    if not name or not _NAME.match(name) or parse_cells(name) is not None or name.lower() in ("true", "false"):
        raise bad(f'The name "{name}" is not a valid name for a named range.')
    other = next((n for n in book.named if n.name.lower() == name.lower()), None)
    if other is not None and other is not current:
        raise bad(f"A named range with the name {name} already exists.")


@kind("addNamedRange")
def add_named_range(batch: Batch, req: JsonDict) -> JsonDict:
    book = batch.book
    data = req.get("namedRange") or {}
    name = data.get("name") or ""
    _check_name(book, name)
    grid_target(book, data.get("range") or {})
    named_id = data.get("namedRangeId") or str(batch.state.new_int_id())
    if any(n.id == named_id for n in book.named):
        raise bad(f"A named range with ID {named_id} already exists.")
    item = Named(named_id, name, Box.from_json(data.get("range") or {}))
    book.named.append(item)
    return {"namedRange": item.json()}


@kind("updateNamedRange")
def update_named_range(batch: Batch, req: JsonDict) -> None:
    book = batch.book
    mask = need_fields(req)
    data = req.get("namedRange") or {}
    item = next((n for n in book.named if n.id == data.get("namedRangeId")), None)
    if item is None:
        raise bad(f"No named range with id {data.get('namedRangeId')}")
    current = item.json()
    fields.apply(current, data, mask)
    _check_name(book, current.get("name") or "", item)
    grid_target(book, current.get("range") or {})
    item.name, item.box = current["name"], Box.from_json(current.get("range") or {})


@kind("deleteNamedRange")
def delete_named_range(batch: Batch, req: JsonDict) -> None:
    book = batch.book
    wanted = req.get("namedRangeId")
    if not any(n.id == wanted for n in book.named):
        raise bad(f"No named range with id {wanted}")
    book.named = [n for n in book.named if n.id != wanted]


# ------------------------------------------------------------------ merges

@kind("mergeCells")
def merge_cells(batch: Batch, req: JsonDict) -> None:
    target = grid_target(batch.book, req.get("range"))
    sheet = target.sheet
    area = target.box
    mode = req.get("mergeType") or "MERGE_ALL"
    if mode == "MERGE_COLUMNS":
        boxes = [Box(sheet.sheet_id, target.r0, target.r1, c, c + 1) for c in range(target.c0, target.c1)]
    elif mode == "MERGE_ROWS":
        boxes = [Box(sheet.sheet_id, r, r + 1, target.c0, target.c1) for r in range(target.r0, target.r1)]
    else:
        boxes = [area]
    kept = []
    for merge in sheet.merges:
        if not merge.intersects(area):
            kept.append(merge)
            continue
        if not _inside(merge, area):
            raise bad("You can't merge cells that are partially merged with other cells.")
    sheet.merges = kept + [b for b in boxes if (b.r1 - b.r0) * (b.c1 - b.c0) > 1]  # type: ignore[operator]
    for box in boxes:
        for r in range(box.r0, box.r1):  # type: ignore[arg-type]
            for c in range(box.c0, box.c1):  # type: ignore[arg-type]
                if (r, c) != (box.r0, box.c0):
                    old = sheet.cell(r, c)
                    if old is not None:
                        sheet.put(r, c, old.with_value(None))


def _inside(inner: Box, outer: Box) -> bool:
    big = 1 << 30
    a, b = inner.bounded(big, big), outer.bounded(big, big)
    return b[0] <= a[0] and a[1] <= b[1] and b[2] <= a[2] and a[3] <= b[3]


@kind("unmergeCells")
def unmerge_cells(batch: Batch, req: JsonDict) -> None:
    target = grid_target(batch.book, req.get("range"))
    area = target.box
    target.sheet.merges = [m for m in target.sheet.merges if not m.intersects(area)]


# ------------------------------------------------------------------ filters and groups

@kind("setBasicFilter")
def set_basic_filter(batch: Batch, req: JsonDict) -> None:
    data = dict(req.get("filter") or {})
    target = grid_target(batch.book, data.pop("range", None) or {})
    target.sheet.basic_filter = {"range": target.box, **fields.prune(data)}


@kind("clearBasicFilter")
def clear_basic_filter(batch: Batch, req: JsonDict) -> None:
    sheet_by_id(batch.book, req.get("sheetId")).basic_filter = None


def _group_line(batch: Batch, data: JsonDict | None) -> tuple[Any, Line]:
    line = Line.from_json(data or {})
    sheet = sheet_by_id(batch.book, line.sheet_id)
    if line.start is None or line.end is None or line.start >= line.end:
        raise bad("A dimension group needs a start and an end index.")
    return sheet, line


def _groups_reply(sheet: Any, dimension: str) -> JsonDict:
    groups = [g.json() for g in sheet.groups if g.line.dimension == dimension]
    return {"dimensionGroups": groups} if groups else {}


@kind("addDimensionGroup")
def add_dimension_group(batch: Batch, req: JsonDict) -> JsonDict:
    sheet, line = _group_line(batch, req.get("range"))
    depth = 1 + sum(
        1
        for g in sheet.groups
        if g.line.dimension == line.dimension and g.line.start <= line.start and line.end <= g.line.end
    )
    sheet.groups.append(Group(line, depth))
    sheet.grid["rowGroupControlAfter" if line.dimension == ROWS else "columnGroupControlAfter"] = True
    return _groups_reply(sheet, line.dimension)


@kind("deleteDimensionGroup")
def delete_dimension_group(batch: Batch, req: JsonDict) -> JsonDict:
    sheet, line = _group_line(batch, req.get("range"))
    same = [g for g in sheet.groups if g.line == line]
    if not same:
        raise bad("No dimension group exists over that range.")
    sheet.groups.remove(max(same, key=lambda g: g.depth))
    return _groups_reply(sheet, line.dimension)

