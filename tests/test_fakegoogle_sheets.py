"""Sheets v4 on the fake, through real gspread and real googleapiclient."""

from __future__ import annotations

from typing import Any

import gspread
import pytest
from googleapiclient.errors import HttpError
from gspread.utils import DateTimeOption, ValueInputOption, ValueRenderOption

from tests.fakegoogle import FakeGoogle, seed

pytest_plugins = ["tests.conftest_google"]


def test_gspread_create_open_and_worksheets(fake_gspread: gspread.Client) -> None:
    book = fake_gspread.create("Practice")
    again = fake_gspread.open_by_key(book.id)
    assert again.title == "Practice"
    added = again.add_worksheet("Sessions", rows=20, cols=5)
    assert [w.title for w in again.worksheets()] == ["Sheet1", "Sessions"]
    assert (added.row_count, added.col_count) == (20, 5)
    assert fake_gspread.open("Practice").id == book.id


def test_gspread_update_and_get_all_values(fake_gspread: gspread.Client) -> None:
    sheet = fake_gspread.create("Practice").sheet1
    sheet.update([["Session ID", "Client"], ["S-1", "Anna"], ["", "Jonas"]], "A1")
    assert sheet.get_all_values() == [["Session ID", "Client"], ["S-1", "Anna"], ["", "Jonas"]]
    assert sheet.get_all_records() == [{"Session ID": "S-1", "Client": "Anna"}, {"Session ID": "", "Client": "Jonas"}]


def test_user_entered_parses_like_the_ui_and_raw_keeps_text(fake_gspread: gspread.Client) -> None:
    sheet = fake_gspread.create("Practice").sheet1
    sheet.update([["=2*21", "2024-03-05", "0042", "10%", "TRUE", "'007"]], "A1", value_input_option=ValueInputOption.user_entered)
    sheet.update([["=2*21", "0042"]], "A2", value_input_option=ValueInputOption.raw)
    formatted = sheet.get("A1:F2")
    assert formatted == [["42", "2024-03-05", "42", "10%", "TRUE", "007"], ["=2*21", "0042"]]
    unformatted = sheet.get("A1:F1", value_render_option=ValueRenderOption.unformatted)
    assert unformatted == [[42, 45356, 42, 0.1, True, "007"]]
    as_text = sheet.get("B1", value_render_option=ValueRenderOption.unformatted, date_time_render_option=DateTimeOption.formatted_string)
    assert as_text == [["2024-03-05"]]
    assert sheet.get("A1", value_render_option=ValueRenderOption.formula) == [["=2*21"]]


def test_batch_get_ranges_are_normalised_and_empty_ranges_omit_values(fake_gspread: gspread.Client, fake_sheets: Any) -> None:
    book = fake_gspread.create("Practice")
    book.add_worksheet("My Sessions", rows=10, cols=4)
    book.values_update("'My Sessions'!A1", params={"valueInputOption": "RAW"}, body={"values": [["a", "b"], ["c"]]})
    answer = fake_sheets.spreadsheets().values().batchGet(
        spreadsheetId=book.id, ranges=["'My Sessions'!A:B", "Sheet1!A1:B2", "'My Sessions'!D4:A1"], majorDimension="COLUMNS"
    ).execute()
    ranges = answer["valueRanges"]
    assert [r["range"] for r in ranges] == ["'My Sessions'!A1:B10", "Sheet1!A1:B2", "'My Sessions'!A1:D4"]
    assert ranges[0]["values"] == [["a", "c"], ["b"]]
    assert "values" not in ranges[1]


def test_append_finds_the_table_and_can_insert_rows(fake_gspread: gspread.Client) -> None:
    sheet = fake_gspread.create("Practice").sheet1
    sheet.update([["ID", "Name"], ["1", "Anna"], [None], ["", ""], ["below", ""]], "A1")
    sheet.update([["after"]], "A5")
    answer = sheet.append_row(["2", "Jonas"], table_range="A1:B3")
    assert answer["tableRange"] == "Sheet1!A1:B2"
    assert answer["updates"]["updatedRange"] == "Sheet1!A3:B3"
    sheet.append_rows([["3", "Sofia"]], insert_data_option="INSERT_ROWS", table_range="A1:B3")
    assert sheet.col_values(1) == ["ID", "1", "2", "3", "", "after"]


