"""The fake as a standalone process, its control API, and its small parsers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build

from tests.fakegoogle import FakeGoogle, a1, api_endpoint, fields, gspread_client
from tests.fakegoogle.cells import display, parse_typed

pytest_plugins = ["tests.conftest_google"]

ROOT = Path(__file__).resolve().parents[1]


def test_standalone_server_prints_its_url_and_serves() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakegoogle", "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        created = requests.post(f"{base_url}/__fake__/spreadsheets", json={"title": "Books", "tabs": {"Sessions": [["ID"], ["S-1"]]}}).json()
        sheet = gspread_client(base_url).open_by_key(created["spreadsheetId"]).worksheet("Sessions")
        assert sheet.get_all_values() == [["ID"], ["S-1"]]
        assert requests.get(f"{base_url}/__fake__/calls").json()["apis"]["sheets"] >= 2
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_control_api(fake_google: FakeGoogle) -> None:
    base = fake_google.base_url
    requests.post(f"{base}/__fake__/faults", json={"kind": "server_error", "status": 503, "match": "sheets.*"}).raise_for_status()
    created = requests.post(f"{base}/__fake__/spreadsheets", json={"title": "Books"}).json()
    answer = requests.get(f"{base}/v4/spreadsheets/{created['spreadsheetId']}", headers={"Authorization": "Bearer t"})
    assert answer.status_code == 503
    requests.post(f"{base}/__fake__/reset").raise_for_status()
    assert requests.get(f"{base}/__fake__/calls").json() == {"apis": {}, "methods": {}}
    assert requests.post(f"{base}/__fake__/faults", json={"kind": "nope"}).status_code == 400


def test_unknown_url_is_404(fake_google: FakeGoogle) -> None:
    answer = requests.get(f"{fake_google.base_url}/v9/nothing", headers={"Authorization": "Bearer t"})
    assert answer.status_code == 404 and answer.json()["error"]["status"] == "NOT_FOUND"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("'Sheet1'!A1", a1.A1("Sheet1", 0, 1, 0, 1)),
        ("Sheet1!A2:C", a1.A1("Sheet1", 1, None, 0, 3)),
        ("A1:1", a1.A1(None, 0, 1, 0, None)),
        ("D4:A1", a1.A1(None, 0, 4, 0, 4)),
        ("'It''s'!B:B", a1.A1("It's", None, None, 1, 2)),
        ("Sessions", a1.A1("Sessions")),
    ],
)
def test_a1_parsing(text: str, expected: a1.A1) -> None:
    assert a1.parse(text) == expected


def test_a1_printing_quotes_like_google() -> None:
    assert a1.format_range("Sheet1", 0, 1, 0, 1) == "Sheet1!A1"
    assert a1.format_range("D3", 0, 4, 0, 4) == "'D3'!A1:D4"
    assert a1.format_range("My Sheet", 9, 10, 26, 28) == "'My Sheet'!AA10:AB10"


def test_field_masks() -> None:
    mask = fields.parse("kind,files(id,name),sheets.properties.title,grid/rowCount")
    assert mask == {"kind": {}, "files": {"id": {}, "name": {}}, "sheets": {"properties": {"title": {}}}, "grid": {"rowCount": {}}}
    obj = {"kind": "k", "files": [{"id": 1, "name": "a", "size": 3}], "other": 1}
    assert fields.select(obj, mask) == {"kind": "k", "files": [{"id": 1, "name": "a"}]}


@pytest.mark.parametrize(
    "typed,value,shown",
    [("1,234.50", 1234.5, "1,234.50"), ("12.5%", 0.125, "12.5%"), ("3/4/2024", 45355, "3/4/2024"), ("=1/0", "#DIV/0!", "#DIV/0!"), ("=\"a\"&\"b\"", "ab", "ab")],
)
def test_typed_input(typed: str, value: object, shown: str) -> None:
    parsed, _, number_format, _ = parse_typed(typed)
    assert parsed == value
    assert display(parsed, number_format) == shown


def test_documented_but_unimplemented_methods_say_so(fake_google: FakeGoogle) -> None:
    answer = requests.post(f"{fake_google.base_url}/drive/v3/files/x/comments", json={}, headers={"Authorization": "Bearer t"})
    assert answer.status_code == 501
    assert answer.json()["error"]["message"] == "drive.comments.create is not implemented by the local fake."


def test_plain_build_with_credentials_reaches_the_fake(fake_google: FakeGoogle) -> None:
    """The way the design documents it: api_endpoint plus credentials (JSON calls; uploads need clients.LocalHttp)."""
    drive = build(
        "drive", "v3", credentials=Credentials(token="test"), client_options={"api_endpoint": api_endpoint(fake_google.base_url, "drive")},
        static_discovery=True, cache_discovery=False,
    )
    created = drive.files().create(body={"name": "Invoices", "mimeType": "application/vnd.google-apps.folder"}, fields="id,name").execute()
    assert created["name"] == "Invoices"
    sheets = build("sheets", "v4", credentials=Credentials(token="test"), client_options={"api_endpoint": api_endpoint(fake_google.base_url, "sheets")}, static_discovery=True)
    book = sheets.spreadsheets().create(body={"properties": {"title": "Books"}}, fields="spreadsheetId").execute()
    assert sheets.spreadsheets().values().get(spreadsheetId=book["spreadsheetId"], range="A1", fields="range").execute() == {"range": "Sheet1!A1"}
