"""Developer metadata on the fake: lookups, and rows carrying their metadata
through inserts, deletes and sorts (by the API and by a person in the UI)."""

from __future__ import annotations

from typing import Any

import pytest
from googleapiclient.errors import HttpError

from tests.fakegoogle import FakeGoogle, humans, seed

pytest_plugins = ["tests.conftest_google"]

ROWS = [["Session ID", "Client"], ["S-1", "Anna"], ["S-2", "Jonas"], ["S-3", "Sofia"]]


def _tag_rows(sheets: Any, book_id: str) -> list[int]:
    """Attach a row-key metadata entry to each data row; returns their ids."""
    requests = [
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": "session",
                    "metadataValue": f"S-{row}",
                    "visibility": "DOCUMENT",
                    "location": {"dimensionRange": {"sheetId": 0, "dimension": "ROWS", "startIndex": row, "endIndex": row + 1}},
                }
            }
        }
        for row in (1, 2, 3)
    ]
    replies = sheets.spreadsheets().batchUpdate(spreadsheetId=book_id, body={"requests": requests}).execute()["replies"]
    return [r["createDeveloperMetadata"]["developerMetadata"]["metadataId"] for r in replies]


def _rows_of(sheets: Any, book_id: str) -> dict[str, int]:
    """metadataValue -> row index, from a search."""
    found = sheets.spreadsheets().developerMetadata().search(
        spreadsheetId=book_id, body={"dataFilters": [{"developerMetadataLookup": {"metadataKey": "session"}}]}
    ).execute()
    return {
        m["developerMetadata"]["metadataValue"]: m["developerMetadata"]["location"]["dimensionRange"]["startIndex"]
        for m in found.get("matchedDeveloperMetadata", [])
    }


def _column_a(sheets: Any, book_id: str) -> list[str]:
    values = sheets.spreadsheets().values().get(spreadsheetId=book_id, range="Sessions!A:A").execute()["values"]
    return [row[0] if row else "" for row in values]


@pytest.fixture
def book(fake_google: FakeGoogle, fake_sheets: Any) -> str:
    book = seed.spreadsheet(fake_google.state, "Books", {"Sessions": ROWS})
    _tag_rows(fake_sheets, book.id)
    return book.id


def test_create_get_and_search_shapes(fake_sheets: Any, book: str) -> None:
    found = fake_sheets.spreadsheets().developerMetadata().search(
        spreadsheetId=book, body={"dataFilters": [{"developerMetadataLookup": {"metadataValue": "S-2"}}]}
    ).execute()
    (match,) = found["matchedDeveloperMetadata"]
    meta = match["developerMetadata"]
    assert meta["location"] == {
        "locationType": "ROW",
        "dimensionRange": {"sheetId": 0, "dimension": "ROWS", "startIndex": 2, "endIndex": 3},
    }
    assert match["dataFilters"] == [{"developerMetadataLookup": {"metadataValue": "S-2"}}]
    got = fake_sheets.spreadsheets().developerMetadata().get(spreadsheetId=book, metadataId=meta["metadataId"]).execute()
    assert got == meta
    by_range = fake_sheets.spreadsheets().developerMetadata().search(
        spreadsheetId=book, body={"dataFilters": [{"a1Range": "Sessions!A3:A4"}]}
    ).execute()
    assert sorted(m["developerMetadata"]["metadataValue"] for m in by_range["matchedDeveloperMetadata"]) == ["S-2", "S-3"]
    empty = fake_sheets.spreadsheets().developerMetadata().search(
        spreadsheetId=book, body={"dataFilters": [{"developerMetadataLookup": {"metadataKey": "nothing"}}]}
    ).execute()
    assert empty == {}


def test_grid_data_lists_row_metadata(fake_sheets: Any, book: str) -> None:
    grid = fake_sheets.spreadsheets().get(spreadsheetId=book, ranges=["Sessions!A2:B3"], includeGridData=True).execute()
    rows = grid["sheets"][0]["data"][0]["rowMetadata"]
    assert [r["developerMetadata"][0]["metadataValue"] for r in rows] == ["S-1", "S-2"]