def test_append_beyond_the_grid_grows_it(fake_gspread: gspread.Client) -> None:
    book = fake_gspread.create("Practice")
    sheet = book.add_worksheet("Small", rows=2, cols=2)
    sheet.update([["a", "b"], ["c", "d"]], "A1")
    sheet.append_row(["e", "f", "g"])
    assert sheet.get_all_values()[-1] == ["e", "f", "g"]
    assert book.worksheet("Small").row_count == 3


def test_update_outside_the_grid_is_refused(fake_gspread: gspread.Client) -> None:
    sheet = fake_gspread.create("Practice").sheet1
    with pytest.raises(gspread.exceptions.APIError) as caught:
        sheet.update([["x"]], "A1001")
    assert caught.value.code == 400
    assert "exceeds grid limits" in str(caught.value)


def test_values_batch_update_clear_and_batch_clear(fake_gspread: gspread.Client) -> None:
    book = fake_gspread.create("Practice")
    answer = book.values_batch_update(
        {"valueInputOption": "RAW", "data": [{"range": "A1:B1", "values": [["a", "b"]]}, {"range": "A3", "values": [["c"]]}]}
    )
    assert (answer["totalUpdatedRows"], answer["totalUpdatedColumns"], answer["totalUpdatedCells"]) == (2, 2, 3)
    assert book.values_clear("Sheet1!A1")["clearedRange"] == "Sheet1!A1"
    assert book.values_batch_clear(body={"ranges": ["A3"]})["clearedRanges"] == ["Sheet1!A3"]
    assert book.sheet1.get_all_values() == [["", "b"]]


def test_unknown_spreadsheet_and_range(fake_gspread: gspread.Client) -> None:
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        fake_gspread.open_by_key("missing")
    book = fake_gspread.create("Practice")
    with pytest.raises(gspread.exceptions.APIError) as caught:
        book.values_get("Nope!A1")
    assert caught.value.response.json()["error"] == {"code": 400, "message": "Unable to parse range: Nope!A1", "status": "INVALID_ARGUMENT"}


def test_create_get_with_fields_ranges_and_grid_data(fake_sheets: Any) -> None:
    created = fake_sheets.spreadsheets().create(
        body={"properties": {"title": "Books"}, "sheets": [{"properties": {"title": "Sessions", "gridProperties": {"rowCount": 5, "columnCount": 3}}}]}
    ).execute()
    book_id = created["spreadsheetId"]
    assert created["sheets"][0]["properties"]["sheetId"] == 0
    fake_sheets.spreadsheets().values().update(
        spreadsheetId=book_id, range="Sessions!A1", valueInputOption="USER_ENTERED", body={"values": [["x", "=1+1"]]}
    ).execute()
    only_titles = fake_sheets.spreadsheets().get(spreadsheetId=book_id, fields="sheets.properties.title").execute()
    assert only_titles == {"sheets": [{"properties": {"title": "Sessions"}}]}
    grid = fake_sheets.spreadsheets().get(spreadsheetId=book_id, ranges=["Sessions!A1:B1"], includeGridData=True).execute()
    row = grid["sheets"][0]["data"][0]["rowData"][0]["values"]
    assert row[1]["userEnteredValue"] == {"formulaValue": "=1+1"}
    assert row[1]["effectiveValue"] == {"numberValue": 2}
    assert row[1]["formattedValue"] == "2"


