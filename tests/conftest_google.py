"""Pytest fixtures for the local fake Google server (tests/fakegoogle).

Register them for the whole suite with, in ``tests/conftest.py``::

    pytest_plugins = ["tests.conftest_google"]

(the ``tests/test_fakegoogle_*.py`` modules carry that same line, so they
also run on their own).

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


@pytest.fixture(scope="session")
def _fake_google_services(fake_google_server: FakeGoogle) -> dict[str, Any]:
    """Services built once per session (building one parses a large discovery document)."""
    return {}


def _service(services: dict[str, Any], fake: FakeGoogle, api: str) -> Any:
    if api not in services:
        services[api] = google_service(fake.base_url, api)
    return services[api]


@pytest.fixture
def fake_sheets(fake_google: FakeGoogle, _fake_google_services: dict[str, Any]) -> Any:
    return _service(_fake_google_services, fake_google, "sheets")


@pytest.fixture
def fake_drive(fake_google: FakeGoogle, _fake_google_services: dict[str, Any]) -> Any:
    return _service(_fake_google_services, fake_google, "drive")


@pytest.fixture
def fake_docs(fake_google: FakeGoogle, _fake_google_services: dict[str, Any]) -> Any:
    return _service(_fake_google_services, fake_google, "docs")


@pytest.fixture
def fake_gmail(fake_google: FakeGoogle, _fake_google_services: dict[str, Any]) -> Any:
    return _service(_fake_google_services, fake_google, "gmail")