def test_metadata_moves_with_rows_on_api_insert_delete_and_sort(fake_sheets: Any, book: str) -> None:
    requests = [
        {"insertDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 3}}},
        {"deleteDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 4, "endIndex": 5}}},
        {"sortRange": {"range": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 5}, "sortSpecs": [{"dimensionIndex": 0, "sortOrder": "DESCENDING"}]}},
    ]
    fake_sheets.spreadsheets().batchUpdate(spreadsheetId=book, body={"requests": requests}).execute()
    assert _column_a(fake_sheets, book) == ["Session ID", "S-3", "S-1"]
    assert _rows_of(fake_sheets, book) == {"S-3": 1, "S-1": 2}


def test_metadata_moves_when_a_person_edits_the_sheet(fake_google: FakeGoogle, fake_sheets: Any, book: str) -> None:
    humans.insert_rows(fake_google.state, book, "Sessions", 1, values=[["S-0", "Nina"]])
    assert _rows_of(fake_sheets, book) == {"S-1": 2, "S-2": 3, "S-3": 4}
    humans.sort_rows(fake_google.state, book, "Sessions", column=1, descending=True)
    assert _column_a(fake_sheets, book) == ["Session ID", "S-3", "S-0", "S-2", "S-1"]
    assert _rows_of(fake_sheets, book) == {"S-3": 1, "S-2": 3, "S-1": 4}
    humans.delete_rows(fake_google.state, book, "Sessions", 3)
    assert _rows_of(fake_sheets, book) == {"S-3": 1, "S-1": 3}


def test_update_and_delete_by_data_filter(fake_sheets: Any, book: str) -> None:
    lookup = {"developerMetadataLookup": {"metadataValue": "S-1"}}
    reply = fake_sheets.spreadsheets().batchUpdate(
        spreadsheetId=book,
        body={
            "requests": [
                {"updateDeveloperMetadata": {"dataFilters": [lookup], "developerMetadata": {"metadataValue": "S-9"}, "fields": "metadataValue"}},
                {"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": {"metadataValue": "S-2"}}}},
            ]
        },
    ).execute()["replies"]
    assert reply[0]["updateDeveloperMetadata"]["developerMetadata"][0]["metadataValue"] == "S-9"
    assert reply[1]["deleteDeveloperMetadata"]["deletedDeveloperMetadata"][0]["metadataValue"] == "S-2"
    assert _rows_of(fake_sheets, book) == {"S-9": 1, "S-3": 3}


def test_values_by_data_filter_follow_the_metadata(fake_google: FakeGoogle, fake_sheets: Any, book: str) -> None:
    humans.insert_rows(fake_google.state, book, "Sessions", 1)
    filter_ = {"developerMetadataLookup": {"metadataValue": "S-2"}}
    got = fake_sheets.spreadsheets().values().batchGetByDataFilter(spreadsheetId=book, body={"dataFilters": [filter_]}).execute()
    (matched,) = got["valueRanges"]
    assert matched["valueRange"]["range"] == "Sessions!A4:Z4"
    assert matched["valueRange"]["values"] == [["S-2", "Jonas"]]
    fake_sheets.spreadsheets().values().batchUpdateByDataFilter(
        spreadsheetId=book, body={"valueInputOption": "RAW", "data": [{"dataFilter": filter_, "values": [["S-2", "Jonas B."]]}]}
    ).execute()
    assert _column_a(fake_sheets, book)[3] == "S-2"


def test_metadata_needs_a_valid_location_and_visibility(fake_sheets: Any, book: str) -> None:
    bad = {"metadataKey": "k", "visibility": "DOCUMENT", "location": {"dimensionRange": {"sheetId": 0, "dimension": "ROWS", "startIndex": 5000, "endIndex": 5001}}}
    with pytest.raises(HttpError) as caught:
        fake_sheets.spreadsheets().batchUpdate(spreadsheetId=book, body={"requests": [{"createDeveloperMetadata": {"developerMetadata": bad}}]}).execute()
    assert caught.value.resp.status == 400
    no_visibility = {"metadataKey": "k", "location": {"spreadsheet": True}}
    with pytest.raises(HttpError):
        fake_sheets.spreadsheets().batchUpdate(spreadsheetId=book, body={"requests": [{"createDeveloperMetadata": {"developerMetadata": no_visibility}}]}).execute()
    with pytest.raises(HttpError) as missing:
        fake_sheets.spreadsheets().developerMetadata().get(spreadsheetId=book, metadataId=12345).execute()
    assert missing.value.resp.status == 404
