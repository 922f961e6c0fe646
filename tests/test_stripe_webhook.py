"""`sheetbill webhook`: a signed Stripe event wakes a cycle; a bad signature is refused."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import threading
import time

from sheetbill.payments.webhook import WebhookServer

SECRET = "whsec_test_sheetbill"


def post(port: int, body: bytes, signature: str | None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["Stripe-Signature"] = signature
    conn.request("POST", "/stripe", body, headers)
    status = conn.getresponse().status
    conn.close()
    return status


def signed(body: bytes, secret: str = SECRET) -> str:
    stamp = int(time.time())
    mac = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={mac}"


def test_a_signed_event_wakes_a_cycle_and_a_bad_signature_is_refused():
    ran = threading.Event()
    server = WebhookServer(SECRET, ran.set, "127.0.0.1", 0).start()
    try:
        body = json.dumps({"id": "evt_1", "type": "payment_intent.succeeded"}).encode()
        assert post(server.port, body, signed(body, "whsec_other")) == 400
        assert post(server.port, body, None) == 400
        good = signed(body)
        assert post(server.port, body, good[:-1] + ("1" if good.endswith("0") else "0")) == 400  # one digit off
        assert not ran.is_set()
        assert post(server.port, body, signed(body)) == 200
        assert ran.wait(10)
    finally:
        server.stop()


def test_the_command_without_its_secret_is_one_line(practice, monkeypatch, capsys):
    from sheetbill import cli

    monkeypatch.delenv("STRIPE_WEBHOOK_SECRET", raising=False)
    practice.configure("payments:\n  account:", "payments:\n  stripe:\n    autopay_hour: 3\n  account:")
    assert cli.main(["webhook", "--port", "0", "--config", str(practice.config_path)]) != 0
    assert "STRIPE_WEBHOOK_SECRET is not set" in capsys.readouterr().err
