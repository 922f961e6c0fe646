"""The objects the fake answers with, in the shapes of Stripe's own fixtures
(`fixtures3.json`; test_fakestripe_conformance compares them): only keys
Stripe's objects have, with the same kinds of values."""

from __future__ import annotations


def payment_link(id_: str, url: str, currency: str, metadata: dict, intent_metadata: dict, active: bool = True,
                 limit: int | None = None) -> dict:
    return {"id": id_, "object": "payment_link", "active": active, "currency": currency, "livemode": False,
            "metadata": metadata, "url": url, "payment_method_types": None,
            "restrictions": None if limit is None else {"completed_sessions": {"count": 0, "limit": limit}},
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


def customer(id_: str, name: str, email: str, metadata: dict, created: int) -> dict:
    return {"id": id_, "object": "customer", "address": None, "balance": 0, "created": created, "currency": None,
            "default_source": None, "delinquent": False, "description": None, "email": email, "livemode": False,
            "metadata": metadata, "name": name, "phone": None, "preferred_locales": [], "tax_exempt": "none",
            "invoice_settings": {"custom_fields": None, "default_payment_method": None, "footer": None}}


def checkout_session(id_: str, url: str | None, customer: str | None, currency: str, metadata: dict,
                     setup_intent: str | None, created: int, success_url: str | None, mode: str = "setup",
                     payment_intent: str | None = None, payment_link: str | None = None,
                     amount: int | None = None) -> dict:
    """A Checkout Session: in setup mode (AutoPay's card set-up), open until the client completes it;
    in payment mode, the one a Payment Link makes for each payment (complete)."""
    return {"id": id_, "object": "checkout.session", "mode": mode, "status": "open" if mode == "setup" else "complete",
            "url": url, "customer": customer, "customer_email": None, "client_reference_id": None,
            "currency": currency, "created": created, "expires_at": created + 86400, "livemode": False,
            "metadata": metadata, "payment_intent": payment_intent, "payment_link": payment_link,
            "payment_method_types": ["card"],
            "payment_status": "no_payment_required" if mode == "setup" else "paid", "setup_intent": setup_intent,
            "subscription": None, "amount_subtotal": amount, "amount_total": amount, "success_url": success_url,
            "cancel_url": None}


def setup_intent(id_: str, customer: str, metadata: dict, created: int) -> dict:
    return {"id": id_, "object": "setup_intent", "created": created, "customer": customer, "livemode": False,
            "metadata": metadata, "payment_method": None, "payment_method_types": ["card"],
            "status": "requires_payment_method", "usage": "off_session", "client_secret": f"{id_}_secret_x",
            "last_setup_error": None, "description": None}


def charge(id_: str, amount: int, currency: str, intent: str, customer: str | None, balance_transaction: str,
           created: int) -> dict:
    return {"id": id_, "object": "charge", "amount": amount, "amount_captured": amount, "amount_refunded": 0,
            "balance_transaction": balance_transaction, "captured": True, "created": created, "currency": currency,
            "customer": customer, "disputed": False, "livemode": False, "metadata": {}, "paid": True,
            "payment_intent": intent, "refunded": False, "status": "succeeded"}


def balance_transaction(id_: str, amount: int, fee: int, currency: str, source: str, created: int) -> dict:
    return {"id": id_, "object": "balance_transaction", "amount": amount, "available_on": created + 2 * 86400,
            "created": created, "currency": currency, "description": None, "exchange_rate": None, "fee": fee,
            "fee_details": [{"amount": fee, "application": None, "currency": currency,
                             "description": "Stripe processing fees", "type": "stripe_fee"}],
            "net": amount - fee, "reporting_category": "charge", "source": source, "status": "pending",
            "type": "charge"}
