"""Request bodies are checked against the bundled discovery documents."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from googleapiclient.errors import HttpError

from tests.fakegoogle import FakeGoogle, seed
from tests.fakegoogle.validate import check_body

pytest_plugins = ["tests.conftest_google"]


def test_unknown_field_in_a_batch_request(fake_google: FakeGoogle, fake_sheets: Any) -> None:
    book = seed.spreadsheet(fake_google.state, "Books")
    body = {"requests": [{"addSheet": {"properties": {"title": "X"}, "foo": 1}}]}
    with pytest.raises(HttpError) as caught:
        fake_sheets.spreadsheets().batchUpdate(spreadsheetId=book.id, body=body).execute()
    error = caught.value.resp.status, json.loads(caught.value.content)["error"]
    assert error[0] == 400
    assert error[1]["status"] == "INVALID_ARGUMENT"
    assert error[1]["message"] == "Invalid JSON payload received. Unknown name \"foo\" at 'requests[0].addSheet': Cannot find field."
    assert error[1]["details"][0]["fieldViolations"][0]["field"] == "requests[0].add_sheet"
    assert [s.title for s in book.sheets] == ["Sheet1"]


def test_request_kind_that_does_not_exist_is_an_unknown_name(fake_google: FakeGoogle) -> None:
    book = seed.spreadsheet(fake_google.state, "Books")
    answer = requests.post(
        f"{fake_google.base_url}/v4/spreadsheets/{book.id}:batchUpdate",
        json={"requests": [{"verifyKeys": {"keys": ["S-1"]}}]},
        headers={"Authorization": "Bearer t"},
    )
    assert answer.status_code == 400
    assert 'Unknown name "verifyKeys" at \'requests[0]\'' in answer.json()["error"]["message"]


def test_wrong_value_types(fake_google: FakeGoogle) -> None:
    book = seed.spreadsheet(fake_google.state, "Books")
    answer = requests.put(
        f"{fake_google.base_url}/v4/spreadsheets/{book.id}/values/A1?valueInputOption=RAW",
        json={"values": "A1:D4"},
        headers={"Authorization": "Bearer t"},
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), \"A1:D4\""
    with pytest.raises(Exception) as caught:
        check_body("sheets.spreadsheets.batchUpdate", {"requests": [{"insertDimension": {"range": {"dimension": "ROW"}}}]})
    assert "(TYPE_ENUM), \"ROW\"" in str(caught.value)


def test_snake_case_names_are_accepted_and_normalised() -> None:
    body = check_body("sheets.spreadsheets.batchUpdate", {"requests": [{"add_sheet": {"properties": {"sheet_id": "7", "title": "x"}}}]})
    assert body == {"requests": [{"addSheet": {"properties": {"sheetId": 7, "title": "x"}}}]}


def test_maps_and_free_form_values_are_allowed() -> None:
    body = {"name": "a.pdf", "appProperties": {"invoice": "INV-1"}, "properties": {"any": "thing"}}
    assert check_body("drive.files.create", body) == body
    values = {"values": [[1, "a", True, None]], "majorDimension": None}
    assert check_body("sheets.spreadsheets.values.update", values) == values


def test_other_apis_reject_unknown_fields(fake_drive: Any, fake_docs: Any, fake_gmail: Any, fake_google: FakeGoogle) -> None:
    document = seed.document(fake_google.state, "T", ["x"])
    calls = [
        lambda: fake_drive.files().create(body={"name": "a", "colour": "red"}).execute(),
        lambda: fake_docs.documents().batchUpdate(documentId=document.id, body={"requests": [{"replaceAllText": {"find": "x"}}]}).execute(),
        lambda: fake_gmail.users().messages().send(userId="me", body={"raw": "eA", "priority": 1}).execute(),
    ]
    for call in calls:
        with pytest.raises(HttpError) as caught:
            call()
        assert caught.value.resp.status == 400
        assert "Cannot find field." in str(caught.value)


def test_gspread_share_sends_a_v2_field_drive_still_accepts(fake_google: FakeGoogle) -> None:
    assert check_body("drive.permissions.create", {"type": "anyone", "role": "reader", "withLink": False}) is not None
