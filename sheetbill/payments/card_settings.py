"""`payments.stripe`: online card payments (pay links, events, AutoPay).

    payments:
      stripe:
        secret_key_env: STRIPE_SECRET_KEY   # the key itself only ever in the environment
        autopay_hour: 3                     # local hour from which AutoPay charges, once a day
        webhook_secret_env: STRIPE_WEBHOOK_SECRET  # `sheetbill webhook`: the endpoint's signing secret
        fees: true                          # Stripe's fee on each card payment into the Payments tab's Fee column
        return_url: https://example.com/thanks  # where AutoPay's card set-up page sends the client
                                                 # when done (default: practice.website)

The currency is the practice's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

KNOWN = ("secret_key_env", "webhook_secret_env", "autopay_hour", "enabled", "fees", "return_url")


@dataclass(frozen=True)
class StripeSettings:
    secret_key_env: str = "STRIPE_SECRET_KEY"
    autopay_hour: int = 3
    webhook_secret_env: str = "STRIPE_WEBHOOK_SECRET"  # `sheetbill webhook`: the endpoint's signing secret
    fees: bool = False  # Stripe's fee (from the balance transaction) into Payments' Fee column
    return_url: str = ""  # where the card set-up page sends the client when done ("": practice.website)


def stripe_settings(raw: Any, fail: Callable[[str, str], Exception]) -> StripeSettings | None:
    """The `payments.stripe` section, or None when there is none (or `enabled: false`)."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise fail("payments.stripe", "must be a section (secret_key_env, autopay_hour)")
    for key in raw:
        if key in ("secret_key", "api_key", "key"):
            raise fail(f"payments.stripe.{key}", "the secret key is never kept in the YAML; name its "
                                                 "environment variable in secret_key_env")
        if key not in KNOWN:
            raise fail(f"payments.stripe.{key}", f"unknown key (known: {', '.join(KNOWN)})")
    if raw.get("enabled") is False:
        return None
    env = str(raw.get("secret_key_env") or "STRIPE_SECRET_KEY").strip()
    if env.startswith(("sk_", "rk_")):
        raise fail("payments.stripe.secret_key_env", "names an environment variable, not the key itself "
                                                     "(the key is never kept in the YAML)")
    hour = raw.get("autopay_hour", 3)
    if not isinstance(hour, int) or isinstance(hour, bool) or not 0 <= hour <= 23:
        raise fail("payments.stripe.autopay_hour", "must be an hour from 0 to 23")
    webhook = str(raw.get("webhook_secret_env") or "STRIPE_WEBHOOK_SECRET").strip()
    if webhook.startswith("whsec_"):
        raise fail("payments.stripe.webhook_secret_env", "names an environment variable, not the secret itself")
    fees = raw.get("fees", False)
    if not isinstance(fees, bool):
        raise fail("payments.stripe.fees", "must be true or false")
    return_url = str(raw.get("return_url") or "").strip()
    if return_url and not return_url.startswith("https://"):
        raise fail("payments.stripe.return_url", "must be an https:// address")
    return StripeSettings(env, hour, webhook, fees, return_url)
