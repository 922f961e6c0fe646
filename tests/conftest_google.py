"""Pytest fixtures for the local fake Google server (tests/fakegoogle).

Register them for the whole suite with, in ``tests/conftest.py``::

    pytest_plugins = ["tests.conftest_google"]

or import the ones a module needs (``from tests.conftest_google import
fake_google, fake_google_server``).

* ``fake_google_server`` - one running :class:`FakeGoogle` per session;
* ``fake_google`` - the same server, reset (data, faults, counters) for
  each test;
* ``fake_gspread`` - a real ``gspread.Client`` pointed at it;
* ``fake_sheets``, ``fake_drive``, ``fake_docs``, ``fake_gmail`` - real
  googleapiclient services pointed at it (uploads included).
"""

from __future__ import annotations

from typing import Any, Iterator

import gspread
import pytest

from tests.fakegoogle import FakeGoogle, google_service, gspread_client


@pytest.fixture(scope="session")
def fake_google_server() -> Iterator[FakeGoogle]:
    with FakeGoogle() as fake:
        yield fake


@pytest.fixture
def fake_google(fake_google_server: FakeGoogle) -> Iterator[FakeGoogle]:
    fake_google_server.reset()
    yield fake_google_server
    fake_google_server.reset()


@pytest.fixture
def fake_gspread(fake_google: FakeGoogle) -> gspread.Client:
    return gspread_client(fake_google.base_url)


@pytest.fixture
def fake_sheets(fake_google: FakeGoogle) -> Any:
    return google_service(fake_google.base_url, "sheets")


@pytest.fixture
def fake_drive(fake_google: FakeGoogle) -> Any:
    return google_service(fake_google.base_url, "drive")


@pytest.fixture
def fake_docs(fake_google: FakeGoogle) -> Any:
    return google_service(fake_google.base_url, "docs")


@pytest.fixture
def fake_gmail(fake_google: FakeGoogle) -> Any:
    return google_service(fake_google.base_url, "gmail")
