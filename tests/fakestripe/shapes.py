"""The objects the fake answers with, in the shapes of Stripe's own fixtures
(`fixtures3.json`; test_fakestripe_conformance compares them): only keys
Stripe's objects have, with the same kinds of values."""

from __future__ import annotations


def payment_link(id_: str, url: str, currency: str, metadata: dict, intent_metadata: dict, active: bool = True) -> dict:
    return {"id": id_, "object": "payment_link", "active": active, "currency": currency, "livemode": False,
            "metadata": metadata, "url": url, "payment_method_types": None,
            "payment_intent_data": {"capture_method": None, "description": None, "metadata": intent_metadata,
                                    "setup_future_usage": None, "statement_descriptor": None,
                                    "statement_descriptor_suffix": None, "transfer_group": None}}


def price(id_: str, amount: int, currency: str, product: str, created: int) -> dict:
    return {"id": id_, "object": "price", "active": True, "billing_scheme": "per_unit", "created": created,
            "currency": currency, "livemode": False, "metadata": {}, "product": product, "type": "one_time",
            "unit_amount": amount, "unit_amount_decimal": str(amount)}


def payment_intent(id_: str, amount: int, currency: str, created: int, status: str, customer: str | None,
                   payment_method: str | None, metadata: dict, charge: str | None, error: dict | None = None) -> dict:
    return {"id": id_, "object": "payment_intent", "amount": amount, "amount_capturable": 0,
            "amount_received": amount if status == "succeeded" else 0, "capture_method": "automatic",
            "client_secret": f"{id_}_secret_x", "confirmation_method": "automatic", "created": created,
            "currency": currency, "customer": customer, "description": None, "latest_charge": charge,
            "livemode": False, "metadata": metadata, "payment_method": payment_method,
            "payment_method_types": ["card"], "status": status, "last_payment_error": error}


def refund(id_: str, amount: int, currency: str, charge: str, intent: str, created: int) -> dict:
    return {"id": id_, "object": "refund", "amount": amount, "charge": charge, "created": created,
            "currency": currency, "metadata": {}, "payment_intent": intent, "reason": None, "status": "succeeded"}


def dispute(id_: str, amount: int, currency: str, charge: str, intent: str, created: int) -> dict:
    return {"id": id_, "object": "dispute", "amount": amount, "charge": charge, "created": created,
            "currency": currency, "livemode": False, "metadata": {}, "payment_intent": intent,
            "reason": "fraudulent", "status": "needs_response", "is_charge_refundable": False}


def payment_method(id_: str, customer: str, last4: str, created: int) -> dict:
    return {"id": id_, "object": "payment_method", "created": created, "customer": customer, "livemode": False,
            "metadata": {}, "type": "card",
            "card": {"brand": "visa", "country": "DE", "exp_month": 8, "exp_year": 2030, "funding": "credit",
                     "last4": last4}}


def event(id_: str, type_: str, obj: dict, created: int) -> dict:
    return {"id": id_, "object": "event", "api_version": "2026-10-28.endive", "created": created,
            "data": {"object": obj}, "livemode": False, "pending_webhooks": 0,
            "request": {"id": None, "idempotency_key": None}, "type": type_}


def listing(url: str, data: list, has_more: bool) -> dict:
    return {"object": "list", "data": data, "has_more": has_more, "url": url}


def error(type_: str, message: str, code: str | None = None, **extra) -> dict:
    body = {"type": type_, "message": message}
    if code:
        body["code"] = code
    body.update(extra)
    return {"error": body}
