"""Fault injection and call counting on the fake."""

from __future__ import annotations

import socket
from typing import Any

import gspread
import pytest
import requests
from googleapiclient.errors import HttpError

from tests.fakegoogle import FakeGoogle, google_service, gspread_client, humans, seed

pytest_plugins = ["tests.conftest_google"]


@pytest.fixture
def book(fake_google: FakeGoogle) -> str:
    return seed.spreadsheet(fake_google.state, "Books", {"Sheet1": [["ID"], ["S-1"]]}).id


def test_429_storm_hits_only_matching_requests(fake_google: FakeGoogle, fake_gspread: gspread.Client, book: str) -> None:
    sheet = fake_gspread.open_by_key(book).sheet1
    rule = fake_google.faults.rate_limit(times=2, match="sheets.spreadsheets.values.get", retry_after=3)
    for _ in range(2):
        with pytest.raises(gspread.exceptions.APIError) as caught:
            sheet.get_all_values()
        error = caught.value.response.json()["error"]
        assert (error["code"], error["status"]) == (429, "RESOURCE_EXHAUSTED")
        assert caught.value.response.headers["Retry-After"] == "3"
    sheet.update([["still writable"]], "B1")
    assert sheet.get_all_values()[0] == ["ID", "still writable"]
    assert rule.fired == 2


def test_drive_429_uses_drives_error_shape(fake_google: FakeGoogle) -> None:
    drive = google_service(fake_google.base_url, "drive")
    fake_google.faults.rate_limit(match="drive.*")
    with pytest.raises(HttpError) as caught:
        drive.files().list().execute()
    assert caught.value.resp.status == 429
    assert caught.value.error_details[0]["reason"] == "rateLimitExceeded"


@pytest.mark.parametrize("status,name", [(500, "INTERNAL"), (503, "UNAVAILABLE")])
def test_server_errors(fake_google: FakeGoogle, fake_sheets: Any, book: str, status: int, name: str) -> None:
    fake_google.faults.server_error(status=status, match=lambda request: request.method == "GET")
    with pytest.raises(HttpError) as caught:
        fake_sheets.spreadsheets().get(spreadsheetId=book).execute()
    assert caught.value.resp.status == status and name in caught.value.content.decode()
    assert fake_sheets.spreadsheets().get(spreadsheetId=book).execute()["spreadsheetId"] == book


def test_slow_answer_times_out_after_the_write_was_applied(fake_google: FakeGoogle, book: str) -> None:
    client = gspread_client(fake_google.base_url, timeout=0.2)
    sheet = client.open_by_key(book).sheet1
    fake_google.faults.delay(0.5, match="sheets.spreadsheets.values.update")
    with pytest.raises(requests.exceptions.Timeout):
        sheet.update([["late"]], "A3")
    assert fake_google.state.spreadsheets[book].sheets[0].cell(2, 0).value == "late"


def test_slow_answer_with_googleapiclient(fake_google: FakeGoogle, book: str) -> None:
    sheets = google_service(fake_google.base_url, "sheets", timeout=0.05)
    fake_google.faults.delay(0.3, match="sheets.spreadsheets.get")
    with pytest.raises((socket.timeout, TimeoutError)):
        sheets.spreadsheets().get(spreadsheetId=book).execute()


def test_drop_after_write(fake_google: FakeGoogle, fake_gspread: gspread.Client, book: str) -> None:
    sheet = fake_gspread.open_by_key(book).sheet1
    fake_google.faults.drop_after_write(match="sheets.spreadsheets.values.append")
    with pytest.raises(requests.exceptions.ConnectionError):
        sheet.append_row(["S-2"])
    assert sheet.col_values(1) == ["ID", "S-1", "S-2"]


def test_httplib2_resends_a_dropped_write(fake_google: FakeGoogle, fake_sheets: Any, book: str) -> None:
    """googleapiclient's transport silently retries once: the write lands twice."""
    fake_google.faults.drop_after_write(match="sheets.spreadsheets.values.append")
    fake_sheets.spreadsheets().values().append(spreadsheetId=book, range="Sheet1", valueInputOption="RAW", body={"values": [["S-2"]]}).execute()
    values = fake_sheets.spreadsheets().values().get(spreadsheetId=book, range="Sheet1!A:A").execute()["values"]
    assert values == [["ID"], ["S-1"], ["S-2"], ["S-2"]]


def test_reads_are_never_dropped(fake_google: FakeGoogle, fake_sheets: Any, book: str) -> None:
    rule = fake_google.faults.drop_after_write()
    fake_sheets.spreadsheets().get(spreadsheetId=book).execute()
    assert rule.fired == 0


def test_concurrent_edit_before_the_nth_request(fake_google: FakeGoogle, fake_gspread: gspread.Client, book: str) -> None:
    sheet = fake_gspread.open_by_key(book).sheet1
    rule = fake_google.faults.before(
        lambda state: humans.insert_rows(state, book, "Sheet1", 1, values=[["typed by a person"]]),
        nth=2,
        match="sheets.spreadsheets.values.get",
    )
    assert sheet.col_values(1) == ["ID", "S-1"]
    assert sheet.col_values(1) == ["ID", "typed by a person", "S-1"]
    assert sheet.col_values(1) == ["ID", "typed by a person", "S-1"]
    assert (rule.seen, rule.fired) == (2, 1)


def test_call_counts_per_api_and_method(fake_google: FakeGoogle, fake_gspread: gspread.Client, fake_sheets: Any, book: str) -> None:
    fake_gspread.open_by_key(book).sheet1.get_all_values()
    fake_sheets.spreadsheets().get(spreadsheetId=book).execute()
    fake_google.faults.rate_limit(match="drive.*")
    with pytest.raises(HttpError):
        google_service(fake_google.base_url, "drive").files().list().execute()
    assert fake_google.count(method="sheets.spreadsheets.get") == 3
    assert fake_google.count(method="sheets.spreadsheets.values.get") == 1
    assert fake_google.count(api="drive") == 1
    assert fake_google.count() == 5
    snapshot = fake_google.calls.snapshot()
    assert snapshot["apis"] == {"sheets": 4, "drive": 1}


def test_missing_bearer_token_is_401(fake_google: FakeGoogle, book: str) -> None:
    answer = requests.get(f"{fake_google.base_url}/v4/spreadsheets/{book}")
    assert answer.status_code == 401
    assert answer.json()["error"]["status"] == "UNAUTHENTICATED"
    assert requests.get(f"{fake_google.base_url}/v4/spreadsheets/{book}", headers={"Authorization": "Bearer anything"}).status_code == 200
