"""The `fake_stripe` fixture: a fake Stripe on 127.0.0.1 that the worker talks to
(`pytest_plugins = ["tests.conftest_stripe"]`)."""

from __future__ import annotations

import pytest

from sheetbill.app import STRIPE_ENDPOINT

from .fakestripe.server import SECRET, FakeStripe


@pytest.fixture
def fake_stripe(monkeypatch):
    import stripe._http_client as http

    monkeypatch.setattr(http.HTTPClient, "_sleep_time_seconds", lambda self, *a, **kw: 0)  # no real sleeps
    fake = FakeStripe().start()
    monkeypatch.setenv(STRIPE_ENDPOINT, fake.url)
    monkeypatch.setenv("SHEETBILL_TEST_STRIPE_KEY", SECRET)
    yield fake
    fake.stop()
