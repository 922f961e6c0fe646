"""`payments.stripe` in the config: the key only from the environment."""

from __future__ import annotations

import pytest

from sheetbill import app
from sheetbill.errors import ConfigError
from sheetbill.payments.card_settings import StripeSettings, stripe_settings


def fail(key: str, message: str) -> Exception:
    return ValueError(f"{key}: {message}")


@pytest.mark.parametrize("raw, expected", [
    (None, None),
    ({}, StripeSettings()),
    ({"secret_key_env": "MY_STRIPE", "autopay_hour": 2}, StripeSettings("MY_STRIPE", 2)),
    ({"enabled": False}, None),
    ({"fees": True, "return_url": "https://practice.example/thanks"},
     StripeSettings(fees=True, return_url="https://practice.example/thanks")),
])
def test_the_section_read(raw, expected):
    assert stripe_settings(raw, fail) == expected


@pytest.mark.parametrize("raw, said", [
    ({"secret_key": "sk_live_123"}, "payments.stripe.secret_key: the secret key is never kept in the YAML"),
    ({"secret_key_env": "sk_live_123"}, "names an environment variable, not the key itself"),
    ({"autopay_hour": 25}, "payments.stripe.autopay_hour: must be an hour from 0 to 23"),
    ({"autopay_houre": 2}, "payments.stripe.autopay_houre: unknown key"),
    ({"fees": "yes please"}, "payments.stripe.fees: must be true or false"),
    ({"return_url": "http://practice.example"}, "payments.stripe.return_url: must be an https:// address"),
])
def test_bad_settings_are_named(raw, said):
    with pytest.raises(ValueError, match=said):
        stripe_settings(raw, fail)


def test_a_missing_key_in_the_environment_is_a_one_line_message(practice, monkeypatch):
    monkeypatch.delenv("STRIPE_SECRET_KEY", raising=False)
    practice.configure("payments:\n  account:", "payments:\n  stripe:\n    autopay_hour: 3\n  account:")
    with pytest.raises(ConfigError, match="the environment variable STRIPE_SECRET_KEY is not set"):
        app.card_payments_for(practice.config)
