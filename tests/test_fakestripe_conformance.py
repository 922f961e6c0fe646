"""The fake Stripe answers in the shapes of Stripe's own fixtures (`fixtures3.json`
from stripe/openapi, kept outside the repository; skipped where it is absent):
every key the fake sends is one Stripe's object has, with the same kind of value."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import stripe

from .fakestripe.server import SECRET, FakeStripe

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "stripe" / "fixtures3.json"


@pytest.fixture(scope="module")
def fixtures() -> dict:
    if not FIXTURES.exists():
        pytest.skip("Stripe's fixtures3.json is not here")
    return json.loads(FIXTURES.read_text())["resources"]


def kind_of(value) -> str:
    return {bool: "bool", int: "int", float: "int", str: "str", Decimal: "str", list: "list",
            dict: "dict"}.get(type(value), "null")  # a decimal string comes back a Decimal


def mismatches(ours: dict, theirs: dict, path: str = "") -> list[str]:
    out = []
    for key, value in ours.items():
        if key.startswith("_"):
            continue
        if key not in theirs:
            out.append(f"{path}{key}: not in Stripe's object")
            continue
        if value is None or theirs[key] is None:
            continue
        if kind_of(value) != kind_of(theirs[key]):
            out.append(f"{path}{key}: {kind_of(value)} where Stripe has {kind_of(theirs[key])}")
        elif isinstance(value, dict) and key not in ("metadata",):
            out.extend(mismatches(value, theirs[key], f"{path}{key}."))
    return out


@pytest.fixture
def fake(monkeypatch):
    import stripe._http_client as http

    monkeypatch.setattr(http.HTTPClient, "_sleep_time_seconds", lambda self, *a, **kw: 0)
    server = FakeStripe().start()
    yield server
    server.stop()


def test_every_object_the_fake_makes_has_stripes_shape(fixtures, fake):
    client = stripe.StripeClient(SECRET, base_addresses={"api": fake.url})
    price = client.v1.prices.create({"unit_amount": 6500, "currency": "eur", "product_data": {"name": "Invoice 1"}})
    link = client.v1.payment_links.create({"line_items": [{"price": price.id, "quantity": 1}],
                                           "metadata": {"invoice_no": "INV-1"},
                                           "restrictions": {"completed_sessions": {"limit": 1}}})
    fake.add_customer("cus_1")
    methods = client.v1.customers.payment_methods.list("cus_1", {"type": "card"})
    intent = client.v1.payment_intents.create({"amount": 100, "currency": "eur", "customer": "cus_1",
                                               "payment_method": methods.data[0].id, "confirm": True,
                                               "off_session": True})
    fake.refund(intent.id, 50, datetime(2026, 11, 21, tzinfo=UTC))
    fake.close_dispute(fake.dispute(intent.id)["id"], won=True)
    charge = client.v1.charges.retrieve(str(intent.latest_charge))
    txn = client.v1.balance_transactions.retrieve(str(charge.balance_transaction))
    customer = client.v1.customers.create({"name": "Anna", "email": "anna@example.com",
                                           "metadata": {"client_id": "C-001"}})
    session = client.v1.checkout.sessions.create({"mode": "setup", "currency": "eur", "customer": customer.id,
                                                  "success_url": "https://practice.example/thanks",
                                                  "metadata": {"client_id": "C-001"}})
    fake.complete_setup(session.id)
    events = client.v1.events.list({"limit": 100})
    answers = {"price": price, "payment_link": link, "payment_method": methods.data[0], "payment_intent": intent,
               "charge": charge, "balance_transaction": txn, "customer": customer, "checkout.session": session}
    for ev in events.data:
        answers.setdefault(ev.type, ev)
        obj = ev.data.object.to_dict()
        answers.setdefault(obj["object"], obj)
    problems = []
    for kind, obj in answers.items():
        body = obj if isinstance(obj, dict) else obj.to_dict()
        resource = "event" if "." in kind and kind not in fixtures else kind
        if resource == "event":  # the envelope; what it carries is compared as its own kind
            body = {**body, "data": {}}
        problems += [f"{kind}: {p}" for p in mismatches(body, fixtures[resource])]
    listing = events.to_dict()
    problems += [f"list: {k}" for k in ("object", "data", "has_more", "url") if k not in listing]
    assert problems == [], "\n".join(problems)
    assert {"refund", "dispute", "payment_intent.succeeded", "charge.dispute.created", "charge.dispute.closed",
            "setup_intent", "checkout.session.completed"} <= set(answers)
    assert (session.mode, fake.objects[session.id]["status"], txn.fee) == ("setup", "complete", 27)  # 1.5% of 1.00 (half up) + 0.25


def test_the_same_idempotency_key_gives_the_same_answer_and_other_parameters_an_error(fake):
    client = stripe.StripeClient(SECRET, base_addresses={"api": fake.url})
    fake.add_customer("cus_1")
    params = {"amount": 100, "currency": "eur", "customer": "cus_1", "payment_method": "pm_cus_1", "confirm": True}
    first = client.v1.payment_intents.create(params, {"idempotency_key": "k1"})
    again = client.v1.payment_intents.create(params, {"idempotency_key": "k1"})
    assert first.id == again.id and len(fake.of_kind("payment_intent")) == 1
    with pytest.raises(stripe.IdempotencyError):
        client.v1.payment_intents.create({**params, "amount": 200}, {"idempotency_key": "k1"})


def test_a_declined_card_is_a_card_error_with_its_payment_intent(fake):
    client = stripe.StripeClient(SECRET, base_addresses={"api": fake.url})
    fake.add_customer("cus_2", declines=True)
    with pytest.raises(stripe.CardError) as caught:
        client.v1.payment_intents.create({"amount": 100, "currency": "eur", "customer": "cus_2",
                                          "payment_method": "pm_cus_2", "confirm": True})
    assert caught.value.code == "card_declined" and caught.value.error.payment_intent.status == "requires_payment_method"