def test_batch_update_requests_and_replies(fake_sheets: Any, fake_google: FakeGoogle) -> None:
    book = seed.spreadsheet(fake_google.state, "Books", {"Sessions": [["ID", "Status"], ["S-2", "Completed"], ["S-1", "Scheduled"]]})
    requests = [
        {"addSheet": {"properties": {"title": "_sheetbill", "hidden": True}}},
        {"updateSheetProperties": {"properties": {"sheetId": 0, "gridProperties": {"frozenRowCount": 1}}, "fields": "gridProperties.frozenRowCount"}},
        {"sortRange": {"range": {"sheetId": 0, "startRowIndex": 1}, "sortSpecs": [{"dimensionIndex": 0, "sortOrder": "ASCENDING"}]}},
        {"appendCells": {"sheetId": 0, "rows": [{"values": [{"userEnteredValue": {"stringValue": "S-3"}}]}], "fields": "userEnteredValue"}},
        {"repeatCell": {"range": {"sheetId": 0, "endRowIndex": 1}, "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}}, "fields": "userEnteredFormat.textFormat.bold"}},
        {"setDataValidation": {"range": {"sheetId": 0, "startRowIndex": 1, "startColumnIndex": 1, "endColumnIndex": 2}, "rule": {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "Completed"}]}}}},
        {"insertDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}}},
        {"deleteDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}}},
        {"appendDimension": {"sheetId": 0, "dimension": "COLUMNS", "length": 2}},
        {"updateDimensionProperties": {"range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1}, "properties": {"pixelSize": 150}, "fields": "pixelSize"}},
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": 0, "endRowIndex": 1}, "warningOnly": True}}},
    ]
    answer = fake_sheets.spreadsheets().batchUpdate(spreadsheetId=book.id, body={"requests": requests}).execute()
    replies = answer["replies"]
    assert len(replies) == len(requests)
    assert replies[0]["addSheet"]["properties"]["hidden"] is True
    protected_id = replies[-1]["addProtectedRange"]["protectedRange"]["protectedRangeId"]
    values = fake_sheets.spreadsheets().values().get(spreadsheetId=book.id, range="Sessions").execute()["values"]
    assert values == [["ID", "Status"], ["S-1", "Scheduled"], ["S-2", "Completed"], ["S-3"]]
    meta = fake_sheets.spreadsheets().get(spreadsheetId=book.id).execute()
    sessions = meta["sheets"][0]
    assert sessions["properties"]["gridProperties"] == {"rowCount": 1000, "columnCount": 28, "frozenRowCount": 1}
    assert sessions["protectedRanges"][0]["protectedRangeId"] == protected_id
    fake_sheets.spreadsheets().batchUpdate(
        spreadsheetId=book.id, body={"requests": [{"deleteProtectedRange": {"protectedRangeId": protected_id}}, {"deleteSheet": {"sheetId": replies[0]["addSheet"]["properties"]["sheetId"]}}]}
    ).execute()
    meta = fake_sheets.spreadsheets().get(spreadsheetId=book.id).execute()
    assert len(meta["sheets"]) == 1 and "protectedRanges" not in meta["sheets"][0]


def test_batch_update_is_atomic(fake_sheets: Any, fake_google: FakeGoogle) -> None:
    book = seed.spreadsheet(fake_google.state, "Books", {"Sessions": [["ID"], ["S-1"]]})
    before = fake_sheets.spreadsheets().get(spreadsheetId=book.id, includeGridData=True).execute()
    requests = [
        {"addSheet": {"properties": {"title": "Invoices"}}},
        {"updateCells": {"start": {"sheetId": 0, "rowIndex": 1}, "rows": [{"values": [{"userEnteredValue": {"stringValue": "changed"}}]}], "fields": "userEnteredValue"}},
        {"insertDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 3}}},
        {"deleteSheet": {"sheetId": 999}},
    ]
    with pytest.raises(HttpError) as caught:
        fake_sheets.spreadsheets().batchUpdate(spreadsheetId=book.id, body={"requests": requests}).execute()
    assert caught.value.resp.status == 400
    assert "Invalid requests[3].deleteSheet: No grid with id: 999" in str(caught.value)
    after = fake_sheets.spreadsheets().get(spreadsheetId=book.id, includeGridData=True).execute()
    assert after == before


def test_hiding_every_sheet_is_refused(fake_gspread: gspread.Client) -> None:
    sheet = fake_gspread.create("Practice").sheet1
    with pytest.raises(gspread.exceptions.APIError) as caught:
        sheet.hide()
    assert "You can't hide all the sheets in a document." in str(caught.value)
