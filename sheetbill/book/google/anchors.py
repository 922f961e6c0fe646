"""Keeping writes on the rows they were planned for, while people edit.

The admin may insert, delete or sort rows between the worker's read and its
write. Cells are addressed by position, so each row the worker writes to
carries a tag: developer metadata on that one row (key `sheetbill.row`),
which Google moves with the row. Each tab the worker writes also has an
END tag on its last grid row, which moves whenever rows are inserted or
deleted above it.

A write checks, inside its own atomic batchUpdate, that every tag it relies
on is still where the read saw it: "delete tag T *at row R*, then create
tag T at row R". If T moved, the delete matches nothing and the create
fails on T's id, and Google refuses the whole batch: nothing is written. The
book then reads where the tags are now, and writes again at the rows' new
places, or gives up for this cycle when a row it needs is gone.

A deleted row takes its tag with it; the create then succeeds. That case is
caught by the END tag (any insert or delete above it moves it), except when
deletes and inserts above it balance out exactly in the instant between
read and write, and one of the deleted rows is one the worker writes to.
"""

from __future__ import annotations

from typing import Any

VISIBILITY = "DOCUMENT"


def row_location(sheet_id: int, row: int) -> dict[str, Any]:
    """The metadata location of one sheet row (1-based)."""
    return {"dimensionRange": {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": row - 1, "endIndex": row}}


def create(meta_id: int, key: str, sheet_id: int, row: int) -> dict[str, Any]:
    return {"createDeveloperMetadata": {"developerMetadata": {
        "metadataId": meta_id, "metadataKey": key, "visibility": VISIBILITY,
        "location": row_location(sheet_id, row)}}}


def delete_at(meta_id: int, sheet_id: int, row: int) -> dict[str, Any]:
    """Delete the metadata only if it is still on that exact row."""
    return {"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": {
        "metadataId": meta_id, "metadataLocation": row_location(sheet_id, row),
        "locationMatchingStrategy": "EXACT_LOCATION"}}}}

